package io.tinyreid.nn.runtime;

import java.util.Locale;

/** How weight tiles reach the arena from the model file. */
public enum WeightLoading {
    /** Each tile is read just before it is computed. */
    SYNC,
    /** A prefetch thread reads tile k+1 into the other buffer while tile k computes. */
    ASYNC;

    /** Parses {@code sync|async}. */
    public static WeightLoading parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight loading '" + s + "' (sync or async)");
        }
    }
}
