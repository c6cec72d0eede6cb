package io.tinyreid.vision.image;

/**
 * Bilinear down/up-scaling of an 8-bit plane, row by row, bit-exact with OpenCV 4.10's
 * {@code resize} in either of its two bilinear modes (the tests check both against OpenCV itself):
 * {@link Mode#LINEAR} ({@code INTER_LINEAR}: 11-bit coefficients, its vector rounding of the vertical
 * pass) and {@link Mode#LINEAR_EXACT} ({@code INTER_LINEAR_EXACT}: 8-bit coefficients, 16.16 fixed
 * point, edge pixels replicated; what OpenCV's cascade detector uses for its pyramid). Both use the
 * 2x2 box for an exact halving.
 *
 * <p>Rows can be produced one at a time ({@link #row}), which is how the detector builds its pyramid
 * without holding a scaled frame. All tables are allocated once for the largest geometry this
 * resizer is asked for ({@link #capacityBytes()}); {@link #setGeometry} then allocates nothing.
 */
public final class LinearResizer {
    /** Which of OpenCV's bilinear modes to reproduce. */
    public enum Mode { LINEAR, LINEAR_EXACT }

    private final Mode mode;
    private int xmin, xmax, ymin, ymax;

    /** A resizer reproducing {@code INTER_LINEAR}. */
    public LinearResizer() {
        this(Mode.LINEAR);
    }

    /** A resizer reproducing the given mode. */
    public LinearResizer(Mode mode) {
        this.mode = mode;
    }

    /** The mode this resizer reproduces. */
    public Mode mode() {
        return mode;
    }
    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;

    private int srcW, srcH, dstW, dstH;
    private boolean halving;
    private int[] xofs = new int[0];
    private short[] alpha = new short[0];
    private int[] yofs = new int[0];
    private short[] beta = new short[0];
    private int[] rowA = new int[0];
    private int[] rowB = new int[0];
    private int rowAsrc = -1, rowBsrc = -1;

    /** Sets the source and destination sizes; tables grow only if this geometry is larger than any before. */
    public LinearResizer setGeometry(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        GrayImage.checkSize(srcWidth, srcHeight);
        GrayImage.checkSize(dstWidth, dstHeight);
        srcW = srcWidth;
        srcH = srcHeight;
        dstW = dstWidth;
        dstH = dstHeight;
        rowAsrc = rowBsrc = -1;
        if (xofs.length < dstW) {
            xofs = new int[dstW];
            alpha = new short[2 * dstW];
            rowA = new int[dstW];
            rowB = new int[dstW];
        }
        if (yofs.length < dstH) {
            yofs = new int[dstH];
            beta = new short[2 * dstH];
        }
        double invX = (double) dstW / srcW;
        double invY = (double) dstH / srcH;
        double scaleX = 1.0 / invX;
        double scaleY = 1.0 / invY;
        halving = Math.abs(scaleX - 2) < Math.ulp(1.0) && Math.abs(scaleY - 2) < Math.ulp(1.0);
        if (mode == Mode.LINEAR_EXACT) {
            exactTables(scaleX, scaleY);
            return this;
        }
        // As OpenCV: columns are clamped in the tables, rows when they are fetched.
        linearAxis(scaleX, srcW, dstW, xofs, alpha, true);
        linearAxis(scaleY, srcH, dstH, yofs, beta, false);
        return this;
    }

    /** INTER_LINEAR coefficients of one axis: positions in float, weights rounded to 1/2048, optionally clamped at the edges. */
    private static void linearAxis(double scale, int src, int dst, int[] ofs, short[] coef, boolean clamp) {
        for (int d = 0; d < dst; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int i = (int) Math.floor(f);
            f -= i;
            if (clamp && i < 0) {
                f = 0;
                i = 0;
            }
            if (clamp && i >= src - 1) {
                f = 0;
                i = src - 1;
            }
            ofs[d] = i;
            coef[2 * d] = (short) Math.rint((1.f - f) * COEF_SCALE);
            coef[2 * d + 1] = (short) Math.rint(f * COEF_SCALE);
        }
    }

    /** INTER_LINEAR_EXACT coefficients: positions in double, weights rounded to 1/256; outside points replicate the edge. */
    private void exactTables(double scaleX, double scaleY) {
        long x = exactAxis(scaleX, srcW, dstW, xofs, alpha);
        xmin = (int) (x >>> 32);
        xmax = (int) x;
        long y = exactAxis(scaleY, srcH, dstH, yofs, beta);
        ymin = (int) (y >>> 32);
        ymax = (int) y;
    }

    /**
     * One axis of {@link #exactTables}; returns the first destination index with both source taps
     * inside (high 32 bits) and the first one past them (low 32 bits), packed so nothing is allocated.
     */
    private static long exactAxis(double scale, int src, int dst, int[] ofs, short[] coef) {
        int min = 0;
        int max = dst;
        for (int d = 0; d < dst; d++) {
            double f = scale * (d + 0.5) - 0.5;
            int i = (int) Math.floor(f);
            if (i >= 0 && src > 1) {
                if (i < src - 1) {
                    ofs[d] = i;
                    int c1 = (int) Math.rint((f - i) * 256);
                    coef[2 * d] = (short) (256 - c1);
                    coef[2 * d + 1] = (short) c1;
                } else {
                    ofs[d] = src - 1;
                    max = Math.min(max, d);
                }
            } else {
                min = Math.max(min, d + 1);
            }
        }
        return ((long) min << 32) | (max & 0xFFFFFFFFL);
    }

    /** Bytes held by the coefficient tables and row buffers. */
    public int capacityBytes() {
        return xofs.length * 4 + alpha.length * 2 + yofs.length * 4 + beta.length * 2 + rowA.length * 4 + rowB.length * 4;
    }

    /** Destination width of the current geometry. */
    public int dstWidth() { return dstW; }

    /** Destination height of the current geometry. */
    public int dstHeight() { return dstH; }

    /**
     * Computes destination row {@code dy} from the source plane (row-major, stride {@code srcStride})
     * into {@code out[outOffset .. outOffset + dstWidth)}.
     */
    public void row(byte[] src, int srcStride, int dy, byte[] out, int outOffset) {
        row(src, 0, srcStride, dy, out, outOffset);
    }

    /** Like {@link #row(byte[], int, int, byte[], int)} for a source region starting at {@code srcOffset}. */
    public void row(byte[] src, int srcOffset, int srcStride, int dy, byte[] out, int outOffset) {
        if (halving) {
            int r0 = srcOffset + 2 * dy * srcStride;
            int r1 = r0 + srcStride;
            for (int dx = 0; dx < dstW; dx++) {
                int s = 2 * dx;
                out[outOffset + dx] = (byte) (((src[r0 + s] & 0xFF) + (src[r0 + s + 1] & 0xFF)
                        + (src[r1 + s] & 0xFF) + (src[r1 + s + 1] & 0xFF) + 2) >> 2);
            }
            return;
        }
        if (mode == Mode.LINEAR_EXACT) {
            exactRow(src, srcOffset, srcStride, dy, out, outOffset);
            return;
        }
        int sy = yofs[dy];
        int s0 = Math.max(0, Math.min(srcH - 1, sy));
        int s1 = Math.max(0, Math.min(srcH - 1, sy + 1));
        int[] a = horizontal(src, srcOffset, srcStride, s0, null);
        int[] b = horizontal(src, srcOffset, srcStride, s1, a);
        int b0 = beta[2 * dy];
        int b1 = beta[2 * dy + 1];
        // OpenCV's vector rounding, used by 4.10 for every column: (S >> 4) as int16, mulhi with
        // beta, add, rounding shift by 2 (one level below the exact (S0*b0 + S1*b1 + 2^21) >> 22 at times).
        for (int x = 0; x < dstW; x++) {
            int v = (((a[x] >> 4) * b0) >> 16) + (((b[x] >> 4) * b1) >> 16);
            v = (v + 2) >> 2;
            out[outOffset + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
        }
    }

    private void exactRow(byte[] src, int srcOffset, int srcStride, int dy, byte[] out, int outOffset) {
        if (dy < ymin || dy >= ymax) {
            int[] h = exactHorizontal(src, srcOffset, srcStride, dy < ymin ? 0 : srcH - 1, null);
            for (int x = 0; x < dstW; x++) out[outOffset + x] = (byte) ((h[x] + 128) >> 8);
            return;
        }
        int sy = yofs[dy];
        int[] a = exactHorizontal(src, srcOffset, srcStride, sy, null);
        int[] b = exactHorizontal(src, srcOffset, srcStride, sy + 1, a);
        int b0 = beta[2 * dy], b1 = beta[2 * dy + 1];
        for (int x = 0; x < dstW; x++) {
            out[outOffset + x] = (byte) ((a[x] * b0 + b[x] * b1 + (1 << 15)) >> 16);
        }
    }

    /** Horizontal pass in 8.8 fixed point (INTER_LINEAR_EXACT), cached like {@link #horizontal}. */
    private int[] exactHorizontal(byte[] src, int srcOffset, int srcStride, int sy, int[] keep) {
        if (sy == rowAsrc) return rowA;
        if (sy == rowBsrc) return rowB;
        int[] dst;
        if (keep != rowA && (keep == rowB || rowAsrc <= rowBsrc)) {
            dst = rowA;
            rowAsrc = sy;
        } else {
            dst = rowB;
            rowBsrc = sy;
        }
        int base = srcOffset + sy * srcStride;
        int left = (src[base] & 0xFF) << 8;
        int x = 0;
        for (; x < xmin && x < dstW; x++) dst[x] = left;
        int[] xo = xofs;
        short[] al = alpha;
        for (; x < xmax; x++) {
            int o = base + xo[x];
            dst[x] = (src[o] & 0xFF) * al[2 * x] + (src[o + 1] & 0xFF) * al[2 * x + 1];
        }
        int right = (src[base + srcW - 1] & 0xFF) << 8;
        for (; x < dstW; x++) dst[x] = right;
        return dst;
    }

    /** Horizontal pass of one source row, cached (two rows, like OpenCV's ring). */
    private int[] horizontal(byte[] src, int srcOffset, int srcStride, int sy, int[] keep) {
        if (sy == rowAsrc) return rowA;
        if (sy == rowBsrc) return rowB;
        // Evict the older (lower) row, never the one the caller still holds.
        int[] dst;
        if (keep != rowA && (keep == rowB || rowAsrc <= rowBsrc)) {
            dst = rowA;
            rowAsrc = sy;
        } else {
            dst = rowB;
            rowBsrc = sy;
        }
        int base = srcOffset + sy * srcStride;
        int[] xo = xofs;
        short[] al = alpha;
        int last = srcW - 1;
        for (int dx = 0; dx < dstW; dx++) {
            int sx = xo[dx];
            int p0 = src[base + sx] & 0xFF;
            if (sx >= last) {
                dst[dx] = p0 * COEF_SCALE;
            } else {
                dst[dx] = p0 * al[2 * dx] + (src[base + sx + 1] & 0xFF) * al[2 * dx + 1];
            }
        }
        return dst;
    }
}
