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
    // Dense convs with output channels in multiples of 16 run through FloatConvKernel (channels-last, vectorised).
    private final float[][] tiled;
    private final float[] padded;
    private final float[] hwcAcc;

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
        tiled = new float[layers.size()][];
        int maxPad = 1;
        int maxOut = 1;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            layerOut[i] = buffers.get(l.output().name());
            layerIn[i] = l.inputs().stream().map(t -> buffers.get(t.name())).toArray(float[][]::new);
            switch (l) {
                case Conv2d c -> {
                    weights[i] = c.weight().realValues();
                    biases[i] = c.bias().realValues();
                    if (FloatConvKernel.handles(c.groups(), c.outChannels())) {
                        Shape is = c.input().shape();
                        tiled[i] = FloatConvKernel.layout(weights[i], c.outChannels(), is.channels(), c.kernelH(), c.kernelW());
                        maxPad = Math.max(maxPad, (is.height() + c.padding().top() + c.padding().bottom())
                                * (is.width() + c.padding().left() + c.padding().right()) * is.channels());
                        maxOut = Math.max(maxOut, c.output().shape().size());
                    }
                }
                case FullyConnected f -> {
                    weights[i] = f.weight().realValues();
                    biases[i] = f.bias().realValues();
                }
                case Scale s -> {
                    weights[i] = s.scale().realValues();
                    biases[i] = s.bias().realValues();
                }
                default -> { }
            }
        }
        padded = new float[maxPad];
        hwcAcc = new float[maxOut];
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
                    if (tiled[i] != null) {
                        tiledConv(c, ins[0], tiled[i], biases[i], out);
                    } else {
                        conv(c, ins[0], weights[i], biases[i], out);
                    }
                }
                case Relu r -> relu(ins[0], out);
                case MaxPool p -> maxPool(p, ins[0], out);
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

    private void tiledConv(Conv2d c, float[] in, float[] wl, float[] bias, float[] out) {
        Shape is = c.input().shape();
        Shape os = c.output().shape();
        int ph = is.height() + c.padding().top() + c.padding().bottom();
        int pw = is.width() + c.padding().left() + c.padding().right();
        FloatConvKernel.toPaddedHwc(in, is.channels(), is.height(), is.width(), c.padding().top(), c.padding().left(), ph, pw, padded);
        int outC = c.outChannels();
        FloatConvKernel.run(padded, pw, is.channels(), wl, bias, outC, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                os.height(), os.width(), hwcAcc);
        int plane = os.plane();
        boolean relu = c.activation() == Activation.RELU;
        for (int oc = 0; oc < outC; oc++) {
            int base = oc * plane;
            for (int k = 0; k < plane; k++) {
                float v = hwcAcc[k * outC + oc];
                out[base + k] = relu ? Math.max(0f, v) : v;
            }
        }
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
            out[k] = Math.max(0f, in[k]);
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
                                m = Math.max(m, in[(c * is.height() + iy) * is.width() + ix]);
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
