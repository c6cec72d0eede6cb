package io.tinyreid.nn.plan;

import java.util.List;

import io.tinyreid.nn.ir.Conv2d;

/**
 * The int32 scratch the conv kernels need, so the planner counts it: a line buffer holding the
 * input rows of one output row, zero-padded and split by stride phase, plus two accumulator rows.
 * Stride-1 convs of width 1 or 3 read the arena directly and need no line buffer.
 */
public final class KernelScratch {
    /**
     * Extra ints so a vector load may run past the last row (a load past the end of any other row
     * reads the next row; those lanes are beyond the output row and discarded).
     */
    public static final int SLACK = 16;

    private KernelScratch() {}

    /** True when the fast kernel reads through the line buffer (strided convs, kernel widths other than 1 and 3). */
    public static boolean needsLineBuffer(Conv2d c) {
        return c.strideW() != 1 || c.strideH() != 1 || c.kernelW() != 1 && c.kernelW() != 3;
    }

    /** Ints per stride phase of one padded input row. */
    public static int phaseLength(Conv2d c) {
        int pw = c.input().shape().width() + c.padding().left() + c.padding().right();
        return (pw + c.strideW() - 1) / c.strideW();
    }

    /** Ints of one padded input row (all phases). */
    public static int rowLength(Conv2d c) {
        return phaseLength(c) * c.strideW();
    }

    /** Line buffer ints for one output row of {@code c}. */
    public static int lineInts(Conv2d c) {
        return needsLineBuffer(c) ? c.inPerGroup() * c.kernelH() * rowLength(c) : 0;
    }

    /** Input rows (channel, kernel row) one output row reads: the size of the direct path's row tables. */
    public static int inputRows(Conv2d c) {
        return c.inPerGroup() * c.kernelH();
    }

    /**
     * Total ints for a list of ops: the largest line buffer, the direct path's two row tables, the
     * exact kernel's two accumulator rows, slack.
     */
    public static int ints(List<FusedOp> ops) {
        int line = 0;
        int rows = 0;
        int width = 0;
        for (FusedOp op : ops) {
            if (op instanceof FusedOp.ConvPool c) {
                line = Math.max(line, lineInts(c.conv()));
                rows = Math.max(rows, inputRows(c.conv()));
                width = Math.max(width, c.conv().output().shape().width());
            }
        }
        return line + 2 * rows + 2 * (width + SLACK) + SLACK;
    }
}
