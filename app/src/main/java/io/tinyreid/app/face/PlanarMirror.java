package io.tinyreid.app.face;

/** Mirrors a network input left-right in place (planar channels of square side x side pixels). */
final class PlanarMirror {
    private PlanarMirror() {}

    /** Reverses every row of every plane of {@code planes} (channels x side x side values). */
    static void mirror(float[] planes, int side) {
        for (int row = 0; row < planes.length; row += side) {
            for (int i = row, j = row + side - 1; i < j; i++, j--) {
                float t = planes[i];
                planes[i] = planes[j];
                planes[j] = t;
            }
        }
    }

    /** {@code into[i] = (into[i] + other[i]) / 2}. */
    static void average(float[] into, float[] other) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (into[i] + other[i]) * 0.5f;
        }
    }
}
