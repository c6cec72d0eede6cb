package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.store.ModelFile;

/**
 * A network built to reach the device's 32-bit wrap on most outputs, in every micro-kernel of the
 * exact runtime: a 3x3 conv with 6 output channels (four-channel blocks and the one-channel
 * remainder over the input window) and a 1x1 conv with 6 (the direct kernels, both shapes). The exact
 * executor must equal {@link NaiveExact}, which {@link NaiveExactTest} proves against the device's
 * wrap goldens; and the wrap must change both layers' outputs (else this test could not tell).
 */
class WrappingAccumulatorTest {
    static short[] big(SplittableRandom r, int n, int from, int to) {
        short[] w = new short[n];
        for (int i = 0; i < n; i++) {
            w[i] = (short) ((r.nextBoolean() ? 1 : -1) * r.nextInt(from, to));
        }
        return w;
    }

    @Test
    void exactExecutorWrapsLikeTheDevice(@TempDir Path tmp) {
        SplittableRandom r = new SplittableRandom(7);
        Tensor in = new Tensor("in", new Shape(1, 12, 12), new QFormat(0));
        Tensor a = new Tensor("a", new Shape(4, 12, 12), new QFormat(0));
        Tensor b = new Tensor("b", new Shape(6, 12, 12), new QFormat(-1));
        Tensor c = new Tensor("c", new Shape(6, 12, 12), new QFormat(-2));
        // 1x1, norm 0: activations up to 255 * 128 = 32640
        Conv2d ca = new Conv2d("a", in, a, 1, 1, 1, 1, Padding.NONE, 1,
                Weights.ofRaw(new short[] {128, 127, -128, 100}, new QFormat(0)),
                Weights.ofRaw(new short[4], new QFormat(0)), Activation.NONE);
        // 3x3, norm 16: nine products of ~32000 * ~30000 sum far past 2^31, and once the output
        // saturates, (out << 16) + acc_c passes it again
        Conv2d cb = new Conv2d("b", a, b, 3, 3, 1, 1, Padding.same(1), 1,
                Weights.ofRaw(big(r, 6 * 4 * 9, 25000, 32000), new QFormat(15)),
                Weights.ofRaw(big(r, 6, 0, 1000), new QFormat(-1)), Activation.NONE);
        // 1x1, norm 16: one product per channel (< 2^30) never wraps acc_c alone; once the output has
        // saturated, out << 16 is within 2^16 of +-2^31 and adding acc_c wraps A
        Conv2d cc = new Conv2d("c", b, c, 1, 1, 1, 1, Padding.NONE, 1,
                Weights.ofRaw(big(r, 6 * 6, 20000, 32000), new QFormat(15)),
                Weights.ofRaw(big(r, 6, 0, 1000), new QFormat(-2)), Activation.NONE);
        Graph g = new Graph("wrap", Colour.GRAY, in, c, List.of(ca, cb, cc));
        Path f = tmp.resolve("wrap.tinyreid");
        ModelFile.write(g, f);
        ModelFile mf = ModelFile.open(f);
        try (PlannedModel m = new PlannedModel(mf, Mode.EXACT, WeightLoading.ASYNC, PlanOptions.defaults(), null)) {
            short[] out = new short[c.shape().size()];
            boolean bWrapMattered = false;
            boolean cWrapMattered = false;
            for (int k = 0; k < 10; k++) {
                short[] x = new short[144];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (short) r.nextInt(200, 256);
                }
                m.embedRaw(x, out);
                Map<String, short[]> device = NaiveExact.run(g, x);
                assertArrayEquals(device.get("c"), out, "input " + k);
                // the same layers without the wraps, each from the device's own input to it
                bWrapMattered |= !Arrays.equals(NaiveExact.conv(cb, device.get("a"), false), device.get("b"));
                cWrapMattered |= !Arrays.equals(NaiveExact.conv(cc, device.get("b"), false), device.get("c"));
            }
            assertTrue(bWrapMattered, "the 3x3 layer never wrapped");
            assertTrue(cWrapMattered, "the 1x1 layer never wrapped");
        }
    }
}
