package io.tinyreid.app.eval;

import java.util.Locale;

/** The number format a network runs in for an evaluation. */
public enum Precision {
    FLOAT, INT16, INT8;

    /** Parses float/int16/int8. */
    public static Precision parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "float", "float32" -> FLOAT;
            case "int16" -> INT16;
            case "int8" -> INT8;
            default -> throw new IllegalArgumentException("precision must be float, int16 or int8, got '" + s + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
