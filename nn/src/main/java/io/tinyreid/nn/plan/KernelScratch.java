package io.tinyreid.nn.plan;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Padding;

/**
 * The 32-bit scratch of the int16 conv kernels, so the planner counts it: a window holding the
 * zero-padded input rows of one kernel call widened to 32 bits (split by stride phase), the weights
 * of the tiles being computed widened to 32 bits, and one block of accumulators. The plan and the
 * runtime size it with the same functions.
 *
 * <p>A kernel call computes {@link #rowsPerCall} output rows at once: with the window's rows laid
 * end to end, output position {@code q = row * rowLength + x} reads input {@code q + tapOffset} for
 * every tap, so several narrow rows fill one vector (FaceReID's 7x7 layers: 49 of 64 lanes instead
 * of 7 of 16). A {@link #direct} conv (1x1, stride 1, no padding) needs no window: its kernel reads
 * the input rows straight from the arena, all rows of a whole input tensor in one call.
 */
public final class KernelScratch {
    /** Lanes of one vector (16 x 32 bits). */
    public static final int LANES = 16;
    /** Positions of the largest accumulator block (four vectors). */
    public static final int BLOCK = 4 * LANES;
    /** Words of one block of accumulators (16 vectors: 4 channels x 64 positions, 8 x 32, ...). */
    public static final int ACCUMULATORS = 16 * LANES;
    /** Words a vector load may read past the window (positions beyond a row are computed and dropped). */
    public static final int SLACK = BLOCK;
    /** Window size up to which several rows are computed per call (a wider single row is always allowed). */
    static final int WINDOW_CAP = 6144;
    private static final int MAX_ROWS = 8;

    private KernelScratch() {}

    /** Words per stride phase of one padded input row. */
    public static int phaseLength(Conv2d c) {
        int pw = c.input().shape().width() + c.padding().left() + c.padding().right();
        return (pw + c.strideW() - 1) / c.strideW();
    }

    /** Words of one padded input row in the window (all phases). */
    public static int rowLength(Conv2d c) {
        return phaseLength(c) * c.strideW();
    }

    /** Input rows in the window for {@code n} output rows. */
    public static int windowRows(Conv2d c, int n) {
        return (n - 1) * c.strideH() + c.kernelH();
    }

    /** True for a 1x1 conv of stride 1 without padding: output position q reads input position q. */
    public static boolean direct(Conv2d c) {
        return c.kernelH() == 1 && c.kernelW() == 1 && c.strideH() == 1 && c.strideW() == 1
                && c.padding().equals(new Padding(0, 0, 0, 0));
    }

    /** Window words for {@code n} output rows (none for a {@link #direct} conv). */
    public static int windowWords(Conv2d c, int n) {
        return direct(c) ? 0 : c.inPerGroup() * windowRows(c, n) * rowLength(c);
    }

    /** Output positions (window columns, dropped ones included) of a call computing {@code n} rows. */
    public static int positions(Conv2d c, int n) {
        return (n - 1) * rowLength(c) + c.output().shape().width();
    }

    /**
     * Output rows per kernel call: one when the input or output is a ring of rows or the conv is
     * strided vertically; otherwise the count that wastes the fewest vector lanes over the whole
     * output (ties: more rows, fewer calls) within the window cap. A pooled conv computes at most
     * as many rows at once as the pool advances per output row.
     */
    public static int rowsPerCall(FusedOp.ConvPool op, boolean streamedIn, boolean streamedOut) {
        Conv2d c = op.conv();
        if (streamedIn || streamedOut || c.strideH() != 1) {
            return 1;
        }
        int h = c.output().shape().height();
        if (direct(c)) {
            return op.pool() == null ? h : Math.min(h, op.pool().stride());
        }
        int max = Math.min(h, op.pool() == null ? MAX_ROWS : op.pool().stride());
        int cap = Math.max(WINDOW_CAP, windowWords(c, 1));
        int best = 1;
        long bestLanes = lanes(c, 1);
        for (int n = 2; n <= max && windowWords(c, n) <= cap; n++) {
            long l = lanes(c, n);
            if (l <= bestLanes) {
                best = n;
                bestLanes = l;
            }
        }
        return best;
    }

    /** Vector lanes computed for the whole output when calls take {@code n} rows. */
    private static long lanes(Conv2d c, int n) {
        int h = c.output().shape().height();
        long full = (long) (h / n) * roundUp(positions(c, n));
        return h % n == 0 ? full : full + roundUp(positions(c, h % n));
    }

    private static int roundUp(int positions) {
        return (positions + LANES - 1) / LANES * LANES;
    }

    /** Weight words of one tile part: its channels' weights (bias excluded), rounded up to whole blocks of four channels. */
    public static int weightWords(MemoryPlan.TilePart p) {
        Conv2d c = p.op().conv();
        return (p.c1() - p.c0() + 3) / 4 * 4 * c.inPerGroup() * c.kernelH() * c.kernelW();
    }

    /** Total words: the largest window and its slack, the largest tile's (or streamed step's) weights, one accumulator block. */
    public static int words(int window, int weights) {
        return (window > 0 ? window + SLACK : 0) + weights + ACCUMULATORS;
    }
}
