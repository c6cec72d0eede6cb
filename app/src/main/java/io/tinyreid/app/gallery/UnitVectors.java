package io.tinyreid.app.gallery;

/**
 * Descriptors as unit vectors in int16 Q14 (1.0 = 16384), the form the gallery compares: every
 * model's descriptor is scaled to length one, so distances mean the same thing for every model
 * ({@code d = |a - b|}, 0 = identical, 2 = opposite; cosine similarity {@code 1 - d^2/2}), and a
 * FaceReID template takes 1 KiB, as on the reference device.
 */
public final class UnitVectors {
    /** The Q14 scale of a unit component. */
    public static final int ONE = 1 << 14;

    private UnitVectors() {}

    /** Writes {@code raw} scaled to unit length in Q14 into {@code out} (all zero stays zero); allocates nothing. */
    public static void fromInt16(short[] raw, short[] out) {
        double sq = 0;
        for (short v : raw) {
            sq += (double) v * v;
        }
        double scale = sq > 0 ? ONE / Math.sqrt(sq) : 0;
        for (int i = 0; i < raw.length; i++) {
            out[i] = (short) Math.round(raw[i] * scale);
        }
    }

    /** Writes {@code raw} scaled to unit length in Q14 into {@code out} (all zero stays zero); allocates nothing. */
    public static void fromFloat(float[] raw, short[] out) {
        double sq = 0;
        for (float v : raw) {
            sq += (double) v * v;
        }
        double scale = sq > 0 ? ONE / Math.sqrt(sq) : 0;
        for (int i = 0; i < raw.length; i++) {
            out[i] = (short) Math.round(raw[i] * scale);
        }
    }

    /** Euclidean distance between Q14 unit vectors {@code a[aOff..]} and {@code b[bOff..]}, in units of 1.0. */
    public static double distance(short[] a, int aOff, short[] b, int bOff, int dimension) {
        long sum = 0;
        for (int i = 0; i < dimension; i++) {
            int d = a[aOff + i] - b[bOff + i];
            sum += (long) d * d;
        }
        return Math.sqrt((double) sum) / ONE;
    }

    /** Cosine similarity of two unit vectors {@code distance} apart. */
    public static double similarity(double distance) {
        return 1 - distance * distance / 2;
    }
}
