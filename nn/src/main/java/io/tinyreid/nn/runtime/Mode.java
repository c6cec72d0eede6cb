package io.tinyreid.nn.runtime;

import java.util.Locale;

/** Arithmetic of an executor. */
public enum Mode {
    /**
     * int16, the GAP8 device's arithmetic bit for bit: per input channel the running output, shifted
     * back up by {@code norm}, and the channel's sum meet in one wrapping 32-bit register, which is
     * rounded, shifted down and saturated (DESIGN.md section 1 step 2).
     */
    EXACT,
    /** int16, one rounding per dot product, vectorised. */
    FAST,
    /** float32 with dequantised weights, unplanned (the PC reference). */
    FLOAT,
    /**
     * The arithmetic our quantiser targets ({@code IntegerReference}) bit for bit, int16 or int8 as
     * the model stores: bias first, one rounding per dot product, 32-bit wrapping accumulators; on a
     * byte arena that runs every quantised op (residual adds, zero padding, pools, fully connected).
     */
    INTEGER;

    /** Parses {@code exact|fast|float}. */
    public static Mode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "' (exact, fast, float or integer)");
        }
    }
}
