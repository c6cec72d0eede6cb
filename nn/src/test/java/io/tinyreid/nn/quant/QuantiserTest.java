package io.tinyreid.nn.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Tensor;

class QuantiserTest {
    final Graph g = RandomGraphs.everyOp(7);
    final List<float[]> cal = RandomGraphs.pixels(1, 8, 3 * 12 * 12);

    @Test
    void intBitsIsCeilLog2() {
        assertEquals(0, Quantiser.intBits(1.0));
        assertEquals(1, Quantiser.intBits(1.5));
        assertEquals(2, Quantiser.intBits(4.0));
        assertEquals(3, Quantiser.intBits(4.01));
        assertEquals(-2, Quantiser.intBits(0.2));
        assertEquals(0, Quantiser.intBits(0));
    }

    @Test
    void foldingIsExactInRealArithmetic() {
        Graph f = Folding.fold(g);
        assertTrue(f.layers().stream().noneMatch(l -> l instanceof Scale), "scales folded (input scale into the unpadded conv)");
        assertTrue(f.layers().stream().noneMatch(l -> l instanceof Relu r && r.name().equals("r1")), "relu fused");
        assertEquals(Activation.RELU, ((Conv2d) f.layers().get(0)).activation());
        FloatExecutor a = new FloatExecutor(g);
        FloatExecutor b = new FloatExecutor(f);
        float[] oa = new float[10];
        float[] ob = new float[10];
        for (float[] in : cal) {
            a.run(in, oa);
            b.run(in, ob);
            assertArrayEquals(oa, ob, 1e-4f);
        }
    }

    @Test
    void formatsFollowTheRecipe() {
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            Quantiser.Result r = Quantiser.quantise(g, cal, Quantiser.Options.of(p));
            Graph q = r.quantised();
            Map<String, Tensor> byName = new HashMap<>();
            q.tensors().forEach(t -> byName.put(t.name(), t));
            assertEquals(16, q.input().q().bits(), "pixels stay int16");
            assertEquals(7, q.input().q().fracBits(), "255 needs 8 integer bits: Q7");
            assertEquals(16, q.output().q().bits(), "the descriptor stays int16");
            for (Layer l : q.layers()) {
                Tensor o = l.output();
                if (o != q.output()) {
                    assertEquals(p.bits(), o.q().bits(), o.name());
                }
                // int16: every tensor holds its calibrated range, frac <= bits - 1 - ceil(log2(max));
                // int8: the range search may clip up to four octaves of rare large values.
                int ib = Quantiser.intBits(r.maxAbs().getOrDefault(o.name(), 0f));
                int recipe = o.q().bits() - 1 - ib;
                if (p == Quantiser.Precision.INT16 || o == q.output()) {
                    assertTrue(o.q().fracBits() <= recipe, o + " vs max " + r.maxAbs().get(o.name()));
                } else {
                    assertTrue(o.q().fracBits() <= recipe + 4, o + " vs max " + r.maxAbs().get(o.name()));
                }
                switch (l) {
                    case Add a -> {
                        assertEquals(o.q(), a.a().q(), "add aligned in place");
                        assertEquals(o.q(), a.b().q(), "add aligned in place");
                    }
                    case Concat c -> c.inputs().forEach(t -> assertEquals(o.q(), t.q()));
                    case Relu rl -> assertEquals(o.q(), rl.input().q());
                    case Conv2d c -> {
                        for (int k = 0; k < c.outChannels(); k++) {
                            assertTrue(c.weight().channelQ(k).bits() == p.bits());
                            // The accumulator keeps a spare bit: |acc| < 2^30 for the layer's range.
                            int accInt = Math.max(Quantiser.intBits(r.maxAbs().getOrDefault(o.name(), 0f)), 0);
                            assertTrue(accInt + c.input().q().fracBits() + c.weight().channelQ(k).fracBits() <= 31, c.name());
                        }
                        assertEquals(16, c.bias().q().bits());
                    }
                    default -> { }
                }
            }
        }
    }

    @Test
    void int16IsCloseToFloatAndInt8ReasonablyClose() {
        List<float[]> test = RandomGraphs.pixels(2, 6, 3 * 12 * 12);
        double[] cos = new double[2];
        int k = 0;
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            Quantiser.Result r = Quantiser.quantise(g, cal, Quantiser.Options.of(p));
            QuantReport rep = QuantReport.measure(r, test);
            cos[k++] = rep.outputCosine();
            assertFalse(rep.toText().isBlank());
        }
        assertTrue(cos[0] > 0.9999, "int16 cosine " + cos[0]);
        assertTrue(cos[1] > 0.98, "int8 cosine " + cos[1]);
    }

    @Test
    void perChannelWeightsOnlyWhereTheyPay() {
        // Channel 0 has large weights, channel 1 tiny ones: per-channel formats pay.
        float[] w = {1.5f, -1.2f, 0.9f, 0.001f, -0.002f, 0.0015f};
        Quantiser.Options o = new Quantiser.Options(Quantiser.Precision.INT8, 2.0);
        var in = new io.tinyreid.nn.ir.QFormat(5, 8);
        var out = new io.tinyreid.nn.ir.QFormat(4, 8);
        var wb = Quantiser.quantiseWeights(w, new float[2], 2, in, out, 3, 8, o);
        assertTrue(wb[0].perChannel());
        assertTrue(wb[0].channelQ(1).fracBits() > wb[0].channelQ(0).fracBits());
        // Two channels of one scale: a per-tensor format is as good, so it is kept.
        float[] same = {1.5f, -1.2f, 0.9f, 1.4f, -1.1f, 0.8f};
        var wb2 = Quantiser.quantiseWeights(same, new float[2], 2, in, out, 3, 8, o);
        assertFalse(wb2[0].perChannel());
    }

    @Test
    void rangeSearchClipsRareOutliersInInt8() {
        Quantiser.Histogram h = new Quantiser.Histogram();
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 100_000; i++) {
            h.add((float) Math.min(3.5, Math.abs(r.nextGaussian() * 0.5)));
        }
        h.add(4.5f); // one outlier: the recipe spends a third integer bit on it
        double recipe = h.error(7 - 3, 8);
        double clipped = h.error(7 - 2, 8);
        assertTrue(clipped < recipe, "clipping the outlier costs less than coarse steps for everything");
        // A large outlier costs more clipped than the coarser steps do.
        h.add(30f);
        assertTrue(h.error(7 - 5, 8) < h.error(7 - 3, 8));
        // In int16 steps are fine anyway: the max-based range is best.
        assertTrue(h.error(15 - 5, 16) < h.error(15 - 3, 16));
    }
}
