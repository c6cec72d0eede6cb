package io.tinyreid.nn.exec;

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
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.ZeroPad;
import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Runs any graph in float32 with the real (dequantised) weights. Every tensor gets its own buffer,
 * allocated once here, so {@link #run} allocates nothing and every activation can be inspected
 * afterwards (calibration, layer-by-layer comparisons). Not planned: this is the PC reference path.
 */
public final class FloatExecutor {
    private final Graph graph;
    private final Map<String, float[]> buffers = new HashMap<>();
    private final float[][] layerOut;
    private final float[][][] layerIn;
    private final float[][] weights;
    private final float[][] biases;
    // Dense convs run through FloatConvKernel: the input is copied into a zero-padded window (stride
    // phases split), weights are padded to whole blocks of four channels.
    private final ConvGeometry[] geometry;
    private final float[] window;
    private final float[] acc = new float[FloatConvKernel.ACCUMULATORS];
    /** Four channels' weights spread across vectors ({@link FloatConvKernel#BROADCAST} only, else empty). */
    private final float[] broadcastWeights;
    /** One row of window maxima for the unpadded max pool. */
    private final float[] poolRow;

    public FloatExecutor(Graph graph) {
        this.graph = graph;
        for (Tensor t : graph.tensors()) {
            buffers.put(t.name(), new float[t.shape().size()]);
        }
        List<Layer> layers = graph.layers();
        layerOut = new float[layers.size()][];
        layerIn = new float[layers.size()][][];
        weights = new float[layers.size()][];
        biases = new float[layers.size()][];
        geometry = new ConvGeometry[layers.size()];
        int maxWindow = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            layerOut[i] = buffers.get(l.output().name());
            layerIn[i] = l.inputs().stream().map(t -> buffers.get(t.name())).toArray(float[][]::new);
            switch (l) {
                case Conv2d c -> {
                    weights[i] = c.weight().realValues();
                    biases[i] = c.bias().realValues();
                    if (c.groups() == 1) {
                        geometry[i] = new ConvGeometry(c);
                        maxWindow = Math.max(maxWindow, geometry[i].windowWords());
                        // room for the last block of four channels (its extra channels are computed and dropped)
                        weights[i] = java.util.Arrays.copyOf(weights[i], (c.outChannels() + 3) / 4 * 4 * geometry[i].taps);
                    }
                }
                case FullyConnected f -> {
                    weights[i] = f.weight().realValues();
                    biases[i] = f.bias().realValues();
                }
                case Scale sc -> {
                    weights[i] = sc.scale().realValues();
                    biases[i] = sc.bias().realValues();
                }
                default -> { }
            }
        }
        window = new float[maxWindow + FloatConvKernel.SLACK];
        int maxTaps = 0;
        for (ConvGeometry g : geometry) {
            maxTaps = g == null ? maxTaps : Math.max(maxTaps, g.taps);
        }
        broadcastWeights = new float[FloatConvKernel.BROADCAST ? FloatConvKernel.broadcastWords(maxTaps) : 0];
        int widest = 1;
        for (Layer l : layers) {
            if (l instanceof MaxPool p) {
                widest = Math.max(widest, p.input().shape().width());
            }
        }
        poolRow = new float[widest + F.length()];
    }

    /** The graph run. */
    public Graph graph() {
        return graph;
    }

    /** Runs the network: {@code input} is the graph input in real units, {@code output} receives the output. */
    public void run(float[] input, float[] output) {
        float[] in = buffers.get(graph.input().name());
        if (input.length != in.length || output.length != graph.output().shape().size()) {
            throw new IllegalArgumentException("expected input " + in.length + " and output "
                    + graph.output().shape().size() + " values, got " + input.length + " and " + output.length);
        }
        System.arraycopy(input, 0, in, 0, in.length);
        List<Layer> layers = graph.layers();
        for (int i = 0; i < layers.size(); i++) {
            float[] out = layerOut[i];
            float[][] ins = layerIn[i];
            switch (layers.get(i)) {
                case Conv2d c -> {
                    if (geometry[i] != null) {
                        windowConv(geometry[i], ins[0], weights[i], biases[i], out);
                    } else {
                        conv(c, ins[0], weights[i], biases[i], out);
                    }
                }
                case Relu r -> relu(ins[0], out);
                case MaxPool p -> {
                    // masked float loads: not intrinsified on SSE, whose plain path is the scalar pool
                    if (VectorShapes.CONVERTS && p.padding().top() == 0 && p.padding().left() == 0) {
                        maxPoolUnpadded(p, ins[0], out);
                    } else if (!VectorShapes.CONVERTS) {
                        maxPoolColumns(p, ins[0], out);
                    } else {
                        maxPool(p, ins[0], out);
                    }
                }
                case AvgPool p -> avgPool(p, ins[0], out);
                case GlobalAvgPool g -> globalAvg(g.input().shape(), ins[0], out);
                case Concat c -> {
                    int off = 0;
                    for (float[] part : ins) {
                        System.arraycopy(part, 0, out, off, part.length);
                        off += part.length;
                    }
                }
                case Add a -> {
                    float[] x = ins[0];
                    float[] y = ins[1];
                    for (int k = 0; k < out.length; k++) {
                        out[k] = x[k] + y[k];
                    }
                }
                case ZeroPad z -> zeroPad(z, ins[0], out);
                case Scale s -> scale(s.input().shape(), ins[0], weights[i], biases[i], out);
                case FullyConnected f -> fullyConnected(ins[0], weights[i], biases[i], out);
                case L2Normalize n -> l2(ins[0], out);
            }
        }
        System.arraycopy(buffers.get(graph.output().name()), 0, output, 0, output.length);
    }

    /** The buffer of tensor {@code name} as of the last run (live view, do not modify). */
    public float[] activation(String name) {
        float[] b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return b;
    }

    /** Where a dense conv's taps read in the window, and its shape as plain ints. */
    private static final class ConvGeometry {
        final int cin;
        final int inH;
        final int inW;
        final int outC;
        final int outH;
        final int outW;
        final int sh;
        final int sw;
        final int pt;
        final int pl;
        final int taps;
        final int rows;
        final int phaseLength;
        final int rowLength;
        final boolean relu;
        /** Per tap: window offset read by output position 0. */
        final int[] offsets;

        ConvGeometry(Conv2d c) {
            Shape is = c.input().shape();
            Shape os = c.output().shape();
            cin = is.channels();
            inH = is.height();
            inW = is.width();
            outC = os.channels();
            outH = os.height();
            outW = os.width();
            sh = c.strideH();
            sw = c.strideW();
            pt = c.padding().top();
            pl = c.padding().left();
            taps = cin * c.kernelH() * c.kernelW();
            rows = pt + inH + c.padding().bottom();
            phaseLength = (pl + inW + c.padding().right() + sw - 1) / sw;
            rowLength = phaseLength * sw;
            relu = c.activation() == Activation.RELU;
            offsets = new int[taps];
            for (int ic = 0; ic < cin; ic++) {
                for (int ky = 0; ky < c.kernelH(); ky++) {
                    for (int kx = 0; kx < c.kernelW(); kx++) {
                        offsets[(ic * c.kernelH() + ky) * c.kernelW() + kx] =
                                (ic * rows + ky) * rowLength + (kx % sw) * phaseLength + kx / sw;
                    }
                }
            }
        }

        int windowWords() {
            return cin * rows * rowLength;
        }
    }

    /**
     * A dense conv through {@link FloatConvKernel}: the whole padded input in the window; stride 1
     * computes every output row in one pass (rows end to end, {@code rowLength} apart), a vertical
     * stride one output row at a time.
     */
    private void windowConv(ConvGeometry g, float[] in, float[] w, float[] bias, float[] out) {
        float[] win = window;
        for (int ic = 0; ic < g.cin; ic++) {
            for (int k = 0; k < g.rows; k++) {
                int base = (ic * g.rows + k) * g.rowLength;
                int iy = k - g.pt;
                java.util.Arrays.fill(win, base, base + g.rowLength, 0f);
                if (iy < 0 || iy >= g.inH) {
                    continue;
                }
                int src = (ic * g.inH + iy) * g.inW;
                if (g.sw == 1) {
                    System.arraycopy(in, src, win, base + g.pl, g.inW);
                } else {
                    for (int x = 0; x < g.inW; x++) {
                        int px = x + g.pl;
                        win[base + (px % g.sw) * g.phaseLength + px / g.sw] = in[src + x];
                    }
                }
            }
        }
        if (FloatConvKernel.BROADCAST) {
            broadcastRows(g, w, bias, out);
        } else if (g.sh == 1) {
            convRows(g, w, bias, out, 0, g.outH, 0);
        } else {
            for (int y = 0; y < g.outH; y++) {
                convRows(g, w, bias, out, y, 1, y * g.sh * g.rowLength);
            }
        }
    }

    /** Output rows {@code [y0, y0 + n)}, whose position 0 is window offset {@code base}. */
    private void convRows(ConvGeometry g, float[] w, float[] bias, float[] out, int y0, int n, int base) {
        int npos = (n - 1) * g.rowLength + g.outW;
        for (int q = 0; q < npos; q += FloatConvKernel.STEP) {
            int vectors = Math.min(FloatConvKernel.STEP / FloatConvKernel.LANES, (npos - q + FloatConvKernel.LANES - 1) / FloatConvKernel.LANES);
            int stride = FloatConvKernel.stride(vectors);
            for (int c = 0; c < g.outC; ) {
                int k = FloatConvKernel.block(window, g.offsets, g.taps, base + q, vectors, w, c * g.taps, g.outC - c, acc);
                store(g, bias, out, c, Math.min(k, g.outC - c), stride, q, vectors, y0, n);
                c += k;
            }
        }
    }

    /**
     * {@link #convRows} for every output row with the loops the other way round, four channels at
     * a time over all positions, so each channel's weights are spread across vectors once per
     * layer ({@link FloatConvKernel#BROADCAST}).
     */
    private void broadcastRows(ConvGeometry g, float[] w, float[] bias, float[] out) {
        float[] wb = broadcastWeights;
        for (int c = 0; c < g.outC; c += 4) {
            int k = Math.min(4, g.outC - c);
            FloatConvKernel.broadcast(w, c * g.taps, g.taps, k, wb);
            for (int y = 0; y < g.outH; y += g.sh == 1 ? g.outH : 1) {
                int n = g.sh == 1 ? g.outH : 1;
                int base = g.sh == 1 ? 0 : y * g.sh * g.rowLength;
                int npos = (n - 1) * g.rowLength + g.outW;
                for (int q = 0; q < npos; q += FloatConvKernel.STEP) {
                    int vectors = Math.min(FloatConvKernel.STEP / FloatConvKernel.LANES, (npos - q + FloatConvKernel.LANES - 1) / FloatConvKernel.LANES);
                    FloatConvKernel.broadcastBlock(window, g.offsets, g.taps, base + q, vectors, wb, acc);
                    store(g, bias, out, c, k, FloatConvKernel.stride(vectors), q, vectors, y, n);
                }
            }
        }
    }

    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final FloatVector IOTA = (FloatVector) F.iotaShuffle(0, 1, false).toVector();

    /** Adds the bias, applies ReLU and stores the accumulator block into the output rows it covers. */
    private void store(ConvGeometry g, float[] bias, float[] out, int c0, int channels, int stride, int q, int vectors,
                       int y0, int n) {
        int lanes = FloatConvKernel.LANES;
        float lo = g.relu ? 0f : Float.NEGATIVE_INFINITY;
        int plane = g.outH * g.outW;
        if (!VectorShapes.WIDE) {
            // narrower vectors: on AVX2 each hardware vector whole where all its lanes lie in the
            // row, the rest lane by lane (masked stores of a 16-lane block need 512 bits; on SSE
            // all lanes one by one, see maxPoolUnpadded)
            int hw = F.length();
            for (int v = 0; v < vectors; v++) {
                int p = q + v * lanes;
                int r0 = p / g.rowLength;
                int r1 = Math.min(n - 1, (p + lanes - 1) / g.rowLength);
                for (int j = 0; j < channels; j++) {
                    float b = bias[c0 + j];
                    int at = j * stride + v * lanes;
                    int d = (c0 + j) * plane;
                    for (int r = r0; r <= r1; r++) {
                        int x = p - r * g.rowLength;
                        int row = d + (y0 + r) * g.outW + x;
                        int lo0 = Math.max(0, -x);
                        int hi0 = Math.min(lanes, g.outW - x);
                        if (!VectorShapes.CONVERTS) {
                            for (int i = lo0; i < hi0; i++) {
                                float y = acc[at + i] + b;
                                out[row + i] = g.relu ? relu(y) : y;
                            }
                            continue;
                        }
                        for (int h = 0; h < lanes; h += hw) {
                            if (h >= lo0 && h + hw <= hi0) {
                                FloatVector.fromArray(F, acc, at + h).add(b).max(lo).intoArray(out, row + h);
                                continue;
                            }
                            for (int i = Math.max(h, lo0); i < Math.min(h + hw, hi0); i++) {
                                out[row + i] = Math.max(acc[at + i] + b, lo);
                            }
                        }
                    }
                }
            }
            return;
        }
        for (int v = 0; v < vectors; v++) {
            int p = q + v * lanes;
            int r0 = p / g.rowLength;
            int r1 = Math.min(n - 1, (p + lanes - 1) / g.rowLength);
            for (int j = 0; j < channels; j++) {
                FloatVector y = FloatVector.fromArray(F, acc, j * stride + v * lanes).add(bias[c0 + j]).max(lo);
                int d = (c0 + j) * plane;
                for (int r = r0; r <= r1; r++) {
                    int x = p - r * g.rowLength;
                    if (x < g.outW) {
                        y.intoArray(out, d + (y0 + r) * g.outW + x, x >= 0 ? F.indexInRange(x, g.outW)
                                : IOTA.compare(VectorOperators.GE, -x).and(IOTA.compare(VectorOperators.LT, g.outW - x)));
                    }
                }
            }
        }
    }

    /**
     * {@code Math.max(v, 0f)} without a branch on the sign: where C2 does not intrinsify
     * {@code Math.max(float, float)} (no AVX), its compares on ReLU inputs of random sign
     * mispredicted, and the SSE epilogue took half as long as the micro-kernel. The sign bit clears
     * the value, so -0 and every negative become +0; NaN is kept (a branch never taken).
     */
    static float relu(float v) {
        int b = Float.floatToRawIntBits(v);
        return v != v ? v : Float.intBitsToFloat(b & ~(b >> 31));
    }

    /**
     * {@code Math.max(a, b)} on SSE without data-dependent branches (as {@link #relu}): floats
     * mapped to ints of the same order (negative ones' magnitude bits flipped, so -0 < +0), an
     * int max (a conditional move), mapped back; NaN as {@code Math.max} (a branch never taken).
     */
    static float max(float a, float b) {
        if (!VectorShapes.CONVERTS) {
            if (a != a || b != b) {
                return a != a ? a : b;
            }
            int x = Float.floatToRawIntBits(a);
            int y = Float.floatToRawIntBits(b);
            int m = Math.max(x ^ ((x >> 31) & 0x7fffffff), y ^ ((y >> 31) & 0x7fffffff));
            return Float.intBitsToFloat(m ^ ((m >> 31) & 0x7fffffff));
        }
        return Math.max(a, b);
    }

    private static void conv(Conv2d c, float[] in, float[] w, float[] bias, float[] out) {
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
        for (int oc = 0; oc < c.outChannels(); oc++) {
            int o = oc * plane;
            java.util.Arrays.fill(out, o, o + plane, bias[oc]);
            int icBase = (oc / outPer) * inPer;
            for (int ic = 0; ic < inPer; ic++) {
                int inPlane = (icBase + ic) * ih * iw;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        float wv = w[((oc * inPer + ic) * kh + ky) * kw + kx];
                        // Output columns whose input column lies inside the image.
                        int x0 = Math.max(0, ceilDiv(pl - kx, sw));
                        int x1 = Math.min(ow, ceilDiv(iw + pl - kx, sw));
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * sh - pt + ky;
                            if (iy < 0 || iy >= ih) {
                                continue;
                            }
                            int row = inPlane + iy * iw - pl + kx;
                            int orow = o + oy * ow;
                            if (sw == 1) {
                                for (int ox = x0; ox < x1; ox++) {
                                    out[orow + ox] += wv * in[row + ox];
                                }
                            } else {
                                for (int ox = x0; ox < x1; ox++) {
                                    out[orow + ox] += wv * in[row + ox * sw];
                                }
                            }
                        }
                    }
                }
            }
        }
        if (c.activation() == Activation.RELU) {
            relu(out, out);
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static void relu(float[] in, float[] out) {
        for (int k = 0; k < out.length; k++) {
            out[k] = VectorShapes.CONVERTS ? Math.max(0f, in[k]) : relu(in[k]);
        }
    }

    /**
     * An unpadded max pool: for each output row the window maximum at every input column (vectors
     * of 16 columns), then every stride-th of them.
     */
    private void maxPoolUnpadded(MaxPool p, float[] in, float[] out) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        int k = p.kernel();
        int s = p.stride();
        int w = is.width();
        int span = (os.width() - 1) * s + 1;
        float[] m = poolRow;
        for (int c = 0; c < os.channels(); c++) {
            for (int oy = 0; oy < os.height(); oy++) {
                int row = (c * is.height() + oy * s) * w;
                int x = 0;
                if (!VectorShapes.WIDE && VectorShapes.CONVERTS) {
                    // AVX2: whole vectors unmasked, the last columns by a plain loop (not on SSE,
                    // where C2 boxed these vectors: 25 MB per FaceReID float inference)
                    for (; x + F.length() <= span; x += F.length()) {
                        FloatVector v = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                v = v.max(FloatVector.fromArray(F, in, row + ky * w + x + kx));
                            }
                        }
                        v.intoArray(m, x);
                    }
                    for (; x < span; x++) {
                        float v = Float.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                v = Math.max(v, in[row + ky * w + x + kx]);
                            }
                        }
                        m[x] = v;
                    }
                }
                for (; x < span; x += F.length()) {
                    VectorMask<Float> in0 = F.indexInRange(x, span);
                    FloatVector v = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            v = v.max(FloatVector.fromArray(F, in, row + ky * w + x + kx, in0));
                        }
                    }
                    v.intoArray(m, x);
                }
                int o = (c * os.height() + oy) * os.width();
                for (int ox = 0; ox < os.width(); ox++) {
                    out[o + ox] = m[ox * s];
                }
            }
        }
    }

    /**
     * {@link #maxPool} on SSE by plain loops: per output row, the maximum down each input column of
     * the window's rows (clipped to the image) into {@link #poolRow}, then across {@code k} of those
     * per output (clipped), with the branch-free {@link #max}: the general pool tested every tap's
     * bounds and took a quarter of FaceReID float under {@code -XX:UseAVX=0}. The same maximum of
     * the same values.
     */
    private void maxPoolColumns(MaxPool p, float[] in, float[] out) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        int k = p.kernel();
        int s = p.stride();
        int pt = p.padding().top();
        int pl = p.padding().left();
        int ih = is.height();
        int w = is.width();
        int ow = os.width();
        float[] m = poolRow;
        for (int c = 0; c < os.channels(); c++) {
            int plane = c * ih * w;
            for (int oy = 0; oy < os.height(); oy++) {
                int y0 = Math.max(0, oy * s - pt);
                int y1 = Math.min(ih, oy * s - pt + k);
                if (y0 >= y1) {
                    java.util.Arrays.fill(out, (c * os.height() + oy) * ow, (c * os.height() + oy + 1) * ow, Float.NEGATIVE_INFINITY);
                    continue;
                }
                int row = plane + y0 * w;
                System.arraycopy(in, row, m, 0, w);
                for (int y = y0 + 1; y < y1; y++) {
                    row += w;
                    for (int x = 0; x < w; x++) {
                        m[x] = max(m[x], in[row + x]);
                    }
                }
                int o = (c * os.height() + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * s - pl);
                    int x1 = Math.min(w, ox * s - pl + k);
                    float v = Float.NEGATIVE_INFINITY;
                    for (int x = x0; x < x1; x++) {
                        v = max(v, m[x]);
                    }
                    out[o + ox] = v;
                }
            }
        }
    }

    private static void maxPool(MaxPool p, float[] in, float[] out) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        int k = p.kernel();
        int s = p.stride();
        for (int c = 0; c < os.channels(); c++) {
            for (int oy = 0; oy < os.height(); oy++) {
                for (int ox = 0; ox < os.width(); ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * s - p.padding().top() + ky;
                        if (iy < 0 || iy >= is.height()) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * s - p.padding().left() + kx;
                            if (ix >= 0 && ix < is.width()) {
                                m = max(m, in[(c * is.height() + iy) * is.width() + ix]);
                            }
                        }
                    }
                    out[(c * os.height() + oy) * os.width() + ox] = m;
                }
            }
        }
    }

    private static void avgPool(AvgPool p, float[] in, float[] out) {
        Shape is = p.input().shape();
        Shape os = p.output().shape();
        int k = p.kernel();
        float inv = 1f / (k * k);
        for (int c = 0; c < os.channels(); c++) {
            for (int oy = 0; oy < os.height(); oy++) {
                for (int ox = 0; ox < os.width(); ox++) {
                    float sum = 0;
                    for (int ky = 0; ky < k; ky++) {
                        int row = (c * is.height() + oy * p.stride() + ky) * is.width() + ox * p.stride();
                        for (int kx = 0; kx < k; kx++) {
                            sum += in[row + kx];
                        }
                    }
                    out[(c * os.height() + oy) * os.width() + ox] = sum * inv;
                }
            }
        }
    }

    private static void globalAvg(Shape is, float[] in, float[] out) {
        int plane = is.plane();
        for (int c = 0; c < is.channels(); c++) {
            double sum = 0;
            for (int k = 0; k < plane; k++) {
                sum += in[c * plane + k];
            }
            out[c] = (float) (sum / plane);
        }
    }

    private static void zeroPad(ZeroPad z, float[] in, float[] out) {
        Shape is = z.input().shape();
        Shape os = z.output().shape();
        java.util.Arrays.fill(out, 0f);
        for (int c = 0; c < is.channels(); c++) {
            for (int y = 0; y < is.height(); y++) {
                System.arraycopy(in, (c * is.height() + y) * is.width(), out,
                        (c * os.height() + y + z.padding().top()) * os.width() + z.padding().left(), is.width());
            }
        }
    }

    private static void scale(Shape s, float[] in, float[] scale, float[] bias, float[] out) {
        int plane = s.plane();
        for (int c = 0; c < s.channels(); c++) {
            float a = scale[c];
            float b = bias[c];
            for (int k = c * plane; k < (c + 1) * plane; k++) {
                out[k] = in[k] * a + b;
            }
        }
    }

    private static void fullyConnected(float[] in, float[] w, float[] bias, float[] out) {
        int n = in.length;
        for (int o = 0; o < out.length; o++) {
            float sum = bias[o];
            int row = o * n;
            for (int k = 0; k < n; k++) {
                sum += w[row + k] * in[k];
            }
            out[o] = sum;
        }
    }

    private static void l2(float[] in, float[] out) {
        double ss = 0;
        for (float v : in) {
            ss += (double) v * v;
        }
        float inv = ss > 0 ? (float) (1 / Math.sqrt(ss)) : 0f;
        for (int k = 0; k < out.length; k++) {
            out[k] = in[k] * inv;
        }
    }
}
