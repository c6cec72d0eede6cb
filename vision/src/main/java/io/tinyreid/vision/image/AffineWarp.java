package io.tinyreid.vision.image;

/**
 * Bilinear affine warping, like OpenCV's {@code warpAffine(..., INTER_LINEAR)}: each destination
 * pixel is sampled at the inverse-mapped source position (10-bit fixed point, then 1/32 pixel) with
 * 15-bit weights. Allocation-free.
 */
public final class AffineWarp {
    private static final int SUB = 32;          // sub-pixel positions (OpenCV INTER_TAB_SIZE)
    private static final int WBITS = 15;        // weight precision (OpenCV INTER_REMAP_COEF_BITS)

    private AffineWarp() {}

    /** What to sample outside the source image. */
    public enum Border {
        /** A constant value (see the {@code borderValue} argument). */
        CONSTANT,
        /** The nearest edge pixel. */
        REPLICATE
    }

    /** Warps {@code src} into {@code dst} (at dst's size) so that {@code dst(srcToDst(p)) = src(p)}. */
    public static GrayImage warp(GrayImage src, GrayImage dst, Affine srcToDst, Border border, int borderValue) {
        warpPlane(src.pixels(), src.width(), src.height(), dst.pixels(), dst.width(), dst.height(),
                srcToDst.invert(), border, borderValue);
        return dst;
    }

    /** Warps each plane of an RGB image; {@code borderRgb} is 0xRRGGBB. */
    public static RgbImage warp(RgbImage src, RgbImage dst, Affine srcToDst, Border border, int borderRgb) {
        Affine inv = srcToDst.invert();
        warpPlane(src.red(), src.width(), src.height(), dst.red(), dst.width(), dst.height(), inv, border, (borderRgb >> 16) & 0xFF);
        warpPlane(src.green(), src.width(), src.height(), dst.green(), dst.width(), dst.height(), inv, border, (borderRgb >> 8) & 0xFF);
        warpPlane(src.blue(), src.width(), src.height(), dst.blue(), dst.width(), dst.height(), inv, border, borderRgb & 0xFF);
        return dst;
    }

    /** Warps one plane; {@code dstToSrc} maps destination pixel coordinates to source coordinates. */
    public static void warpPlane(byte[] s, int sw, int sh, byte[] d, int dw, int dh, Affine dstToSrc,
                                 Border border, int borderValue) {
        warpPlane(s, sw, sh, d, dw, dh, dstToSrc.a(), dstToSrc.b(), dstToSrc.c(), dstToSrc.d(), dstToSrc.e(), dstToSrc.f(),
                border, borderValue);
    }

    /** As {@link #warpPlane(byte[], int, int, byte[], int, int, Affine, Border, int)} with the map's coefficients (no Affine object). */
    public static void warpPlane(byte[] s, int sw, int sh, byte[] d, int dw, int dh, double ma, double mb, double mc,
                                 double md, double me, double mf, Border border, int borderValue) {
        // OpenCV's coordinate arithmetic: terms in 10-bit fixed point, rounded down to 1/32 pixel.
        final int abBits = 10, abScale = 1 << abBits, roundDelta = abScale / SUB / 2;
        for (int y = 0; y < dh; y++) {
            int x0row = (int) Math.rint((mb * y + mc) * abScale) + roundDelta;
            int y0row = (int) Math.rint((me * y + mf) * abScale) + roundDelta;
            for (int x = 0; x < dw; x++) {
                int fx = (x0row + (int) Math.rint(ma * x * abScale)) >> (abBits - 5);
                int fy = (y0row + (int) Math.rint(md * x * abScale)) >> (abBits - 5);
                int x0 = fx >> 5, y0 = fy >> 5;
                int ax = fx & (SUB - 1), ay = fy & (SUB - 1);
                int p00 = sample(s, sw, sh, x0, y0, border, borderValue);
                int p01 = sample(s, sw, sh, x0 + 1, y0, border, borderValue);
                int p10 = sample(s, sw, sh, x0, y0 + 1, border, borderValue);
                int p11 = sample(s, sw, sh, x0 + 1, y0 + 1, border, borderValue);
                // 15-bit weights from the 1/32 fractions: (32-ax)*(32-ay) etc. scaled by 2^15/1024 = 32.
                int w00 = (SUB - ax) * (SUB - ay), w01 = ax * (SUB - ay), w10 = (SUB - ax) * ay, w11 = ax * ay;
                int v = (p00 * w00 + p01 * w01 + p10 * w10 + p11 * w11) * 32;
                v = (v + (1 << (WBITS - 1))) >> WBITS;
                d[y * dw + x] = (byte) Math.min(255, v);
            }
        }
    }

    private static int sample(byte[] s, int sw, int sh, int x, int y, Border border, int borderValue) {
        if (x < 0 || y < 0 || x >= sw || y >= sh) {
            if (border == Border.CONSTANT) {
                return borderValue;
            }
            x = Math.max(0, Math.min(sw - 1, x));
            y = Math.max(0, Math.min(sh - 1, y));
        }
        return s[y * sw + x] & 0xFF;
    }
}
