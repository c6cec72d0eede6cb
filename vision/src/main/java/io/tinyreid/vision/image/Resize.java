package io.tinyreid.vision.image;

/** Whole-image resizing: OpenCV-compatible bilinear, area averaging, and a float bilinear for network inputs. */
public final class Resize {
    private Resize() {}

    /** Bilinear resize of {@code src} into {@code dst} at dst's current size, bit-exact with OpenCV INTER_LINEAR. */
    public static GrayImage bilinear(GrayImage src, GrayImage dst, LinearResizer resizer) {
        if (src.width() == dst.width() && src.height() == dst.height()) {
            return src.copyTo(dst);
        }
        resizer.setGeometry(src.width(), src.height(), dst.width(), dst.height());
        byte[] out = dst.pixels();
        for (int y = 0; y < dst.height(); y++) {
            resizer.row(src.pixels(), src.width(), y, out, y * dst.width());
        }
        return dst;
    }

    /** Bilinear resize with a temporary resizer (allocates; use the other overload in frame loops). */
    public static GrayImage bilinear(GrayImage src, GrayImage dst) {
        return bilinear(src, dst, new LinearResizer());
    }

    /** Bilinear resize of each plane of an RGB image into {@code dst} at dst's current size. */
    public static RgbImage bilinear(RgbImage src, RgbImage dst, LinearResizer resizer) {
        if (src.width() == dst.width() && src.height() == dst.height()) {
            return src.copyTo(dst);
        }
        resizer.setGeometry(src.width(), src.height(), dst.width(), dst.height());
        byte[][] s = {src.red(), src.green(), src.blue()};
        byte[][] d = {dst.red(), dst.green(), dst.blue()};
        for (int c = 0; c < 3; c++) {
            resizer.setGeometry(src.width(), src.height(), dst.width(), dst.height()); // resets the row cache
            for (int y = 0; y < dst.height(); y++) {
                resizer.row(s[c], src.width(), y, d[c], y * dst.width());
            }
        }
        return dst;
    }

    /**
     * Area (box-filter) resize into {@code dst} at dst's size: each output pixel is the mean of the
     * source area it covers, partial pixels weighted by their covered fraction, rounded to nearest.
     * For upscaling it falls back to bilinear.
     */
    public static GrayImage area(GrayImage src, GrayImage dst) {
        int sw = src.width(), sh = src.height(), dw = dst.width(), dh = dst.height();
        if (dw > sw || dh > sh) {
            return bilinear(src, dst);
        }
        byte[] s = src.pixels();
        byte[] d = dst.pixels();
        double sx = (double) sw / dw;
        double sy = (double) sh / dh;
        double inv = 1.0 / (sx * sy);
        for (int y = 0; y < dh; y++) {
            double y0 = y * sy, y1 = y0 + sy;
            int ya = (int) Math.floor(y0), yb = Math.min(sh, (int) Math.ceil(y1 - 1e-9));
            for (int x = 0; x < dw; x++) {
                double x0 = x * sx, x1 = x0 + sx;
                int xa = (int) Math.floor(x0), xb = Math.min(sw, (int) Math.ceil(x1 - 1e-9));
                double acc = 0;
                for (int yy = ya; yy < yb; yy++) {
                    double wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
                    int row = yy * sw;
                    double racc = 0;
                    for (int xx = xa; xx < xb; xx++) {
                        double wx = Math.min(x1, xx + 1) - Math.max(x0, xx);
                        racc += wx * (s[row + xx] & 0xFF);
                    }
                    acc += wy * racc;
                }
                int v = (int) Math.round(acc * inv);
                d[y * dw + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return dst;
    }

    /** Area resize of each plane of an RGB image. */
    public static RgbImage area(RgbImage src, RgbImage dst) {
        GrayImage s = new GrayImage(src.width(), src.height(), src.red());
        area(s, new GrayImage(dst.width(), dst.height(), dst.red()));
        area(new GrayImage(src.width(), src.height(), src.green()), new GrayImage(dst.width(), dst.height(), dst.green()));
        area(new GrayImage(src.width(), src.height(), src.blue()), new GrayImage(dst.width(), dst.height(), dst.blue()));
        return dst;
    }

    /**
     * Bilinear resize of an 8-bit plane to floats (0..255), for network inputs.
     * {@code halfPixelCentres} true samples at {@code (d + 0.5) * in / out - 0.5} (OpenCV, PyTorch);
     * false samples at {@code d * in / out} (TensorFlow's legacy resizeBilinear, face-api).
     */
    public static void bilinearToFloat(byte[] src, int sw, int sh, float[] dst, int dstOffset, int dw, int dh,
                                       boolean halfPixelCentres) {
        double scx = (double) sw / dw, scy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = halfPixelCentres ? (y + 0.5) * scy - 0.5 : y * scy;
            fy = Math.max(0, Math.min(sh - 1, fy));
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(sh - 1, y0 + 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < dw; x++) {
                double fx = halfPixelCentres ? (x + 0.5) * scx - 0.5 : x * scx;
                fx = Math.max(0, Math.min(sw - 1, fx));
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(sw - 1, x0 + 1);
                float wx = (float) (fx - x0);
                float top = (src[y0 * sw + x0] & 0xFF) + wx * ((src[y0 * sw + x1] & 0xFF) - (src[y0 * sw + x0] & 0xFF));
                float bot = (src[y1 * sw + x0] & 0xFF) + wx * ((src[y1 * sw + x1] & 0xFF) - (src[y1 * sw + x0] & 0xFF));
                dst[dstOffset + y * dw + x] = top + wy * (bot - top);
            }
        }
    }
}
