package io.tinyreid.nn.faceapi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.importer.ModelImportException;
import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * Imports face-api's networks into the IR, layer for layer as face-api's TypeScript runs them
 * (float, no folding: folding is the quantiser's job):
 * <ul>
 * <li>{@link #recognition} — FaceRecognitionNet, dlib's ResNet: 150x150 RGB, 128-d descriptor;</li>
 * <li>{@link #landmarks68} — FaceLandmark68Net: 112x112 RGB, 136 values (68 relative x,y).</li>
 * </ul>
 * The graph input holds pixel values 0..255 (prepared by {@link FaceApiInput}); the first layer is
 * face-api's {@code (x - mean) / 255}.
 */
public final class FaceApiImporter {
    /** Input side of the recognition net. */
    public static final int RECOGNITION_SIZE = 150;
    /** Input side of the landmark net. */
    public static final int LANDMARK_SIZE = 112;

    private final Map<String, FaceApiTensor> w;
    private final String source;
    private final List<Layer> layers = new ArrayList<>();

    private FaceApiImporter(Map<String, FaceApiTensor> weights, String source) {
        this.w = weights;
        this.source = source;
    }

    /** Imports FaceRecognitionNet from its weights manifest. */
    public static Graph recognition(Path manifest) throws IOException {
        return recognition(WeightManifest.read(manifest).readTensors(), manifest.toString());
    }

    /** Imports FaceRecognitionNet from already-read tensors. */
    public static Graph recognition(Map<String, FaceApiTensor> weights, String source) {
        return new FaceApiImporter(weights, source).buildRecognition();
    }

    /** Imports FaceLandmark68Net from its weights manifest. */
    public static Graph landmarks68(Path manifest) throws IOException {
        return landmarks68(WeightManifest.read(manifest).readTensors(), manifest.toString());
    }

    /** Imports FaceLandmark68Net from already-read tensors. */
    public static Graph landmarks68(Map<String, FaceApiTensor> weights, String source) {
        return new FaceApiImporter(weights, source).buildLandmarks();
    }

    // ---- FaceRecognitionNet (src/faceRecognitionNet/FaceRecognitionNet.ts) ----

    private Graph buildRecognition() {
        Tensor input = new Tensor("input", new Shape(3, RECOGNITION_SIZE, RECOGNITION_SIZE), null);
        Tensor x = normalise(input);
        x = convLayer(x, "conv32_down", 2, false, true);
        x = add(new MaxPool("pool", x, out("pool", pooled(x.shape(), 3, 2)), 3, 2, Padding.NONE));
        x = residual(x, "conv32_1");
        x = residual(x, "conv32_2");
        x = residual(x, "conv32_3");
        x = residualDown(x, "conv64_down");
        x = residual(x, "conv64_1");
        x = residual(x, "conv64_2");
        x = residual(x, "conv64_3");
        x = residualDown(x, "conv128_down");
        x = residual(x, "conv128_1");
        x = residual(x, "conv128_2");
        x = residualDown(x, "conv256_down");
        x = residual(x, "conv256_1");
        x = residual(x, "conv256_2");
        x = residualDown(x, "conv256_down_out");
        x = add(new GlobalAvgPool("global_avg", x, out("global_avg", Shape.vector(x.shape().channels()))));
        FaceApiTensor fc = tensor("fc", 2);
        int in = fc.dim(0);
        int o = fc.dim(1);
        expect(in == x.shape().channels(), "fc: expects " + in + " inputs, the net gives " + x.shape().channels());
        Tensor d = add(new FullyConnected("fc", x, out("fc", Shape.vector(o)),
                Weights.ofReal(transpose2d(fc.data(), in, o)), Weights.ofReal(new float[o])));
        return new Graph("dlib-resnet", Colour.RGB, input, d, layers);
    }

    private Tensor residual(Tensor x, String p) {
        Tensor a = convLayer(x, p + "/conv1", 1, true, true);
        Tensor b = convLayer(a, p + "/conv2", 1, true, false);
        Tensor s = add(new Add(p + "/add", b, x, out(p + "/add", x.shape())));
        return add(new Relu(p + "/relu", s, out(p + "/relu", s.shape())));
    }

    private Tensor residualDown(Tensor x, String p) {
        Tensor a = convLayer(x, p + "/conv1", 2, false, true);
        Tensor b = convLayer(a, p + "/conv2", 1, true, false);
        Tensor pooled = add(new AvgPool(p + "/shortcut", x, out(p + "/shortcut", pooled(x.shape(), 2, 2)), 2, 2));
        int extra = b.shape().channels() - pooled.shape().channels();
        if (extra > 0) {
            Shape s = new Shape(b.shape().channels(), pooled.shape().height(), pooled.shape().width());
            pooled = add(new ZeroPad(p + "/shortcut_pad", pooled, out(p + "/shortcut_pad", s), extra, Padding.NONE));
        }
        int dh = pooled.shape().height() - b.shape().height();
        int dw = pooled.shape().width() - b.shape().width();
        if (dh != 0 || dw != 0) {
            // face-api appends a zero row at the bottom and a zero column at the right of the conv branch.
            expect(dh >= 0 && dw >= 0, p + ": conv branch larger than its shortcut");
            b = add(new ZeroPad(p + "/conv_pad", b, out(p + "/conv_pad", pooled.shape()), 0, new Padding(0, 0, dh, dw)));
        }
        Tensor s = add(new Add(p + "/add", pooled, b, out(p + "/add", pooled.shape())));
        return add(new Relu(p + "/relu", s, out(p + "/relu", s.shape())));
    }

    /** conv + bias, then the scale layer, then ReLU (face-api's convLayer). 'same' at stride 1 is pad 1. */
    private Tensor convLayer(Tensor x, String p, int stride, boolean same, boolean relu) {
        FaceApiTensor f = tensor(p + "/conv/filters", 4);
        int k = f.dim(0);
        int ci = f.dim(2);
        int co = f.dim(3);
        expect(f.dim(1) == k, p + "/conv/filters: kernel not square");
        expect(ci == x.shape().channels(), p + "/conv/filters: expects " + ci + " input channels, the net gives " + x.shape().channels());
        Padding pad = same ? tfSame(x.shape().height(), x.shape().width(), k, stride) : Padding.NONE;
        Shape os = convShape(x.shape(), co, k, stride, pad);
        Tensor c = add(new Conv2d(p, x, out(p, os), k, k, stride, stride, pad, 1,
                Weights.ofReal(hwioToOihw(f)), Weights.ofReal(vector(p + "/conv/bias", co)), Activation.NONE));
        Tensor s = add(new Scale(p + "/scale", c, out(p + "/scale", os),
                Weights.ofReal(vector(p + "/scale/weights", co)), Weights.ofReal(vector(p + "/scale/biases", co))));
        return relu ? add(new Relu(p + "/relu", s, out(p + "/relu", os))) : s;
    }

    // ---- FaceLandmark68Net (src/faceFeatureExtractor, src/faceLandmarkNet) ----

    private Graph buildLandmarks() {
        Tensor input = new Tensor("input", new Shape(3, LANDMARK_SIZE, LANDMARK_SIZE), null);
        Tensor x = normalise(input);
        x = denseBlock4(x, "dense0", true);
        x = denseBlock4(x, "dense1", false);
        x = denseBlock4(x, "dense2", false);
        x = denseBlock4(x, "dense3", false);
        x = add(new AvgPool("avg", x, out("avg", pooled(x.shape(), 7, 2)), 7, 2));
        FaceApiTensor fc = tensor("fc/weights", 2);
        int in = fc.dim(0);
        int o = fc.dim(1);
        expect(in == x.shape().size(), "fc/weights: expects " + in + " inputs, the net gives " + x.shape().size());
        Tensor y = add(new FullyConnected("fc", x, out("fc", Shape.vector(o)),
                Weights.ofReal(transpose2d(fc.data(), in, o)), Weights.ofReal(vector("fc/bias", o))));
        return new Graph("face-landmark-68", Colour.RGB, input, y, layers);
    }

    private Tensor denseBlock4(Tensor x, String p, boolean first) {
        Tensor c0 = first ? plainConv(x, p + "/conv0", 2) : separable(x, p + "/conv0", 2);
        Tensor out1 = add(new Relu(p + "/conv0/relu", c0, out(p + "/conv0/relu", c0.shape())));
        Tensor out2 = separable(out1, p + "/conv1", 1);
        Tensor s12 = add(new Add(p + "/add12", out1, out2, out(p + "/add12", out1.shape())));
        Tensor in3 = add(new Relu(p + "/in3", s12, out(p + "/in3", s12.shape())));
        Tensor out3 = separable(in3, p + "/conv2", 1);
        // tf.add(out1, tf.add(out2, out3)): the same association as face-api.
        Tensor s23 = add(new Add(p + "/add23", out2, out3, out(p + "/add23", out2.shape())));
        Tensor s123 = add(new Add(p + "/add123", out1, s23, out(p + "/add123", out1.shape())));
        Tensor in4 = add(new Relu(p + "/in4", s123, out(p + "/in4", s123.shape())));
        Tensor out4 = separable(in4, p + "/conv3", 1);
        Tensor s34 = add(new Add(p + "/add34", out3, out4, out(p + "/add34", out3.shape())));
        Tensor s234 = add(new Add(p + "/add234", out2, s34, out(p + "/add234", out2.shape())));
        Tensor s1234 = add(new Add(p + "/add1234", out1, s234, out(p + "/add1234", out1.shape())));
        return add(new Relu(p + "/out", s1234, out(p + "/out", s1234.shape())));
    }

    private Tensor plainConv(Tensor x, String p, int stride) {
        FaceApiTensor f = tensor(p + "/filters", 4);
        int k = f.dim(0);
        int co = f.dim(3);
        expect(f.dim(2) == x.shape().channels(), p + "/filters: input channels do not match");
        Padding pad = tfSame(x.shape().height(), x.shape().width(), k, stride);
        return add(new Conv2d(p, x, out(p, convShape(x.shape(), co, k, stride, pad)), k, k, stride, stride, pad, 1,
                Weights.ofReal(hwioToOihw(f)), Weights.ofReal(vector(p + "/bias", co)), Activation.NONE));
    }

    /** tf.separableConv2d ('same') + bias: a depthwise conv (groups = channels, no bias) then a 1x1 conv with bias. */
    private Tensor separable(Tensor x, String p, int stride) {
        FaceApiTensor dw = tensor(p + "/depthwise_filter", 4);
        FaceApiTensor pw = tensor(p + "/pointwise_filter", 4);
        int c = x.shape().channels();
        int k = dw.dim(0);
        expect(dw.dim(2) == c && dw.dim(3) == 1, p + "/depthwise_filter: expects [k, k, " + c + ", 1], has " + dw);
        expect(pw.dim(0) == 1 && pw.dim(1) == 1 && pw.dim(2) == c, p + "/pointwise_filter: expects [1, 1, " + c + ", out], has " + pw);
        int co = pw.dim(3);
        Padding pad = tfSame(x.shape().height(), x.shape().width(), k, stride);
        Shape ds = convShape(x.shape(), c, k, stride, pad);
        // HWC1 -> [c][1][kh][kw]
        float[] dws = new float[c * k * k];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int ch = 0; ch < c; ch++) {
                    dws[(ch * k + ky) * k + kx] = dw.data()[(ky * k + kx) * c + ch];
                }
            }
        }
        Tensor d = add(new Conv2d(p + "/depthwise", x, out(p + "/depthwise", ds), k, k, stride, stride, pad, c,
                Weights.ofReal(dws), Weights.ofReal(new float[c]), Activation.NONE));
        return add(new Conv2d(p, d, out(p, new Shape(co, ds.height(), ds.width())), 1, 1, 1, 1, Padding.NONE, 1,
                Weights.ofReal(hwioToOihw(pw)), Weights.ofReal(vector(p + "/bias", co)), Activation.NONE));
    }

    // ---- shared pieces ----

    private Tensor normalise(Tensor input) {
        float[] scale = new float[3];
        float[] bias = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / 255f;
            bias[c] = -FaceApiInput.MEAN_RGB[c] / 255f;
        }
        return add(new Scale("normalise", input, out("normalise", input.shape()), Weights.ofReal(scale), Weights.ofReal(bias)));
    }

    /** TensorFlow's 'same' padding: total = max((out - 1) * s + k - in, 0), the odd row/column after. */
    static Padding tfSame(int h, int wd, int k, int s) {
        int oh = (h + s - 1) / s;
        int ow = (wd + s - 1) / s;
        int ph = Math.max((oh - 1) * s + k - h, 0);
        int pw = Math.max((ow - 1) * s + k - wd, 0);
        return new Padding(ph / 2, pw / 2, ph - ph / 2, pw - pw / 2);
    }

    private static Shape convShape(Shape in, int co, int k, int s, Padding p) {
        return new Shape(co, (in.height() + p.top() + p.bottom() - k) / s + 1, (in.width() + p.left() + p.right() - k) / s + 1);
    }

    private static Shape pooled(Shape in, int k, int s) {
        return new Shape(in.channels(), (in.height() - k) / s + 1, (in.width() - k) / s + 1);
    }

    private static float[] hwioToOihw(FaceApiTensor f) {
        int kh = f.dim(0);
        int kw = f.dim(1);
        int ci = f.dim(2);
        int co = f.dim(3);
        float[] src = f.data();
        float[] dst = new float[src.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < ci; i++) {
                    for (int o = 0; o < co; o++) {
                        dst[((o * ci + i) * kh + y) * kw + x] = src[((y * kw + x) * ci + i) * co + o];
                    }
                }
            }
        }
        return dst;
    }

    /** [in][out] (tf.matMul's right operand) -> [out][in] (the IR's fully connected layout). */
    private static float[] transpose2d(float[] src, int in, int o) {
        float[] dst = new float[src.length];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < o; j++) {
                dst[j * in + i] = src[i * o + j];
            }
        }
        return dst;
    }

    private FaceApiTensor tensor(String name, int rank) {
        FaceApiTensor t = w.get(name);
        if (t == null) {
            throw new ModelImportException(source + ": tensor '" + name + "' missing (wrong manifest?)");
        }
        if (t.rank() != rank) {
            throw new ModelImportException(source + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected rank " + rank);
        }
        return t;
    }

    private float[] vector(String name, int n) {
        FaceApiTensor t = tensor(name, 1);
        if (t.dim(0) != n) {
            throw new ModelImportException(source + ": tensor '" + name + "' has " + t.dim(0) + " values, expected " + n);
        }
        return t.data();
    }

    private void expect(boolean ok, String what) {
        if (!ok) {
            throw new ModelImportException(source + ": " + what);
        }
    }

    private static Tensor out(String name, Shape s) {
        return new Tensor(name, s, null);
    }

    private Tensor add(Layer l) {
        layers.add(l);
        return l.output();
    }
}
