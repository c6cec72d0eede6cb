package io.tinyreid.nn.faceapi;

/**
 * face-api's input preparation, reproduced operation for operation so our float network sees the
 * very tensor face-api's does: RGB 0..255 as float32; padded with zeros to a square, centred, the
 * odd extra row or column at the bottom/right ({@code padToSquare}); {@code resizeBilinear} to the
 * net's size with alignCorners=false and no half-pixel centres (tfjs-backend-cpu's kernel: source =
 * dst * in / out in double, float32 result). The result stays in pixel units 0..255, as the IR's
 * graph input does; {@code (x - mean) / 255} is the imported graph's first layer.
 */
public final class FaceApiInput {
    /** face-api's mean RGB for both the recognition and the landmark net. */
    public static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private FaceApiInput() {}

    /**
     * Prepares an interleaved RGB image (row-major, 3 bytes a pixel) as a planar
     * {@code [3][size][size]} float tensor of pixel values (0..255, fractional after resizing).
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
        prepare(rgb, rgb, rgb, 0, 1, 3, 3 * width, width, height, size, out);
    }

    /**
     * As {@link #prepare(byte[], int, int, int, float[])} for the {@code width x height} window at
     * {@code (x0, y0)} of an image held as three planes of row length {@code stride} (a frame's RGB
     * planes, read in place: the same values as copying the window out first). Allocation-free.
     */
    public static void prepare(byte[] red, byte[] green, byte[] blue, int stride, int x0, int y0, int width, int height,
                               int size, float[] out) {
        if (width <= 0 || height <= 0 || x0 < 0 || y0 < 0 || x0 + width > stride
                || (long) (y0 + height - 1) * stride + x0 + width > Math.min(red.length, Math.min(green.length, blue.length))) {
            throw new IllegalArgumentException("window " + width + "x" + height + " at " + x0 + "," + y0
                    + " outside the planes (row length " + stride + ")");
        }
        prepare(red, green, blue, y0 * stride + x0, 0, 1, stride, width, height, size, out);
    }

    /**
     * The preparation over pixels addressed as {@code plane(c)[base + c * channelStep + y * rowStep
     * + x * pixelStep]}, plane(c) being red, green, blue (the same array thrice when interleaved).
     */
    private static void prepare(byte[] red, byte[] green, byte[] blue, int base, int channelStep, int pixelStep, int rowStep,
                                int width, int height, int size, float[] out) {
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
                        byte[] p = c == 0 ? red : c == 1 ? green : blue;
                        out[c * plane + y * size + x] = padded(p, base + c * channelStep, pixelStep, rowStep, width, height,
                                offX, offY, x, y);
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
                    byte[] p = c == 0 ? red : c == 1 ? green : blue;
                    int b = base + c * channelStep;
                    double tl = padded(p, b, pixelStep, rowStep, width, height, offX, offY, c0, r0);
                    double tr = padded(p, b, pixelStep, rowStep, width, height, offX, offY, c1, r0);
                    double bl = padded(p, b, pixelStep, rowStep, width, height, offX, offY, c0, r1);
                    double br = padded(p, b, pixelStep, rowStep, width, height, offX, offY, c1, r1);
                    double top = tl + (tr - tl) * colFrac;
                    double bottom = bl + (br - bl) * colFrac;
                    float v = (float) (top + (bottom - top) * rowFrac);
                    out[c * plane + r * size + q] = v;
                }
            }
        }
    }

    /** face-api's normalisation {@code (x - mean) / 255} of a planar RGB tensor, in place (float32 as tfjs). */
    public static float[] normalise(float[] planar) {
        int plane = planar.length / 3;
        for (int i = 0; i < planar.length; i++) {
            planar[i] = (planar[i] - MEAN_RGB[i / plane]) / 255f;
        }
        return planar;
    }

    private static float padded(byte[] p, int base, int pixelStep, int rowStep, int w, int h, int offX, int offY, int x, int y) {
        int ix = x - offX;
        int iy = y - offY;
        if (ix < 0 || iy < 0 || ix >= w || iy >= h) {
            return 0f;
        }
        return p[base + iy * rowStep + ix * pixelStep] & 0xff;
    }
}
