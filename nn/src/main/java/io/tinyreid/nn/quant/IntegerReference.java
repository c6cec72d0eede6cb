package io.tinyreid.nn.quant;

import java.util.HashMap;
import java.util.Map;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.L2Normalize;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * The fixed-point arithmetic our quantiser targets, written plainly (one {@code int[]} per tensor):
 * the definition the optimised int16/int8 kernels must equal bit for bit, and the executor behind the
 * quantiser's report. Any quantised graph, int16 or int8 or mixed. It shares no code with the
 * optimised executors (they keep their own copies of these few lines), so it judges them independently;
 * {@code IntegerEdgeTest} checks it against hand-worked values at the limits.
 *
 * <p>Per op: conv/fully connected/scale accumulate {@code (bias << norm) + sum x*w} in a 32-bit
 * two's-complement register that wraps, like the MCU's (the quantiser leaves a spare bit so it does
 * not on calibration data; {@code bias << norm} wraps too), and round once,
 * {@code (acc + 2^(norm-1)) >> norm} with the rounding add in 64 bits (it never wraps: unlike the
 * GAP8's per-channel arithmetic of mode exact), arithmetic shift; a negative norm shifts left and adds
 * the bias after; saturate to the output's width, then ReLU. Average pools sum the window and divide by its size with the change of
 * format folded in, rounding half up. Add rescales each input to the output format (the quantiser
 * aligns them, so this is a plain sum) and saturates. ReLU, max pool, zero padding and concat keep
 * the format.
 */
public final class IntegerReference {
    private final Graph graph;
    private final Map<String, int[]> raw = new HashMap<>();
    private final Map<String, Long> saturations = new HashMap<>();

    /** Prepares buffers for a quantised graph. */
    public IntegerReference(Graph graph) {
        for (Tensor t : graph.tensors()) {
            if (!t.quantised()) {
                throw new IllegalArgumentException("tensor " + t + " has no fixed-point format");
            }
            raw.put(t.name(), new int[t.shape().size()]);
        }
        this.graph = graph;
    }

    /** Runs on real-valued input (quantised to the input's format); returns the output in real units. */
    public float[] run(float[] input) {
        Tensor in = graph.input();
        int[] x = raw.get(in.name());
        if (input.length != x.length) {
            throw new IllegalArgumentException("expected " + x.length + " input values, got " + input.length);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = in.q().toRaw(input[i]);
        }
        for (Layer l : graph.layers()) {
            step(l);
        }
        return real(graph.output().name());
    }

    /** A tensor's raw values after a run. */
    public int[] rawActivation(String name) {
        return raw.get(name);
    }

    /** A tensor's values in real units after a run. */
    public float[] real(String name) {
        Tensor t = tensor(name);
        int[] r = raw.get(name);
        float[] out = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = t.q().toReal(r[i]);
        }
        return out;
    }

    /** Values saturated so far, per output tensor (summed over runs). */
    public long saturations(String name) {
        return saturations.getOrDefault(name, 0L);
    }

    private Tensor tensor(String name) {
        for (Tensor t : graph.tensors()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    private int sat(long v, QFormat q, String name) {
        if (v > q.maxRaw()) {
            saturations.merge(name, 1L, Long::sum);
            return q.maxRaw();
        }
        if (v < q.minRaw()) {
            saturations.merge(name, 1L, Long::sum);
            return q.minRaw();
        }
        return (int) v;
    }

    /** {@code round(acc * 2^-shift)}, half up; a negative shift multiplies. */
    static long shiftRound(long acc, int shift) {
        if (shift > 0) {
            return (acc + (1L << (shift - 1))) >> shift;
        }
        return acc << -shift;
    }

    private void step(Layer l) {
        int[] out = raw.get(l.output().name());
        QFormat oq = l.output().q();
        String on = l.output().name();
        switch (l) {
            case Conv2d c -> conv(c, raw.get(c.input().name()), out);
            case FullyConnected f -> {
                int[] x = raw.get(f.input().name());
                int n = x.length;
                for (int o = 0; o < out.length; o++) {
                    int norm = f.input().q().fracBits() + f.weight().channelQ(f.weight().perChannel() ? o : 0).fracBits() - oq.fracBits();
                    int acc = biasAtAcc(f.bias().raw(o), norm);
                    for (int i = 0; i < n; i++) {
                        acc += x[i] * f.weight().raw(o * n + i);
                    }
                    out[o] = sat(shiftRound(acc, norm) + biasLate(f.bias().raw(o), norm), oq, on);
                }
            }
            case Scale s -> {
                int[] x = raw.get(s.input().name());
                int plane = s.input().shape().plane();
                for (int c = 0; c < s.input().shape().channels(); c++) {
                    int norm = s.input().q().fracBits() + s.scale().q().fracBits() - oq.fracBits();
                    int b = biasAtAcc(s.bias().raw(c), norm);
                    long late = biasLate(s.bias().raw(c), norm);
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        out[i] = sat(shiftRound(x[i] * s.scale().raw(c) + b, norm) + late, oq, on);
                    }
                }
            }
            case Relu r -> {
                int[] x = raw.get(r.input().name());
                int shift = r.input().q().fracBits() - oq.fracBits();
                for (int i = 0; i < out.length; i++) {
                    out[i] = sat(shiftRound(Math.max(0, x[i]), shift), oq, on);
                }
            }
            case MaxPool p -> maxPool(p, raw.get(p.input().name()), out);
            case AvgPool p -> {
                Shape in = p.input().shape();
                Shape os = p.output().shape();
                int[] x = raw.get(p.input().name());
                for (int c = 0; c < in.channels(); c++) {
                    for (int y = 0; y < os.height(); y++) {
                        for (int xx = 0; xx < os.width(); xx++) {
                            long sum = 0;
                            for (int ky = 0; ky < p.kernel(); ky++) {
                                for (int kx = 0; kx < p.kernel(); kx++) {
                                    sum += x[(c * in.height() + y * p.stride() + ky) * in.width() + xx * p.stride() + kx];
                                }
                            }
                            out[(c * os.height() + y) * os.width() + xx] =
                                    sat(divRound(sum, p.kernel() * p.kernel(), oq.fracBits() - p.input().q().fracBits()), oq, on);
                        }
                    }
                }
            }
            case GlobalAvgPool g -> {
                int[] x = raw.get(g.input().name());
                int plane = g.input().shape().plane();
                for (int c = 0; c < out.length; c++) {
                    long sum = 0;
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        sum += x[i];
                    }
                    out[c] = sat(divRound(sum, plane, oq.fracBits() - g.input().q().fracBits()), oq, on);
                }
            }
            case ZeroPad z -> {
                Shape in = z.input().shape();
                Shape os = z.output().shape();
                int[] x = raw.get(z.input().name());
                java.util.Arrays.fill(out, 0);
                int shift = z.input().q().fracBits() - oq.fracBits();
                for (int c = 0; c < in.channels(); c++) {
                    for (int y = 0; y < in.height(); y++) {
                        for (int xx = 0; xx < in.width(); xx++) {
                            out[(c * os.height() + y + z.padding().top()) * os.width() + xx + z.padding().left()] =
                                    sat(shiftRound(x[(c * in.height() + y) * in.width() + xx], shift), oq, on);
                        }
                    }
                }
            }
            case Add a -> {
                int[] x = raw.get(a.a().name());
                int[] y = raw.get(a.b().name());
                int sa = a.a().q().fracBits() - oq.fracBits();
                int sb = a.b().q().fracBits() - oq.fracBits();
                for (int i = 0; i < out.length; i++) {
                    out[i] = sat(shiftRound(x[i], sa) + shiftRound(y[i], sb), oq, on);
                }
            }
            case Concat c -> {
                int off = 0;
                for (Tensor t : c.inputs()) {
                    int[] x = raw.get(t.name());
                    int shift = t.q().fracBits() - oq.fracBits();
                    for (int i = 0; i < x.length; i++) {
                        out[off + i] = sat(shiftRound(x[i], shift), oq, on);
                    }
                    off += x.length;
                }
            }
            case L2Normalize n -> throw new UnsupportedOperationException(
                    "layer " + n.name() + ": L2 normalisation has no fixed-point form here; normalise the real output");
        }
    }

    /** {@code round(sum * 2^shift / n)}, half up, exactly. */
    static long divRound(long sum, int n, int shift) {
        long num = shift >= 0 ? sum << shift : sum;
        long den = shift >= 0 ? n : (long) n << -shift;
        return Math.floorDiv(2 * num + den, 2 * den);
    }

    /** The bias in the accumulator's format (it starts the sum), or 0 when the shift is negative. */
    static int biasAtAcc(int bias, int norm) {
        return norm >= 0 ? bias << norm : 0;
    }

    /** The bias added after a left shift (negative norm), else 0. */
    static long biasLate(int bias, int norm) {
        return norm < 0 ? bias : 0;
    }

    private void conv(Conv2d c, int[] x, int[] out) {
        Shape in = c.input().shape();
        Shape os = c.output().shape();
        QFormat oq = c.output().q();
        int ipg = c.inPerGroup();
        int opg = c.outChannels() / c.groups();
        int kh = c.kernelH();
        int kw = c.kernelW();
        boolean relu = c.activation() == Activation.RELU;
        for (int o = 0; o < c.outChannels(); o++) {
            int norm = c.norm(o);
            int bias = biasAtAcc(c.bias().raw(o), norm);
            long late = biasLate(c.bias().raw(o), norm);
            int g = o / opg;
            for (int y = 0; y < os.height(); y++) {
                for (int xx = 0; xx < os.width(); xx++) {
                    int acc = bias;
                    for (int i = 0; i < ipg; i++) {
                        int ci = g * ipg + i;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = y * c.strideH() + ky - c.padding().top();
                            if (iy < 0 || iy >= in.height()) {
                                continue;
                            }
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = xx * c.strideW() + kx - c.padding().left();
                                if (ix < 0 || ix >= in.width()) {
                                    continue;
                                }
                                acc += x[(ci * in.height() + iy) * in.width() + ix]
                                        * c.weight().raw(((o * ipg + i) * kh + ky) * kw + kx);
                            }
                        }
                    }
                    long v = shiftRound(acc, norm) + late;
                    if (relu && v < 0) {
                        v = 0;
                    }
                    out[(o * os.height() + y) * os.width() + xx] = sat(v, oq, c.output().name());
                }
            }
        }
    }

    private static void maxPool(MaxPool p, int[] x, int[] out) {
        Shape in = p.input().shape();
        Shape os = p.output().shape();
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < os.height(); y++) {
                for (int xx = 0; xx < os.width(); xx++) {
                    int m = Integer.MIN_VALUE;
                    for (int ky = 0; ky < p.kernel(); ky++) {
                        int iy = y * p.stride() + ky - p.padding().top();
                        if (iy < 0 || iy >= in.height()) {
                            continue;
                        }
                        for (int kx = 0; kx < p.kernel(); kx++) {
                            int ix = xx * p.stride() + kx - p.padding().left();
                            if (ix >= 0 && ix < in.width()) {
                                m = Math.max(m, x[(c * in.height() + iy) * in.width() + ix]);
                            }
                        }
                    }
                    out[(c * os.height() + y) * os.width() + xx] = m;
                }
            }
        }
    }
}
