package io.tinyreid.app.display;

import java.util.Locale;

import io.tinyreid.app.gallery.UnitVectors;

/**
 * Formats match scores for people: a similarity in percent for distances between unit descriptors
 * (0..2, what the gallery compares), and older events' raw distances as they were shown.
 */
public final class Scores {
    private Scores() {}

    /** "similarity 87%" for a unit distance; "0.41" or "93.2M" for an older raw one; "" for none. */
    public static String format(double distance) {
        if (Double.isNaN(distance) || Double.isInfinite(distance)) {
            return "";
        }
        if (distance >= 0 && distance <= 2) {
            return "similarity " + similarity(distance);
        }
        return distance(distance);
    }

    /** "87%": the cosine similarity of unit descriptors {@code distance} apart, in percent. */
    public static String similarity(double distance) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * UnitVectors.similarity(distance));
    }

    /** The raw distance for details: "0.412", or "93.2M" for FaceReID's squared L2 sums. */
    public static String distance(double distance) {
        if (Double.isNaN(distance) || Double.isInfinite(distance)) {
            return "-";
        }
        if (Math.abs(distance) >= 1e5) {
            return String.format(Locale.ROOT, "%.1fM", distance / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f", distance);
    }

    /** "87% similar, distance 0.412" for a unit distance; "distance 93.2M" for an older raw one; "distance -" for none. */
    public static String detail(double distance) {
        if (distance >= 0 && distance <= 2) {
            return similarity(distance) + " similar, distance " + distance(distance);
        }
        return "distance " + distance(distance);
    }
}
