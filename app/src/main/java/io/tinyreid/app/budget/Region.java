package io.tinyreid.app.budget;

import java.util.Objects;

/**
 * One buffer of the whole-device plan, declared by the component that owns it.
 *
 * @param name   what it holds, e.g. {@code "packed face cascade"}
 * @param part   which part of the doorbell it belongs to
 * @param bytes  its size, as the component reports it from its own arrays or plan
 * @param first  first phase in which it is live
 * @param last   last phase in which it is live (inclusive; {@code first..last} of the loop = resident)
 * @param origin where the number comes from, e.g. {@code "CascadeDetector.scratchBytes()"}
 */
public record Region(String name, Part part, long bytes, Phase first, Phase last, String origin) {
    public Region {
        Objects.requireNonNull(name);
        Objects.requireNonNull(part);
        Objects.requireNonNull(first);
        Objects.requireNonNull(last);
        Objects.requireNonNull(origin);
        if (bytes < 0) {
            throw new IllegalArgumentException("region " + name + " has " + bytes + " bytes");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("region " + name + " ends (" + last.label() + ") before it starts ("
                    + first.label() + ")");
        }
    }

    /** A region live through the whole loop. */
    public static Region resident(String name, Part part, long bytes, String origin) {
        return new Region(name, part, bytes, Phase.first(), Phase.last(), origin);
    }

    /** True when live in every phase. */
    public boolean resident() {
        return first == Phase.first() && last == Phase.last();
    }

    /** True when live in phase {@code p}. */
    public boolean liveIn(Phase p) {
        return first.compareTo(p) <= 0 && p.compareTo(last) <= 0;
    }

    /** "detect", "capture..crop" or "resident". */
    public String lifetime() {
        return resident() ? "resident" : first == last ? first.label() : first.label() + ".." + last.label();
    }
}
