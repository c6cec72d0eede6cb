package io.tinyreid.app.face;

/** Mirrors a network input left-right in place (planar channels of square side x side pixels). */
public final class PlanarMirror {
    private PlanarMirror() {}

    /** Reverses every row of every plane of {@code planes} (channels x side x side values). */
    public static void mirror(float[] planes, int side) {
        for (int row = 0; row < planes.length; row += side) {
            for (int i = row, j = row + side - 1; i < j; i++, j--) {
                float t = planes[i];
                planes[i] = planes[j];
                planes[j] = t;
            }
        }
    }

    /** Reverses every row of a {@code side x side} byte image in place. */
    public static void mirror(byte[] pixels, int side) {
        for (int row = 0; row < pixels.length; row += side) {
            for (int i = row, j = row + side - 1; i < j; i++, j--) {
                byte t = pixels[i];
                pixels[i] = pixels[j];
                pixels[j] = t;
            }
        }
    }

    /**
     * {@code into[i] = round((into[i] + other[i]) / 2)}, halves rounded up: what the float average of two
     * Q10 outputs rounds to ({@code FaceReidEmbedder}), in integers (the frame loop, the firmware).
     */
    public static void average(short[] into, short[] other) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (short) ((into[i] + other[i] + 1) >> 1);
        }
    }

    /** {@code into[i] = (into[i] + other[i]) / 2}. */
    public static void average(float[] into, float[] other) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (into[i] + other[i]) * 0.5f;
        }
    }
}
