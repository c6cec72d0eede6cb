package io.tinyreid.nn.faceapi;

/**
 * face-api's input preparation, reproduced operation for operation so our float network sees the
 * very tensor face-api's does: RGB 0..255 as float32; padded with zeros to a square, centred, the
 * odd extra row or column at the bottom/right ({@code padToSquare}); {@code resizeBilinear} to the
 * net's size with alignCorners=false and no half-pixel centres (tfjs-backend-cpu's kernel: source =
 * dst * in / out in double, float32 result); then {@code (x - mean) / 255} in float32.
 */
public final class FaceApiInput {
    /** face-api's mean RGB for both the recognition and the landmark net. */
    public static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private FaceApiInput() {}

    /**
     * Prepares an interleaved RGB image (row-major, 3 bytes a pixel) as a planar
     * {@code [3][size][size]} float tensor, normalised.
     */
    public static float[] prepare(byte[] rgb, int width, int height, int size) {
        float[] out = new float[3 * size * size];
        prepare(rgb, width, height, size, out);
        return out;
    }

    /** As {@link #prepare(byte[], int, int, int)}, writing into {@code out} (length {@code 3*size*size}). */
    public static void prepare(byte[] rgb, int width, int height, int size, float[] out) {
        if (width <= 0 || height <= 0 || rgb.length < 3L * width * height) {
            throw new IllegalArgumentException("bad RGB image " + width + "x" + height + " with " + rgb.length + " bytes");
        }
        if (out.length != 3 * size * size) {
            throw new IllegalArgumentException("output needs " + 3 * size * size + " floats");
        }
        // padToSquare: the padded square of side s, the image placed at (offX, offY).
        int s = Math.max(width, height);
        int diff = Math.abs(width - height);
        int append = (int) Math.round(diff * 0.5); // JS Math.round: halves go up, so the odd pixel is appended
        int prepend = diff - append;
        int offX = width < height ? prepend : 0;
        int offY = height < width ? prepend : 0;
        int plane = size * size;
        if (s == size) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[c * plane + y * size + x] = normalise(padded(rgb, width, height, offX, offY, x, y, c), c);
                    }
                }
            }
            return;
        }
        double ratio = (double) s / size;
        for (int r = 0; r < size; r++) {
            double fr = ratio * r;
            int r0 = Math.max(0, (int) Math.floor(fr));
            double rowFrac = fr - r0;
            int r1 = Math.min(s - 1, (int) Math.ceil(fr));
            for (int q = 0; q < size; q++) {
                double fc = ratio * q;
                int c0 = Math.max(0, (int) Math.floor(fc));
                double colFrac = fc - c0;
                int c1 = Math.min(s - 1, (int) Math.ceil(fc));
                for (int c = 0; c < 3; c++) {
                    double tl = padded(rgb, width, height, offX, offY, c0, r0, c);
                    double tr = padded(rgb, width, height, offX, offY, c1, r0, c);
                    double bl = padded(rgb, width, height, offX, offY, c0, r1, c);
                    double br = padded(rgb, width, height, offX, offY, c1, r1, c);
                    double top = tl + (tr - tl) * colFrac;
                    double bottom = bl + (br - bl) * colFrac;
                    float v = (float) (top + (bottom - top) * rowFrac);
                    out[c * plane + r * size + q] = normalise(v, c);
                }
            }
        }
    }

    private static float normalise(float v, int c) {
        return (v - MEAN_RGB[c]) / 255f;
    }

    private static float padded(byte[] rgb, int w, int h, int offX, int offY, int x, int y, int c) {
        int ix = x - offX;
        int iy = y - offY;
        if (ix < 0 || iy < 0 || ix >= w || iy >= h) {
            return 0f;
        }
        return rgb[(iy * w + ix) * 3 + c] & 0xff;
    }
}
