package io.tinyreid.nn.plan;

import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Tensor;

/**
 * Which rows an op reads for a band of the rows it writes, so a tensor kept in L3 can be staged
 * through L2 a few rows at a time ({@link ActivationSpill}). Output rows are the rows of the op's
 * storage (pooled rows for a conv with a fused pool; one row for the global average). The planner
 * sizes staging windows and the runtime copies rows with the same functions.
 */
public final class RowBands {
    private RowBands() {}

    /** Rows of the op's output that bands split. */
    public static int rows(FusedOp op) {
        return switch (op) {
            case FusedOp.ConvPool c -> c.outHeight();
            case FusedOp.Average a -> 1;
            default -> op.storage().shape().height();
        };
    }

    /**
     * Rows {@code [from, to)} of {@code input} (a storage the op reads) needed to write output rows
     * {@code [lo, hi)}, clipped to the tensor; {@code from >= to} when none are. A fused pool's ring
     * keeps the conv rows of earlier bands, so a band of pooled rows only needs the conv rows the
     * previous band has not computed.
     */
    public static long range(FusedOp op, Tensor input, int lo, int hi) {
        int h = input.shape().height();
        return switch (op) {
            case FusedOp.ConvPool c when input.equals(c.storage()) -> pack(lo, hi, h); // the residual's shortcut
            case FusedOp.ConvPool c when c.pool() != null -> {
                int first = lo == 0 ? 0 : poolNeed(c, lo - 1) + 1;
                int last = poolNeed(c, hi - 1);
                yield first > last ? pack(0, 0, h) : convInput(c.conv(), first, last + 1);
            }
            case FusedOp.ConvPool c -> {
                int convH = c.conv().output().shape().height();
                int top = Math.min(hi, convH);
                yield lo >= top ? pack(0, 0, h) : convInput(c.conv(), lo, top);
            }
            case FusedOp.Pool p -> {
                int k;
                int s;
                int pt;
                switch (p.pool()) {
                    case MaxPool m -> {
                        k = m.kernel();
                        s = m.stride();
                        pt = m.padding().top();
                    }
                    case AvgPool a -> {
                        k = a.kernel();
                        s = a.stride();
                        pt = 0;
                    }
                    default -> throw new IllegalArgumentException(p.label());
                }
                yield pack(lo * s - pt, (hi - 1) * s - pt + k, h);
            }
            case FusedOp.Pad p -> pack(lo - p.pad().padding().top(), hi - p.pad().padding().top(), h);
            case FusedOp.Average a -> pack(0, h, h);
            default -> pack(lo, hi, h); // element-wise: sums, ReLUs, copied concats
        };
    }

    /** The last conv row a fused pool needs for pooled row {@code py} (as the conv stage computes it). */
    private static int poolNeed(FusedOp.ConvPool c, int py) {
        MaxPool m = c.pool();
        int convH = c.conv().output().shape().height();
        return Math.min(convH - 1, py * m.stride() - m.padding().top() + m.kernel() - 1);
    }

    /** Input rows of conv output rows {@code [lo, hi)}. */
    private static long convInput(Conv2d c, int lo, int hi) {
        int pt = c.padding().top();
        return pack(lo * c.strideH() - pt, (hi - 1) * c.strideH() - pt + c.kernelH(), c.input().shape().height());
    }

    /** {@code [from, to)} clipped to {@code [0, h)}, packed as {@code from << 32 | to}. */
    private static long pack(int from, int to, int h) {
        int f = Math.max(0, from);
        int t = Math.min(h, to);
        if (t <= f) {
            f = 0;
            t = 0;
        }
        return (long) f << 32 | t;
    }

    /** First row of a packed range. */
    public static int from(long range) {
        return (int) (range >>> 32);
    }

    /** One past the last row of a packed range. */
    public static int to(long range) {
        return (int) range;
    }
}
