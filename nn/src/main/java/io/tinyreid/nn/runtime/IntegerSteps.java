package io.tinyreid.nn.runtime;

import java.util.List;

import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;

/**
 * The integer runtime's weightless steps (pools, zero padding, adds, ReLUs, copied concats, the
 * global average), element by element in the byte arena, with {@code IntegerReference}'s
 * rescaling, rounding and saturation. They are a small share of the work: plain loops.
 */
final class IntegerSteps {
    private IntegerSteps() {}

    /** One weightless step. */
    sealed interface Step permits Pool, Pad, Sum, Rectify, Join, Average {
        /** Writes output rows {@code [from, to)} (all of them: 0 to {@code RowBands.rows}); the rows read must be held. */
        void run(byte[] a, int from, int to);
    }

    /** The step for a weightless op; {@code region} gives each storage tensor's place. */
    static Step of(FusedOp op, java.util.function.Function<Tensor, Region> region) {
        return switch (op) {
            case FusedOp.Pool p -> new Pool(p, region.apply(p.input()), region.apply(p.storage()));
            case FusedOp.Pad p -> new Pad(p, region.apply(p.input()), region.apply(p.storage()));
            case FusedOp.Sum s -> new Sum(s, region.apply(s.input()), region.apply(s.other()), region.apply(s.storage()));
            case FusedOp.Rectify r -> new Rectify(r, region.apply(r.input()), region.apply(r.storage()));
            case FusedOp.Join j -> new Join(j, j.parts().stream().map(region).toList(), region.apply(j.storage()));
            case FusedOp.Average v -> new Average(v, region.apply(v.input()), region.apply(v.storage()));
            case FusedOp.ConvPool c -> throw new IllegalArgumentException(c.label() + " is a conv stage");
        };
    }

    /** Max pool (padded cells never win) or average pool (window inside the input, division rounded half up). */
    static final class Pool implements Step {
        private final Region in;
        private final Region out;
        private final boolean max;
        private final int k;
        private final int s;
        private final int pt;
        private final int pl;
        private final int shift;
        private final int lo;
        private final int hi;

        Pool(FusedOp.Pool op, Region in, Region out) {
            this.in = in;
            this.out = out;
            QFormat iq = op.pool().inputs().getFirst().q();
            QFormat oq = op.pool().output().q();
            switch (op.pool()) {
                case MaxPool m -> {
                    max = true;
                    k = m.kernel();
                    s = m.stride();
                    pt = m.padding().top();
                    pl = m.padding().left();
                }
                case AvgPool p -> {
                    max = false;
                    k = p.kernel();
                    s = p.stride();
                    pt = 0;
                    pl = 0;
                }
                default -> throw new IllegalArgumentException(op.label());
            }
            shift = oq.fracBits() - iq.fracBits();
            lo = oq.minRaw();
            hi = oq.maxRaw();
        }

        @Override
        public void run(byte[] a, int from, int to) {
            int iw = in.width;
            for (int c = 0; c < out.channels; c++) {
                for (int y = from; y < to; y++) {
                    for (int x = 0; x < out.cols; x++) {
                        long acc = max ? Integer.MIN_VALUE : 0;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = y * s + ky - pt;
                            if (iy < 0 || iy >= in.height) {
                                continue;
                            }
                            int row = in.at(c, iy, 0);
                            for (int kx = 0; kx < k; kx++) {
                                int ix = x * s + kx - pl;
                                if (ix >= 0 && ix < in.cols) {
                                    int v = Bytes.get(a, row + ix * iw, iw);
                                    acc = max ? Math.max(acc, v) : acc + v;
                                }
                            }
                        }
                        int v = max ? (int) acc : Bytes.clamp(Bytes.divRound(acc, k * k, shift), lo, hi);
                        Bytes.put(a, out.at(c, y, x), out.width, v);
                    }
                }
            }
        }
    }

    /** Zero channels after the input's and zero rows/columns around each plane. */
    static final class Pad implements Step {
        private final Region in;
        private final Region out;
        private final Padding p;
        private final int shift;
        private final int lo;
        private final int hi;

        Pad(FusedOp.Pad op, Region in, Region out) {
            this.in = in;
            this.out = out;
            p = op.pad().padding();
            shift = op.pad().input().q().fracBits() - op.pad().output().q().fracBits();
            lo = op.pad().output().q().minRaw();
            hi = op.pad().output().q().maxRaw();
        }

        @Override
        public void run(byte[] a, int from, int to) {
            int rowBytes = out.cols * out.width;
            for (int c = 0; c < out.channels; c++) {
                int d = out.at(c, from, 0);
                java.util.Arrays.fill(a, d, d + (to - from) * rowBytes, (byte) 0);
            }
            int y0 = Math.max(0, from - p.top());
            int y1 = Math.min(in.height, to - p.top());
            for (int c = 0; c < in.channels; c++) {
                for (int y = y0; y < y1; y++) {
                    int src = in.at(c, y, 0);
                    int dst = out.at(c, y + p.top(), p.left());
                    for (int x = 0; x < in.cols; x++) {
                        int v = Bytes.get(a, src + x * in.width, in.width);
                        Bytes.put(a, dst + x * out.width, out.width, Bytes.clamp(Bytes.shiftRound(v, shift), lo, hi));
                    }
                }
            }
        }
    }

    /** Element-wise add (+ReLU), possibly written over one of its operands (same index, so safe). */
    static final class Sum implements Step {
        private final Region x;
        private final Region y;
        private final Region out;
        private final int sx;
        private final int sy;
        private final int addLo;
        private final int addHi;
        private final boolean relu;
        private final int reluShift;
        private final int lo;
        private final int hi;

        Sum(FusedOp.Sum op, Region x, Region y, Region out) {
            this.x = x;
            this.y = y;
            this.out = out;
            QFormat aq = op.add().output().q();
            sx = op.add().a().q().fracBits() - aq.fracBits();
            sy = op.add().b().q().fracBits() - aq.fracBits();
            addLo = aq.minRaw();
            addHi = aq.maxRaw();
            relu = op.relu() != null;
            QFormat rq = relu ? op.relu().output().q() : aq;
            reluShift = aq.fracBits() - rq.fracBits();
            lo = rq.minRaw();
            hi = rq.maxRaw();
        }

        @Override
        public void run(byte[] a, int from, int to) {
            // per channel, the band's rows are contiguous in whole tensors and in L2 windows alike
            int n = (to - from) * out.cols;
            for (int c = 0; c < out.channels; c++) {
                int xb = x.at(c, from, 0);
                int yb = y.at(c, from, 0);
                int ob = out.at(c, from, 0);
                for (int i = 0; i < n; i++) {
                    int u = Bytes.get(a, xb + i * x.width, x.width);
                    int w = Bytes.get(a, yb + i * y.width, y.width);
                    int v = Bytes.clamp(Bytes.shiftRound(u, sx) + Bytes.shiftRound(w, sy), addLo, addHi);
                    if (relu) {
                        v = Bytes.clamp(Bytes.shiftRound(Math.max(0, v), reluShift), lo, hi);
                    }
                    Bytes.put(a, ob + i * out.width, out.width, v);
                }
            }
        }
    }

    /** max(0, x), rescaled to the output's format. */
    static final class Rectify implements Step {
        private final Region in;
        private final Region out;
        private final int shift;
        private final int lo;
        private final int hi;

        Rectify(FusedOp.Rectify op, Region in, Region out) {
            this.in = in;
            this.out = out;
            shift = op.relu().input().q().fracBits() - op.relu().output().q().fracBits();
            lo = op.relu().output().q().minRaw();
            hi = op.relu().output().q().maxRaw();
        }

        @Override
        public void run(byte[] a, int from, int to) {
            int n = (to - from) * out.cols;
            for (int c = 0; c < out.channels; c++) {
                int ib = in.at(c, from, 0);
                int ob = out.at(c, from, 0);
                for (int i = 0; i < n; i++) {
                    int v = Bytes.get(a, ib + i * in.width, in.width);
                    Bytes.put(a, ob + i * out.width, out.width, Bytes.clamp(Bytes.shiftRound(Math.max(0, v), shift), lo, hi));
                }
            }
        }
    }

    /** A concat whose parts are copied one after another, each rescaled to the output's format. */
    static final class Join implements Step {
        private final Region[] parts;
        private final int[] shifts;
        private final Region out;
        private final int lo;
        private final int hi;

        Join(FusedOp.Join op, List<Region> parts, Region out) {
            this.parts = parts.toArray(Region[]::new);
            this.out = out;
            List<Tensor> logical = op.concat().inputs();
            shifts = new int[logical.size()];
            for (int i = 0; i < shifts.length; i++) {
                shifts[i] = logical.get(i).q().fracBits() - op.concat().output().q().fracBits();
            }
            lo = op.concat().output().q().minRaw();
            hi = op.concat().output().q().maxRaw();
        }

        @Override
        public void run(byte[] a, int from, int to) {
            int n = (to - from) * out.cols;
            int o = 0;
            for (int p = 0; p < parts.length; p++) {
                Region r = parts[p];
                for (int c = 0; c < r.channels; c++) {
                    int rb = r.at(c, from, 0);
                    int ob = out.at(o + c, from, 0);
                    for (int i = 0; i < n; i++) {
                        int v = Bytes.get(a, rb + i * r.width, r.width);
                        Bytes.put(a, ob + i * out.width, out.width, Bytes.clamp(Bytes.shiftRound(v, shifts[p]), lo, hi));
                    }
                }
                o += r.channels;
            }
        }
    }

    /** The global average of each channel, divided exactly and rounded half up. */
    static final class Average implements Step {
        private final Region in;
        private final Region out;
        private final int shift;
        private final int lo;
        private final int hi;

        Average(FusedOp.Average op, Region in, Region out) {
            this.in = in;
            this.out = out;
            shift = op.avg().output().q().fracBits() - op.avg().input().q().fracBits();
            lo = op.avg().output().q().minRaw();
            hi = op.avg().output().q().maxRaw();
        }

        @Override
        public void run(byte[] a, int from, int to) {
            int plane = in.height * in.cols;
            for (int c = 0; c < in.channels; c++) {
                long sum = 0;
                int base = in.at(c, 0, 0);
                for (int i = 0; i < plane; i++) {
                    sum += Bytes.get(a, base + i * in.width, in.width);
                }
                Bytes.put(a, out.at(c, 0, 0), out.width, Bytes.clamp(Bytes.divRound(sum, plane, shift), lo, hi));
            }
        }
    }
}
