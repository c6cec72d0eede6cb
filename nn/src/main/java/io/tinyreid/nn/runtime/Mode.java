package io.tinyreid.nn.runtime;

import java.util.Locale;

/** Arithmetic of an executor. */
public enum Mode {
    /** int16, the GAP8 device's arithmetic bit for bit (per-input-channel rounding, wrapping accumulators). */
    EXACT,
    /** int16, one rounding per dot product, vectorised. */
    FAST,
    /** float32 with dequantised weights, unplanned (the PC reference). */
    FLOAT;

    /** Parses {@code exact|fast|float}. */
    public static Mode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "' (exact, fast or float)");
        }
    }
}
