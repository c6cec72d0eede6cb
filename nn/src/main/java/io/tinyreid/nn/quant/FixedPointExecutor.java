package io.tinyreid.nn.quant;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 * {@link IntegerReference}'s arithmetic, bit for bit, in loops the JIT vectorises: a conv
 * accumulates a whole output plane per (input channel, kernel tap) in an int row buffer; rounding
 * uses {@code ((acc >> (norm-1)) + 1) >> 1}, equal to {@code (acc + 2^(norm-1)) >> norm} without
 * overflow. Buffers and weights are laid out once in the constructor; {@link #run} allocates
 * nothing. Unplanned (one buffer per tensor): this is the PC path for evaluation.
 */
public final class FixedPointExecutor {
    private final Graph graph;
    private final List<Layer> layers;
    private final int[][] out;
    private final int[][][] in;
    private final int[][] weights;
    private final int[][] biasAcc;
    private final int[][] norms;
    private final int[] scratch;
    private final int[][] tiled;
    private final int[] padded;
    private final int[] hwcAcc;
    private final Map<String, int[]> byName = new HashMap<>();

    /** Prepares a quantised graph. */
    public FixedPointExecutor(Graph graph) {
        this.graph = graph;
        this.layers = graph.layers();
        int n = layers.size();
        out = new int[n][];
        in = new int[n][][];
        weights = new int[n][];
        biasAcc = new int[n][];
        norms = new int[n][];
        for (Tensor t : graph.tensors()) {
            if (!t.quantised()) {
                throw new IllegalArgumentException("tensor " + t + " has no fixed-point format");
            }
            byName.put(t.name(), new int[t.shape().size()]);
        }
        int maxPlane = 1;
        int maxPad = 1;
        int maxOut = 1;
        tiled = new int[n][];
        for (int i = 0; i < n; i++) {
            Layer l = layers.get(i);
            out[i] = byName.get(l.output().name());
            in[i] = l.inputs().stream().map(t -> byName.get(t.name())).toArray(int[][]::new);
            maxPlane = Math.max(maxPlane, l.output().shape().plane());
            switch (l) {
                case Conv2d c -> {
                    weights[i] = toInts(c.weight().rawValues());
                    if (IntConvKernel.handles(c.groups(), c.outChannels())) {
                        Shape is = c.input().shape();
                        tiled[i] = IntConvKernel.layout(weights[i], c.outChannels(), is.channels(), c.kernelH(), c.kernelW());
                        maxPad = Math.max(maxPad, (is.height() + c.padding().top() + c.padding().bottom())
                                * (is.width() + c.padding().left() + c.padding().right()) * is.channels());
                        maxOut = Math.max(maxOut, c.output().shape().size());
                    }
                    norms[i] = new int[c.outChannels()];
                    biasAcc[i] = new int[c.outChannels()];
                    for (int o = 0; o < c.outChannels(); o++) {
                        norms[i][o] = c.norm(o);
                        biasAcc[i][o] = biasAtAcc(c.bias().raw(o), norms[i][o]);
                    }
                }
                case FullyConnected f -> {
                    int o = f.output().shape().size();
                    weights[i] = toInts(f.weight().rawValues());
                    norms[i] = new int[o];
                    biasAcc[i] = new int[o];
                    for (int k = 0; k < o; k++) {
                        norms[i][k] = f.input().q().fracBits() + f.weight().channelQ(f.weight().perChannel() ? k : 0).fracBits()
                                - f.output().q().fracBits();
                        biasAcc[i][k] = biasAtAcc(f.bias().raw(k), norms[i][k]);
                    }
                }
                case Scale s -> {
                    int c = s.input().shape().channels();
                    weights[i] = toInts(s.scale().rawValues());
                    norms[i] = new int[c];
                    biasAcc[i] = new int[c];
                    for (int k = 0; k < c; k++) {
                        norms[i][k] = s.input().q().fracBits() + s.scale().q().fracBits() - s.output().q().fracBits();
                        biasAcc[i][k] = biasAtAcc(s.bias().raw(k), norms[i][k]);
                    }
                }
                case L2Normalize l2 -> throw new UnsupportedOperationException("layer " + l2.name() + ": no fixed-point L2 normalisation");
                default -> { }
            }
        }
        scratch = new int[maxPlane];
        padded = new int[maxPad];
        hwcAcc = new int[maxOut];
    }

    private static int[] toInts(short[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[i];
        }
        return r;
    }

    /** The graph run. */
    public Graph graph() {
        return graph;
    }

    /** Runs on real-valued input; writes the output in real units into {@code output}. */
    public void run(float[] input, float[] output) {
        Tensor it = graph.input();
        int[] x = byName.get(it.name());
        if (input.length != x.length || output.length != graph.output().shape().size()) {
            throw new IllegalArgumentException("expected " + x.length + " input and " + graph.output().shape().size()
                    + " output values");
        }
        QFormat iq = it.q();
        for (int i = 0; i < x.length; i++) {
            x[i] = iq.toRaw(input[i]);
        }
        for (int i = 0; i < layers.size(); i++) {
            step(i);
        }
        int[] y = byName.get(graph.output().name());
        QFormat oq = graph.output().q();
        for (int i = 0; i < y.length; i++) {
            output[i] = oq.toReal(y[i]);
        }
    }

    /** A tensor's raw values after a run (the executor's own buffer). */
    public int[] rawActivation(String name) {
        return byName.get(name);
    }

    private void step(int i) {
        Layer l = layers.get(i);
        int[] o = out[i];
        QFormat oq = l.output().q();
        int lo = oq.minRaw();
        int hi = oq.maxRaw();
        switch (l) {
            case Conv2d c -> {
                if (tiled[i] != null) {
                    tiledConv(c, in[i][0], tiled[i], biasAcc[i], norms[i], o, lo, hi);
                } else {
                    conv(c, in[i][0], weights[i], biasAcc[i], norms[i], o, lo, hi);
                }
            }
            case FullyConnected f -> {
                int[] x = in[i][0];
                int[] w = weights[i];
                int n = x.length;
                for (int k = 0; k < o.length; k++) {
                    int acc = biasAcc[i][k];
                    int base = k * n;
                    for (int j = 0; j < n; j++) {
                        acc += x[j] * w[base + j];
                    }
                    o[k] = clamp(round(acc, norms[i][k], f.bias().raw(k)), lo, hi);
                }
            }
            case Scale s -> {
                int[] x = in[i][0];
                int plane = s.input().shape().plane();
                for (int c = 0; c < norms[i].length; c++) {
                    int w = weights[i][c];
                    int b = biasAcc[i][c];
                    int norm = norms[i][c];
                    for (int k = c * plane; k < (c + 1) * plane; k++) {
                        o[k] = clamp(round(x[k] * w + b, norm, s.bias().raw(c)), lo, hi);
                    }
                }
            }
            case Relu r -> rescale(in[i][0], o, r.input().q().fracBits() - oq.fracBits(), true, lo, hi);
            case MaxPool p -> maxPool(p, in[i][0], o);
            case AvgPool p -> avgPool(p, in[i][0], o, lo, hi);
            case GlobalAvgPool g -> {
                int[] x = in[i][0];
                int plane = g.input().shape().plane();
                int shift = oq.fracBits() - g.input().q().fracBits();
                for (int c = 0; c < o.length; c++) {
                    long sum = 0;
                    for (int k = c * plane; k < (c + 1) * plane; k++) {
                        sum += x[k];
                    }
                    o[c] = (int) Math.max(lo, Math.min(hi, divRound(sum, plane, shift)));
                }
            }
            case ZeroPad z -> zeroPad(z, in[i][0], o, lo, hi);
            case Add a -> {
                int[] x = in[i][0];
                int[] y = in[i][1];
                int sa = a.a().q().fracBits() - oq.fracBits();
                int sb = a.b().q().fracBits() - oq.fracBits();
                if (sa == 0 && sb == 0) {
                    for (int k = 0; k < o.length; k++) {
                        o[k] = Math.max(lo, Math.min(hi, x[k] + y[k]));
                    }
                } else {
                    for (int k = 0; k < o.length; k++) {
                        o[k] = (int) Math.max(lo, Math.min(hi,
                                shiftRound(x[k], sa) + shiftRound(y[k], sb)));
                    }
                }
            }
            case Concat c -> {
                int off = 0;
                for (int p = 0; p < c.inputs().size(); p++) {
                    int[] x = in[i][p];
                    int shift = c.inputs().get(p).q().fracBits() - oq.fracBits();
                    int[] dst = o;
                    int start = off;
                    if (shift == 0) {
                        System.arraycopy(x, 0, dst, start, x.length);
                    } else {
                        for (int k = 0; k < x.length; k++) {
                            dst[start + k] = (int) Math.max(lo, Math.min(hi, shiftRound(x[k], shift)));
                        }
                    }
                    off += x.length;
                }
            }
            case L2Normalize n -> throw new IllegalStateException("unreachable");
        }
    }

    /** {@code round(acc / 2^norm)} half up without overflow; a negative norm shifts left and adds the bias late. */
    private static long round(int acc, int norm, int bias) {
        if (norm > 0) {
            return ((acc >> (norm - 1)) + 1) >> 1;
        }
        return ((long) acc << -norm) + (norm < 0 ? bias : 0);
    }

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    private void conv(Conv2d c, int[] x, int[] w, int[] bias, int[] norm, int[] o, int lo, int hi) {
        Shape is = c.input().shape();
        Shape os = c.output().shape();
        int ih = is.height();
        int iw = is.width();
        int oh = os.height();
        int ow = os.width();
        int sh = c.strideH();
        int sw = c.strideW();
        int pt = c.padding().top();
        int pl = c.padding().left();
        int kh = c.kernelH();
        int kw = c.kernelW();
        int inPer = c.inPerGroup();
        int outPer = c.outChannels() / c.groups();
        int plane = oh * ow;
        int[] acc = scratch;
        boolean relu = c.activation() == Activation.RELU;
        for (int oc = 0; oc < c.outChannels(); oc++) {
            Arrays.fill(acc, 0, plane, bias[oc]);
            int icBase = (oc / outPer) * inPer;
            for (int ic = 0; ic < inPer; ic++) {
                int inPlane = (icBase + ic) * ih * iw;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int wv = w[((oc * inPer + ic) * kh + ky) * kw + kx];
                        if (wv == 0) {
                            continue;
                        }
                        int x0 = Math.max(0, Math.ceilDiv(pl - kx, sw));
                        int x1 = Math.min(ow, Math.ceilDiv(iw + pl - kx, sw));
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * sh - pt + ky;
                            if (iy < 0 || iy >= ih) {
                                continue;
                            }
                            int row = inPlane + iy * iw - pl + kx;
                            int orow = oy * ow;
                            if (sw == 1) {
                                for (int ox = x0; ox < x1; ox++) {
                                    acc[orow + ox] += wv * x[row + ox];
                                }
                            } else {
                                for (int ox = x0; ox < x1; ox++) {
                                    acc[orow + ox] += wv * x[row + ox * sw];
                                }
                            }
                        }
                    }
                }
            }
            int n = norm[oc];
            int base = oc * plane;
            int rl = relu ? Math.max(lo, 0) : lo;
            if (n > 0) {
                for (int k = 0; k < plane; k++) {
                    int v = ((acc[k] >> (n - 1)) + 1) >> 1;
                    o[base + k] = Math.max(rl, Math.min(hi, v));
                }
            } else {
                int late = n < 0 ? c.bias().raw(oc) : 0;
                for (int k = 0; k < plane; k++) {
                    long v = ((long) acc[k] << -n) + late;
                    o[base + k] = (int) Math.max(rl, Math.min(hi, v));
                }
            }
        }
    }

    private void tiledConv(Conv2d c, int[] x, int[] wl, int[] bias, int[] norm, int[] o, int lo, int hi) {
        Shape is = c.input().shape();
        Shape os = c.output().shape();
        int ph = is.height() + c.padding().top() + c.padding().bottom();
        int pw = is.width() + c.padding().left() + c.padding().right();
        IntConvKernel.toPaddedHwc(x, is.channels(), is.height(), is.width(), c.padding().top(), c.padding().left(), ph, pw, padded);
        int outC = c.outChannels();
        IntConvKernel.run(padded, pw, is.channels(), wl, bias, outC, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                os.height(), os.width(), hwcAcc);
        int plane = os.plane();
        int rl = c.activation() == Activation.RELU ? Math.max(lo, 0) : lo;
        for (int oc = 0; oc < outC; oc++) {
            int n = norm[oc];
            int base = oc * plane;
            if (n > 0) {
                for (int k = 0; k < plane; k++) {
                    int v = ((hwcAcc[k * outC + oc] >> (n - 1)) + 1) >> 1;
                    o[base + k] = Math.max(rl, Math.min(hi, v));
                }
            } else {
                int late = n < 0 ? c.bias().raw(oc) : 0;
                for (int k = 0; k < plane; k++) {
                    long v = ((long) hwcAcc[k * outC + oc] << -n) + late;
                    o[base + k] = (int) Math.max(rl, Math.min(hi, v));
                }
            }
        }
    }

    private static void rescale(int[] x, int[] o, int shift, boolean relu, int lo, int hi) {
        for (int k = 0; k < o.length; k++) {
            int v = relu ? Math.max(0, x[k]) : x[k];
            o[k] = shift == 0 ? Math.max(lo, Math.min(hi, v)) : (int) Math.max(lo, Math.min(hi, shiftRound(v, shift)));
        }
    }

    private static void maxPool(MaxPool p, int[] x, int[] o) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        int k = p.kernel();
        int s = p.stride();
        for (int c = 0; c < is.channels(); c++) {
            for (int y = 0; y < os.height(); y++) {
                for (int xx = 0; xx < os.width(); xx++) {
                    int m = Integer.MIN_VALUE;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = y * s + ky - p.padding().top();
                        if (iy < 0 || iy >= is.height()) {
                            continue;
                        }
                        int row = (c * is.height() + iy) * is.width();
                        for (int kx = 0; kx < k; kx++) {
                            int ix = xx * s + kx - p.padding().left();
                            if (ix >= 0 && ix < is.width()) {
                                m = Math.max(m, x[row + ix]);
                            }
                        }
                    }
                    o[(c * os.height() + y) * os.width() + xx] = m;
                }
            }
        }
    }

    private static void avgPool(AvgPool p, int[] x, int[] o, int lo, int hi) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        int k = p.kernel();
        int s = p.stride();
        int shift = p.output().q().fracBits() - p.input().q().fracBits();
        for (int c = 0; c < is.channels(); c++) {
            for (int y = 0; y < os.height(); y++) {
                for (int xx = 0; xx < os.width(); xx++) {
                    long sum = 0;
                    for (int ky = 0; ky < k; ky++) {
                        int row = (c * is.height() + y * s + ky) * is.width() + xx * s;
                        for (int kx = 0; kx < k; kx++) {
                            sum += x[row + kx];
                        }
                    }
                    o[(c * os.height() + y) * os.width() + xx] =
                            (int) Math.max(lo, Math.min(hi, divRound(sum, k * k, shift)));
                }
            }
        }
    }

    private static void zeroPad(ZeroPad z, int[] x, int[] o, int lo, int hi) {
        Shape is = z.input().shape();
        Shape os = z.output().shape();
        int shift = z.input().q().fracBits() - z.output().q().fracBits();
        Arrays.fill(o, 0);
        for (int c = 0; c < is.channels(); c++) {
            for (int y = 0; y < is.height(); y++) {
                int src = (c * is.height() + y) * is.width();
                int dst = (c * os.height() + y + z.padding().top()) * os.width() + z.padding().left();
                for (int xx = 0; xx < is.width(); xx++) {
                    int v = x[src + xx];
                    o[dst + xx] = shift == 0 ? v : (int) Math.max(lo, Math.min(hi, shiftRound(v, shift)));
                }
            }
        }
    }

    // Its own copies of the arithmetic, not IntegerReference's: the reference must stay an independent
    // definition that a mistake here cannot change along with it.

    /** The bias in the accumulator's format (it starts the sum), or 0 when the shift is negative. */
    private static int biasAtAcc(int bias, int norm) {
        return norm >= 0 ? bias << norm : 0;
    }

    /** {@code round(v * 2^-shift)}, half up; a negative shift multiplies. */
    private static long shiftRound(long v, int shift) {
        return shift > 0 ? (v + (1L << (shift - 1))) >> shift : v << -shift;
    }

    /** {@code round(sum * 2^shift / n)}, half up, exactly. */
    private static long divRound(long sum, int n, int shift) {
        long num = shift >= 0 ? sum << shift : sum;
        long den = shift >= 0 ? n : (long) n << -shift;
        return Math.floorDiv(2 * num + den, 2 * den);
    }
}
