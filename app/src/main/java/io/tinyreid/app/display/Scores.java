package io.tinyreid.app.display;

import java.util.Locale;

/** Formats match distances for people: small floats with two decimals, big squared-L2 sums in millions. */
public final class Scores {
    private Scores() {}

    /** "0.41" for dlib-style distances, "93.2M" for FaceReID's squared L2 over int16. */
    public static String format(double distance) {
        if (Double.isNaN(distance) || Double.isInfinite(distance)) {
            return "";
        }
        if (Math.abs(distance) >= 1e5) {
            return String.format(Locale.ROOT, "%.1fM", distance / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f", distance);
    }
}
