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

    /** As {@link #run(Graph, short[])}; {@code wrap = false} sums in 64 bits instead (not the device). */
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

    static short clip16(int v) {
        return (short) Math.min(32767, Math.max(-32768, v));
    }

    static short[] conv(Conv2d c, short[] in, boolean wrap) {
        Shape is = c.input().shape();
        Shape os = c.output().shape();
        int norm = c.norm();
        int half = norm > 0 ? 1 << (norm - 1) : 0; // rounding constant; none for a zero shift
        short[] out = new short[os.size()];
        for (int oc = 0; oc < os.channels(); oc++) {
            for (int oy = 0; oy < os.height(); oy++) {
                for (int ox = 0; ox < os.width(); ox++) {
                    // 1. start from the bias (stored at the output's Q)
                    int o = c.bias().raw(oc);
                    // 2. per input channel: a wrapping 32-bit sum, rounded shift, saturating add
                    for (int ic = 0; ic < is.channels(); ic++) {
                        long acc = 0;
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                int v = at(in, is, ic, oy * c.strideH() - c.padding().top() + ky,
                                        ox * c.strideW() - c.padding().left() + kx);
                                int w = c.weight().raw(((oc * is.channels() + ic) * c.kernelH() + ky) * c.kernelW() + kx);
                                acc += v * w;
                                if (wrap) {
                                    acc = (int) acc; // the device's 32-bit register
                                }
                            }
                        }
                        long shifted = wrap ? ((int) acc + half) >> norm : (acc + half) >> norm;
                        o = clip16((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, o + shifted)));
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
