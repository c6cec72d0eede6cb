package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;

/**
 * A network built to overflow the 32-bit per-channel accumulator on most outputs: the exact
 * executor must wrap exactly like the device (and the naive reference), not saturate or widen.
 */
class WrappingAccumulatorTest {
    @Test
    void exactExecutorWrapsLikeTheDevice(@TempDir Path tmp) {
        SplittableRandom r = new SplittableRandom(7);
        Tensor in = new Tensor("in", new Shape(1, 12, 12), new QFormat(0));
        Tensor a = new Tensor("a", new Shape(4, 12, 12), new QFormat(0));
        Tensor b = new Tensor("b", new Shape(6, 12, 12), new QFormat(-1));
        Tensor d = new Tensor("d", new Shape(6, 1, 1), new QFormat(-1));
        // 1x1, norm 0: activations up to 255 * 128 = 32640
        Conv2d ca = new Conv2d("a", in, a, 1, 1, 1, 1, Padding.NONE, 1,
                Weights.ofRaw(new short[] {128, 127, -128, 100}, new QFormat(0)),
                Weights.ofRaw(new short[4], new QFormat(0)), Activation.NONE);
        short[] w = new short[6 * 4 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (short) ((r.nextBoolean() ? 1 : -1) * (25000 + r.nextInt(7000)));
        }
        short[] bias = new short[6];
        for (int i = 0; i < 6; i++) {
            bias[i] = (short) r.nextInt(-1000, 1000);
        }
        // 3x3, norm 16: nine products of ~32000 * ~30000 sum far past 2^31
        Conv2d cb = new Conv2d("b", a, b, 3, 3, 1, 1, Padding.same(1), 1, Weights.ofRaw(w, new QFormat(15)),
                Weights.ofRaw(bias, new QFormat(-1)), Activation.NONE);
        Graph g = new Graph("wrap", Colour.GRAY, in, d, List.of(ca, cb, new GlobalAvgPool("avg", b, d)));
        Path f = tmp.resolve("wrap.tinyreid");
        ModelFile.write(g, f);
        ModelFile mf = ModelFile.open(f);
        try (PlannedModel m = new PlannedModel(mf, Mode.EXACT, WeightLoading.ASYNC, PlanOptions.defaults(), null)) {
            short[] out = new short[6];
            boolean wrapMattered = false;
            for (int k = 0; k < 10; k++) {
                short[] x = new short[144];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (short) r.nextInt(200, 256);
                }
                m.embedRaw(x, out);
                assertArrayEquals(NaiveExact.run(g, x).get("d"), out, "input " + k);
                wrapMattered |= !Arrays.equals(NaiveExact.run(g, x, false).get("d"), out);
            }
            assertFalse(!wrapMattered, "the crafted inputs never overflowed");
        }
    }
}
