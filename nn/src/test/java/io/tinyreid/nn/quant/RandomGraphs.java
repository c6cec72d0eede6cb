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
final class RandomGraphs {
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

    static Graph everyOp(long seed) {
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

    /** Random pixel inputs 0..255. */
    static List<float[]> pixels(long seed, int count, int size) {
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
