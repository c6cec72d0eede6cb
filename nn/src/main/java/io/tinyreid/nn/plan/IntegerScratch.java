package io.tinyreid.nn.plan;

import io.tinyreid.nn.ir.Conv2d;

/**
 * The int32 scratch of the integer runtime's conv kernel, so the planner counts it and the runtime
 * allocates the same: an input window holding, for one output row, the zero-padded input rows of
 * the channels a tile reads (split by stride phase, so every tap reads a contiguous run), vector
 * slack after it, and the tile's output row before the epilogue (rounded, saturated, ReLU'd) stores,
 * pools or adds it.
 */
public final class IntegerScratch {
    /**
     * Lanes of the kernel's vectors (16 x 32 bits, the int species of the device kernels: a second
     * int vector shape in the same JVM made C2 give up intrinsifying the shared Vector API call
     * sites, and both runtimes then allocated on every operation).
     */
    public static final int LANES = 16;

    private IntegerScratch() {}

    /** Words per stride phase of one padded input row. */
    public static int phaseLength(Conv2d c) {
        int pw = c.input().shape().width() + c.padding().left() + c.padding().right();
        return (pw + c.strideW() - 1) / c.strideW();
    }

    /** Words of one padded input row in the window (all phases). */
    public static int rowLength(Conv2d c) {
        return phaseLength(c) * c.strideW();
    }

    /** Output row length rounded up to whole vectors (the kernel computes whole vectors). */
    public static int paddedWidth(Conv2d c) {
        int w = c.output().shape().width();
        return (w + LANES - 1) / LANES * LANES;
    }

    /** Largest window of a whole plane (in ints) the kernel keeps, so every tile of a step reuses it. */
    static final int WHOLE_PLANE_INTS = 32 * 1024;

    /**
     * Output rows the kernel computes per window fill when the plan allows blocks of rows
     * ({@link MemoryPlan#rowBlocks()}). Dense convs with kernels taller than one row keep each input
     * channel's rows split by row phase (stride), so output row {@code j} of a block reads window
     * row {@code j + ky / sh} of phase {@code ky % sh}: the rows of a block are one run of positions
     * ({@code rowLength} apart) and small planes fill whole vectors instead of a few lanes each. A
     * small enough plane is done whole (its window then serves every tile of the step); else the
     * block of up to four rows that fills the lanes best (a 1x1 conv's block is its input rows one
     * after another). Grouped convs, or convs the plan gives no blocks: one row.
     */
    public static int blockRows(Conv2d c, boolean blocks) {
        if (!blocks || c.groups() != 1) {
            return 1;
        }
        int h = c.output().shape().height();
        int w = c.output().shape().width();
        int rl = rowLength(c);
        if ((long) c.inPerGroup() * windowRows(c, h) * rl <= WHOLE_PLANE_INTS) {
            return h;
        }
        int best = 1;
        double bestFill = 0;
        for (int r = 1; r <= Math.min(4, h); r++) {
            double fill = (double) r * w / roundUp((r - 1) * rl + w);
            if (fill > bestFill + 1e-9) {
                best = r;
                bestFill = fill;
            }
        }
        return best;
    }

    /** Window rows per row phase of an input channel for blocks of {@code rows} output rows. */
    static int phaseRows(Conv2d c, int rows) {
        return rows == 1 ? c.kernelH() : rows + (c.kernelH() - 1) / c.strideH();
    }

    private static int windowRows(Conv2d c, int rows) {
        return rows == 1 ? c.kernelH() : c.strideH() * phaseRows(c, rows);
    }

    /** Window rows per row phase of an input channel (one row of output: the kernel's rows, unsplit). */
    public static int phaseRows(Conv2d c, boolean blocks) {
        return phaseRows(c, blockRows(c, blocks));
    }

    /** Window rows per input channel (all row phases). */
    public static int windowRows(Conv2d c, boolean blocks) {
        return windowRows(c, blockRows(c, blocks));
    }

    /** Positions per channel of a block (rows {@code rowLength} apart), rounded up to whole vectors. */
    public static int positions(Conv2d c, boolean blocks) {
        int r = blockRows(c, blocks);
        return r == 1 ? paddedWidth(c) : roundUp((r - 1) * rowLength(c) + c.output().shape().width());
    }

    private static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** Input channels the tile of output channels {@code [c0, c1)} reads. */
    public static int inputChannels(Conv2d c, int c0, int c1) {
        int opg = c.outChannels() / c.groups();
        return ((c1 - 1) / opg - c0 / opg + 1) * c.inPerGroup();
    }

    /** Window words for the largest tile when tiles hold {@code tileChannels} channels ({@code blocks}: see {@link #blockRows}). */
    public static int windowInts(Conv2d c, int tileChannels, boolean blocks) {
        int most = 0;
        for (int c0 = 0; c0 < c.outChannels(); c0 += tileChannels) {
            most = Math.max(most, inputChannels(c, c0, Math.min(c.outChannels(), c0 + tileChannels)));
        }
        if (blockRows(c, blocks) == 1) {
            return most * c.kernelH() * rowLength(c) + LANES;
        }
        // a block's last positions (and the lanes past them) read up to a block beyond the last channel's rows
        return most * windowRows(c, blocks) * rowLength(c) + positions(c, blocks) + LANES;
    }

    /** Output row words for tiles of {@code tileChannels} channels. */
    public static int rowInts(Conv2d c, int tileChannels, boolean blocks) {
        return tileChannels * positions(c, blocks);
    }

    /** All scratch words of a conv op tiled {@code tileChannels} channels at a time. */
    public static int ints(FusedOp.ConvPool op, int tileChannels, boolean blocks) {
        Conv2d c = op.conv();
        return windowInts(c, tileChannels, blocks) + rowInts(c, tileChannels, blocks);
    }
}
