package io.tinyreid.nn.runtime;

import java.util.HashMap;
import java.util.Map;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;

/**
 * The GAP8 arithmetic written the obvious way, one output value at a time, every tensor whole:
 * the truth the optimised exact executor is compared against (DESIGN.md section 1).
 */
final class NaiveExact {
    private NaiveExact() {}

    /** Runs the graph on raw int16 input; returns every tensor by name. */
    static Map<String, short[]> run(Graph g, short[] input) {
        return run(g, input, true);
    }

    /** As {@link #run(Graph, short[])}; {@code wrap = false} accumulates in 64 bits instead (not the device). */
    static Map<String, short[]> run(Graph g, short[] input, boolean wrap) {
        Map<String, short[]> t = new HashMap<>();
        t.put(g.input().name(), input.clone());
        for (Layer l : g.layers()) {
            short[] out = switch (l) {
                case Conv2d c -> conv(c, t.get(c.input().name()), wrap);
                case MaxPool p -> maxPool(p, t.get(p.input().name()));
                case Concat c -> {
                    short[] o = new short[c.output().shape().size()];
                    int k = 0;
                    for (Tensor part : c.inputs()) {
                        for (short v : t.get(part.name())) {
                            o[k++] = v;
                        }
                    }
                    yield o;
                }
                case GlobalAvgPool a -> average(a, t.get(a.input().name()));
                default -> throw new UnsupportedOperationException(l.name());
            };
            t.put(l.output().name(), out);
        }
        return t;
    }

    static int at(short[] x, Shape s, int c, int y, int xx) {
        if (y < 0 || y >= s.height() || xx < 0 || xx >= s.width()) {
            return 0;
        }
        return x[(c * s.height() + y) * s.width() + xx];
    }

    static short clip16(long v) {
        return (short) Math.min(32767, Math.max(-32768, v));
    }

    /** The device's 32-bit register: keeps the low 32 bits, two's complement. */
    static long wrap32(long v) {
        return (int) v;
    }

    /**
     * DESIGN.md section 1 step 2, literally, in 64-bit arithmetic with the 32-bit wraps written out:
     * per input channel {@code A = wrap32((out << norm) + acc_c); A = wrap32(A + 2^(norm-1));
     * out = clip16(A >> norm)}. {@code wrap = false} leaves every wrap out (a 64-bit accumulator; not the
     * device, what the golden calls {@code descriptor_q10_if_64bit_accumulator}).
     */
    static short[] conv(Conv2d c, short[] in, boolean wrap) {
        Shape is = c.input().shape();
        Shape os = c.output().shape();
        int norm = c.norm();
        long half = norm > 0 ? 1L << (norm - 1) : 0; // rounding constant; none for a zero shift
        short[] weight = c.weight().rawValues(); // [out][in][kh][kw]
        short[] out = new short[os.size()];
        for (int oc = 0; oc < os.channels(); oc++) {
            for (int oy = 0; oy < os.height(); oy++) {
                for (int ox = 0; ox < os.width(); ox++) {
                    // 1. start from the bias (stored at the output's Q)
                    long o = c.bias().raw(oc);
                    for (int ic = 0; ic < is.channels(); ic++) {
                        // acc_c: this channel's window of int16 x int16 products, in the 32-bit register
                        long acc = 0;
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                long v = at(in, is, ic, oy * c.strideH() - c.padding().top() + ky,
                                        ox * c.strideW() - c.padding().left() + kx);
                                long w = weight[((oc * is.channels() + ic) * c.kernelH() + ky) * c.kernelW() + kx];
                                acc = wrap ? wrap32(acc + v * w) : acc + v * w;
                            }
                        }
                        // 2. re-expand the running output, add, round, narrow: each 32-bit step wraps
                        long a = (o << norm) + acc;
                        a = wrap ? wrap32(a) : a;
                        a = a + half;
                        a = wrap ? wrap32(a) : a;
                        o = clip16(a >> norm);
                    }
                    // 3. ReLU
                    if (c.activation() == Activation.RELU && o < 0) {
                        o = 0;
                    }
                    out[(oc * os.height() + oy) * os.width() + ox] = (short) o;
                }
            }
        }
        return out;
    }

    static short[] maxPool(MaxPool p, short[] in) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        short[] out = new short[os.size()];
        for (int c = 0; c < os.channels(); c++) {
            for (int oy = 0; oy < os.height(); oy++) {
                for (int ox = 0; ox < os.width(); ox++) {
                    int m = Short.MIN_VALUE;
                    for (int ky = 0; ky < p.kernel(); ky++) {
                        for (int kx = 0; kx < p.kernel(); kx++) {
                            int y = oy * p.stride() + ky;
                            int x = ox * p.stride() + kx;
                            m = Math.max(m, in[(c * is.height() + y) * is.width() + x]);
                        }
                    }
                    out[(c * os.height() + oy) * os.width() + ox] = (short) m;
                }
            }
        }
        return out;
    }

    /** 4. the device's average: (sum * (65536 / n) + 2^15) >> 16, i.e. * 1337 for 7x7. */
    static short[] average(GlobalAvgPool a, short[] in) {
        Shape s = a.input().shape();
        int n = s.plane();
        short[] out = new short[s.channels()];
        for (int c = 0; c < s.channels(); c++) {
            int sum = 0;
            for (int k = 0; k < n; k++) {
                sum += in[c * n + k];
            }
            out[c] = clip16((sum * (65536 / n) + (1 << 15)) >> 16);
        }
        return out;
    }
}
