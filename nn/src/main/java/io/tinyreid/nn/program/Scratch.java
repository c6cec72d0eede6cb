package io.tinyreid.nn.program;

import java.util.List;

/**
 * A step's kernel scratch (32-bit words): one arena slot, cut into named parts the kernels use
 * (device: {@code window}, {@code weights}, {@code accumulators}; integer: {@code window},
 * {@code rows}). The parts tile the slot in order, without gaps.
 */
public record Scratch(Slot slot, List<Slot> parts) {
    /** The part named {@code name}, or null. */
    public Slot part(String name) {
        for (Slot p : parts) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Bytes of the part named {@code name} (0 when absent). */
    public long bytes(String name) {
        Slot p = part(name);
        return p == null ? 0 : p.bytes();
    }
}
