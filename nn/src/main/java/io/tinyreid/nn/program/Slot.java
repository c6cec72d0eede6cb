package io.tinyreid.nn.program;

import java.util.Locale;

/**
 * A byte range {@code [offset, offset + bytes)} of {@link Memory#L2} (the arena) or {@link Memory#L3}.
 *
 * @param name   what it holds, for listings
 * @param memory which memory
 * @param offset first byte
 * @param bytes  length in bytes
 */
public record Slot(String name, Memory memory, long offset, long bytes) {
    public Slot {
        if (offset < 0 || bytes < 0) {
            throw new IllegalArgumentException("slot " + name + " at " + offset + " of " + bytes + " bytes");
        }
    }

    /** One past the last byte. */
    public long end() {
        return offset + bytes;
    }

    /** True when {@code other} lies inside this slot (same memory). */
    public boolean contains(Slot other) {
        return memory == other.memory && offset <= other.offset && other.end() <= end();
    }

    /** {@code L2 @offset +bytes}. */
    public String where() {
        return String.format(Locale.ROOT, "%s @%,d +%,d", memory, offset, bytes);
    }
}
