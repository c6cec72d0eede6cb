package io.tinyreid.app.gallery;

import java.util.Locale;

/**
 * The household's setting for how often a stranger at the door may be greeted by a family
 * member's name: at most one in {@code oneIn} strangers. The presets are what people choose from.
 */
public record StrangerRate(int oneIn) {
    /** One stranger in 1000. */
    public static final StrangerRate STRICT = new StrangerRate(1000);
    /** One stranger in 100: the default (measured by eval openset: BENCHMARKS.md, open-set identification). */
    public static final StrangerRate BALANCED = new StrangerRate(100);
    /** One stranger in 30. */
    public static final StrangerRate LENIENT = new StrangerRate(30);
    /** The product's default. */
    public static final StrangerRate DEFAULT = BALANCED;

    public StrangerRate {
        if (oneIn < 2 || oneIn > 1_000_000) {
            throw new IllegalArgumentException("strangers named must be at most 1 in 2..1000000, not 1 in " + oneIn);
        }
    }

    /** The rate as a fraction. */
    public double fraction() {
        return 1.0 / oneIn;
    }

    /** Parses strict, balanced, lenient or "1/N" (also "N"). */
    public static StrangerRate parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        switch (t) {
            case "strict": return STRICT;
            case "balanced": return BALANCED;
            case "lenient": return LENIENT;
            default:
        }
        String n = t.startsWith("1/") ? t.substring(2) : t.startsWith("1in") ? t.substring(3) : t;
        try {
            return new StrangerRate(Integer.parseInt(n));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strangers named: expected strict, balanced, lenient or 1/N, not '" + s + "'");
        }
    }

    /** The preset's name, or "1/N". */
    public String id() {
        return equals(STRICT) ? "strict" : equals(BALANCED) ? "balanced" : equals(LENIENT) ? "lenient" : "1/" + oneIn;
    }

    /** What people read: "strangers named: at most 1 in 100 (balanced)". */
    public String describe() {
        String preset = id();
        return "strangers named: at most 1 in " + oneIn + (preset.startsWith("1/") ? "" : " (" + preset + ")");
    }
}
