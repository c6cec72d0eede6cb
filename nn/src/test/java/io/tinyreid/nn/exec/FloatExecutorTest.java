package io.tinyreid.nn.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.L2Normalize;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.ir.ZeroPad;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;
import io.tinyreid.testing.WrapGolden;

class FloatExecutorTest {
    private static Tensor t(String n, int c, int h, int w) {
        return new Tensor(n, new Shape(c, h, w), null);
    }

    /** The branch-free ReLU and max of the SSE paths are bit for bit {@code Math.max}, zeros' signs and NaN included. */
    @Test
    void reluAndMaxAreMathMax() {
        float[] special = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000), 3.5f, -3.5f};
        java.util.Random r = new java.util.Random(13);
        float[] values = java.util.Arrays.copyOf(special, special.length + 2000);
        for (int i = special.length; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(r.nextInt());
        }
        for (float a : values) {
            assertEquals(Float.floatToIntBits(Math.max(a, 0f)), Float.floatToIntBits(FloatExecutor.relu(a)), "relu " + a);
            for (int k = 0; k < 40; k++) {
                float b = values[r.nextInt(values.length)];
                assertEquals(Float.floatToIntBits(Math.max(a, b)), Float.floatToIntBits(FloatExecutor.max(a, b)),
                        "max " + a + ", " + b);
            }
        }
    }

    @Test
    void convWithPaddingStrideAndReluMatchesHandComputation() {
        // 1x3x3 input 1..9, one 3x3 kernel of ones with pad 1 stride 2, bias -20, then ReLU.
        Tensor in = t("in", 1, 3, 3);
        Tensor out = t("out", 1, 2, 2);
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        Conv2d c = new Conv2d("c", in, out, 3, 3, 2, 2, Padding.same(1), 1, Weights.ofReal(ones),
                Weights.ofReal(new float[] {-20}), Activation.RELU);
        Graph g = new Graph("t", Colour.GRAY, in, out, List.of(c));
        float[] o = new float[4];
        new FloatExecutor(g).run(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, o);
        // windows: top-left 1+2+4+5=12 -> 0 after ReLU; top-right 2+3+5+6=16 -> 0;
        // bottom-left 4+5+7+8=24 -> 4; bottom-right 5+6+8+9=28 -> 8.
        assertArrayEquals(new float[] {0, 0, 4, 8}, o);
    }

    @Test
    void residualBlockOpsMatchHandComputation() {
        // RGB 2x2 -> scale -> 2x2 avg pool -> pad 1 channel + 1 row/col -> add to itself -> fc -> l2.
        Tensor in = new Tensor("in", new Shape(3, 2, 2), null);
        Tensor s = t("s", 3, 2, 2);
        Tensor a = t("a", 3, 1, 1);
        Tensor p = t("p", 4, 2, 2);
        Tensor sum = t("sum", 4, 2, 2);
        Tensor mp = t("mp", 4, 1, 1);
        Tensor fc = t("fc", 2, 1, 1);
        Tensor n = t("n", 2, 1, 1);
        Graph g = new Graph("t", Colour.RGB, in, n, List.of(
                new Scale("scale", in, s, Weights.ofReal(new float[] {1, 2, 3}), Weights.ofReal(new float[] {0, 0, -1})),
                new AvgPool("avg", s, a, 2, 2),
                new ZeroPad("pad", a, p, 1, new Padding(0, 0, 1, 1)),
                new Add("add", p, p, sum),
                new MaxPool("max", sum, mp, 2, 2, Padding.NONE),
                new FullyConnected("fc", mp, fc, Weights.ofReal(new float[] {1, 0, 0, 0, 0, 1, 1, 1}),
                        Weights.ofReal(new float[] {0, 0})),
                new L2Normalize("l2", fc, n)));
        float[] o = new float[2];
        FloatExecutor ex = new FloatExecutor(g);
        ex.run(new float[] {1, 2, 3, 4, 1, 1, 1, 1, 2, 2, 2, 2}, o);
        // scale: ch0 mean 2.5, ch1 2*1=2, ch2 3*2-1=5; pooled (2.5, 2, 5); doubled max (5, 4, 10, 0);
        // fc: (5, 4+10+0=14); l2 -> (5, 14)/sqrt(221).
        double norm = Math.sqrt(221);
        assertArrayEquals(new float[] {(float) (5 / norm), (float) (14 / norm)}, o, 1e-6f);
        assertArrayEquals(new float[] {5, 4, 10, 0}, ex.activation("mp"), 1e-6f);
    }

    /**
     * The float net (dequantised weights) against the device's descriptors, at the edge too: on all 26
     * (the 24 wrap goldens, Francesco, Lena) it is within cosine 0.9995 of the unwrapped int16 arithmetic;
     * the device's 32-bit wrap moves the 12 wrapping faces away from it (measured down to 0.981), so
     * against the device the bound is 0.975, and the wrapping faces must be the ones that moved.
     */
    @Test
    void faceReidFloatAgreesWithTheDevicesDescriptors() {
        Graph g = FaceReidImporter.load(SharedData.require("models/facereid/quantized_model"));
        FloatExecutor ex = new FloatExecutor(g);
        float[] in = new float[128 * 128];
        float[] d = new float[512];
        double worstWrapping = 1;
        int faces = 0;
        for (WrapGolden.Face f : WrapGolden.withDevice()) {
            for (int i = 0; i < in.length; i++) {
                in[i] = f.input()[i];
            }
            ex.run(in, d);
            double device = TestImages.cosine(d, q10(f.descriptor()));
            double unwrapped = TestImages.cosine(d, q10(f.unwrapped()));
            assertTrue(unwrapped >= 0.9995, f.name() + ": cosine float vs unwrapped int16 " + unwrapped);
            assertTrue(device >= 0.975, f.name() + ": cosine float vs device " + device);
            if (f.wraps()) {
                worstWrapping = Math.min(worstWrapping, device);
            } else {
                assertTrue(device >= 0.9995, f.name() + " (no wrap): cosine float vs device " + device);
            }
            faces++;
        }
        assertEquals(26, faces);
        assertTrue(worstWrapping < 0.99, "the wrap moved no face away from float: worst cosine " + worstWrapping);
    }

    private static float[] q10(short[] q) {
        float[] r = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            r[i] = q[i] / 1024f;
        }
        return r;
    }
}
