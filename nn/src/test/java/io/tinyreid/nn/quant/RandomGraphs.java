package io.tinyreid.nn.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Concat;
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
 * A small float graph using every op the quantiser handles (input scale, padded/strided/grouped
 * convs, scale and ReLU to fold, residual add, zero pad, concat, pools, fully connected), with
 * random weights, for tests that must not depend on downloaded models.
 */
public final class RandomGraphs {
    private RandomGraphs() {}

    static float[] rnd(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    static Tensor t(String n, int c, int h, int w) {
        return new Tensor(n, new Shape(c, h, w), null);
    }

    public static Graph everyOp(long seed) {
        Random r = new Random(seed);
        List<Layer> L = new ArrayList<>();
        Tensor in = t("in", 3, 12, 12);
        Tensor n0 = t("norm", 3, 12, 12);
        L.add(new Scale("norm", in, n0, Weights.ofReal(new float[] {1 / 255f, 1 / 255f, 1 / 255f}),
                Weights.ofReal(new float[] {-0.5f, -0.45f, -0.4f})));
        Tensor c1 = t("c1", 16, 5, 5);
        L.add(new Conv2d("c1", n0, c1, 3, 3, 2, 2, Padding.NONE, 1, Weights.ofReal(rnd(r, 16 * 3 * 9, 0.5)),
                Weights.ofReal(rnd(r, 16, 0.1)), Activation.NONE));
        Tensor s1 = t("s1", 16, 5, 5);
        L.add(new Scale("s1", c1, s1, Weights.ofReal(rnd(r, 16, 2)), Weights.ofReal(rnd(r, 16, 0.3))));
        Tensor r1 = t("r1", 16, 5, 5);
        L.add(new Relu("r1", s1, r1));
        Tensor c2 = t("c2", 16, 5, 5);
        L.add(new Conv2d("c2", r1, c2, 3, 3, 1, 1, Padding.same(1), 1, Weights.ofReal(rnd(r, 16 * 16 * 9, 0.2)),
                Weights.ofReal(rnd(r, 16, 0.1)), Activation.NONE));
        Tensor a1 = t("a1", 16, 5, 5);
        L.add(new Add("a1", c2, r1, a1));
        Tensor r2 = t("r2", 16, 5, 5);
        L.add(new Relu("r2", a1, r2));
        Tensor dw = t("dw", 16, 5, 5);
        L.add(new Conv2d("dw", r2, dw, 3, 3, 1, 1, new Padding(0, 0, 2, 2), 16, Weights.ofReal(rnd(r, 16 * 9, 0.4)),
                Weights.ofReal(rnd(r, 16, 0.1)), Activation.RELU));
        Tensor pw = t("pw", 8, 5, 5);
        L.add(new Conv2d("pw", dw, pw, 1, 1, 1, 1, Padding.NONE, 1, Weights.ofReal(rnd(r, 8 * 16, 0.3)),
                Weights.ofReal(rnd(r, 8, 0.1)), Activation.RELU));
        Tensor zp = t("zp", 16, 6, 6);
        L.add(new ZeroPad("zp", pw, zp, 8, new Padding(0, 0, 1, 1)));
        Tensor ap = t("ap", 16, 3, 3);
        L.add(new AvgPool("ap", zp, ap, 2, 2));
        Tensor mp = t("mp", 16, 2, 2);
        L.add(new MaxPool("mp", r2, mp, 3, 2, Padding.NONE));
        Tensor e1 = t("e1", 8, 2, 2);
        L.add(new Conv2d("e1", ap, e1, 2, 2, 1, 1, Padding.NONE, 1, Weights.ofReal(rnd(r, 8 * 16 * 4, 0.3)),
                Weights.ofReal(rnd(r, 8, 0.1)), Activation.RELU));
        Tensor cat = t("cat", 24, 2, 2);
        L.add(new Concat("cat", List.of(e1, mp), cat));
        Tensor g = t("gap", 24, 1, 1);
        L.add(new GlobalAvgPool("gap", cat, g));
        Tensor fc = t("fc", 10, 1, 1);
        L.add(new FullyConnected("fc", g, fc, Weights.ofReal(rnd(r, 10 * 24, 0.3)), Weights.ofReal(rnd(r, 10, 0.05))));
        return new Graph("every-op", Colour.RGB, in, fc, L);
    }

    /**
     * A small dlib-style ResNet with random weights: input scale, strided conv + scale + ReLU, max
     * pool, a residual block (conv, conv, add, ReLU), a down-sampling block whose shortcut is an
     * average pool padded with zero channels and whose conv branch gets a zero row and column
     * (3x3 vs 4x4), another residual block, global average, fully connected. Input 3x36x36.
     */
    public static Graph resnet(long seed) {
        Random r = new Random(seed);
        List<Layer> L = new ArrayList<>();
        Tensor in = t("in", 3, 36, 36);
        Tensor x = t("norm", 3, 36, 36);
        L.add(new Scale("norm", in, x, Weights.ofReal(new float[] {1 / 255f, 1 / 255f, 1 / 255f}),
                Weights.ofReal(new float[] {-0.48f, -0.46f, -0.41f})));
        x = convScale(L, r, "stem", x, 8, 3, 2, Padding.NONE, true);
        Tensor mp = t("pool", 8, 8, 8);
        L.add(new MaxPool("pool", x, mp, 3, 2, Padding.NONE));
        x = block(L, r, "b1", mp);
        // down-sampling block
        Tensor a = convScale(L, r, "d/conv1", x, 16, 3, 2, Padding.NONE, true);
        Tensor b = convScale(L, r, "d/conv2", a, 16, 3, 1, Padding.same(1), false);
        Tensor ap = t("d/avg", 8, 4, 4);
        L.add(new AvgPool("d/avg", x, ap, 2, 2));
        Tensor zp = t("d/zp", 16, 4, 4);
        L.add(new ZeroPad("d/zp", ap, zp, 8, Padding.NONE));
        Tensor bp = t("d/bp", 16, 4, 4);
        L.add(new ZeroPad("d/bp", b, bp, 0, new Padding(0, 0, 1, 1)));
        Tensor s = t("d/add", 16, 4, 4);
        L.add(new Add("d/add", zp, bp, s));
        Tensor d = t("d/relu", 16, 4, 4);
        L.add(new Relu("d/relu", s, d));
        x = block(L, r, "b2", d);
        Tensor g = t("gap", 16, 1, 1);
        L.add(new GlobalAvgPool("gap", x, g));
        Tensor fc = t("fc", 6, 1, 1);
        L.add(new FullyConnected("fc", g, fc, Weights.ofReal(rnd(r, 6 * 16, 0.3)), Weights.ofReal(new float[6])));
        return new Graph("resnet", Colour.RGB, in, fc, L);
    }

    private static Tensor block(List<Layer> L, Random r, String p, Tensor x) {
        int c = x.shape().channels();
        Tensor a = convScale(L, r, p + "/conv1", x, c, 3, 1, Padding.same(1), true);
        Tensor b = convScale(L, r, p + "/conv2", a, c, 3, 1, Padding.same(1), false);
        Tensor s = t(p + "/add", c, x.shape().height(), x.shape().width());
        L.add(new Add(p + "/add", b, x, s));
        Tensor o = t(p + "/relu", c, x.shape().height(), x.shape().width());
        L.add(new Relu(p + "/relu", s, o));
        return o;
    }

    /** conv + bias, a scale layer, optionally a ReLU (face-api's convLayer). */
    private static Tensor convScale(List<Layer> L, Random r, String p, Tensor x, int co, int k, int stride, Padding pad,
                                    boolean relu) {
        int ci = x.shape().channels();
        int h = (x.shape().height() + pad.top() + pad.bottom() - k) / stride + 1;
        int w = (x.shape().width() + pad.left() + pad.right() - k) / stride + 1;
        Tensor c = t(p, co, h, w);
        L.add(new Conv2d(p, x, c, k, k, stride, stride, pad, 1, Weights.ofReal(rnd(r, co * ci * k * k, 1.0 / Math.sqrt(ci * k * k))),
                Weights.ofReal(rnd(r, co, 0.1)), Activation.NONE));
        Tensor s = t(p + "/scale", co, h, w);
        L.add(new Scale(p + "/scale", c, s, Weights.ofReal(rnd(r, co, 0.5)), Weights.ofReal(rnd(r, co, 0.2))));
        if (!relu) {
            return s;
        }
        Tensor o = t(p + "/relu", co, h, w);
        L.add(new Relu(p + "/relu", s, o));
        return o;
    }

    /** Random pixel inputs 0..255. */
    public static List<float[]> pixels(long seed, int count, int size) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = r.nextInt(256);
            }
            out.add(v);
        }
        return out;
    }
}
