package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.IntegerReference;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.store.ModelFile;

/**
 * The integer runtime (quantiser int16/int8, {@link PlannedIntegerModel}, {@link IntegerConv}) where
 * exactness is hard: outputs clipped at the int16/int8 limits, 32-bit accumulators that wrap, a rounding
 * add one step past 2^31, the last (partial) weight tile, all-zero input. Every step equals
 * {@link IntegerReference}, which itself is checked against values computed by hand here; and each test
 * asserts the edge was actually reached.
 */
class IntegerEdgeTest {
    static final int[] TILES = {64, 700, PlanOptions.DEFAULT_TILE};

    /**
     * Quantised random graphs (every op; a small ResNet) driven far outside their calibration: raw
     * inputs at the input format's limits. Activations saturate, conv sums pass 2^31, and the runtime
     * still equals the reference after every step, in int16 and int8, for every tile size.
     */
    @Test
    void inputsAtTheLimitsSaturateAndWrapAsTheReferenceSays(@TempDir Path tmp) {
        long saturated = 0;
        long wrapped = 0;
        for (Graph g : PlannedIntegerModelTest.graphs(11)) {
            for (Quantiser.Precision p : Quantiser.Precision.values()) {
                ModelFile m = PlannedIntegerModelTest.quantised(tmp, g, 11, p);
                QFormat iq = m.graph().input().q();
                List<int[]> inputs = extremes(m.graph().input().shape().size(), iq, 12);
                for (int tile : TILES) {
                    PlanOptions o = new PlanOptions(PlanOptions.L2, tile, false, PlanOptions.Kernels.INTEGER);
                    MemoryPlan plan = MemoryPlanner.plan(m.graph(), o);
                    LayerByLayer check = new LayerByLayer(plan);
                    IntegerReference ref = new IntegerReference(m.graph());
                    try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, o, check)) {
                        for (int[] x : inputs) {
                            ref.run(real(x, iq));
                            check.expect(ref);
                            int[] out = new int[m.graph().output().shape().size()];
                            net.embedRaw(x, out);
                            assertArrayEquals(ref.rawActivation(m.graph().output().name()), out,
                                    g.name() + " " + p + " tile " + tile);
                            if (tile == TILES[0]) {
                                wrapped += wrappingSums(m.graph(), ref);
                            }
                        }
                    }
                    assertEquals(inputs.size() * plan.steps().size(), check.compared);
                    if (tile == TILES[0]) {
                        for (Tensor t : m.graph().tensors()) {
                            saturated += ref.saturations(t.name());
                        }
                    }
                }
            }
        }
        System.out.printf("integer runtime at the limits: %d values saturated, %d sums wrapped%n", saturated, wrapped);
        assertTrue(saturated > 100, "values saturated: " + saturated);
    }

    /**
     * Int16 convs with weights near the int16 limits (the quantiser would never make them): nearly
     * every sum of a dense 3x3 (27 products of ~2^30) and of a 1x1 over 8 channels passes 2^31 and
     * wraps; a depthwise 3x3 after them. Every step equals the reference for tiles that split the
     * channels unevenly, on inputs at the limits and all zeros.
     */
    @Test
    void accumulatorsPastTwoToTheThirtyOneWrapAsTheReferenceSays(@TempDir Path tmp) {
        SplittableRandom r = new SplittableRandom(31);
        Tensor in = new Tensor("in", new Shape(3, 10, 10), new QFormat(0));
        Tensor a = new Tensor("a", new Shape(8, 10, 10), new QFormat(-1));
        Tensor b = new Tensor("b", new Shape(6, 10, 10), new QFormat(-1));
        Tensor c = new Tensor("c", new Shape(6, 8, 8), new QFormat(-1));
        Graph g = new Graph("wraps", Colour.RGB, in, c, List.of(
                new Conv2d("a", in, a, 3, 3, 1, 1, Padding.same(1), 1, Weights.ofRaw(big(r, 8 * 3 * 9), new QFormat(15)),
                        Weights.ofRaw(big(r, 8), new QFormat(-1)), Activation.NONE),
                new Conv2d("b", a, b, 1, 1, 1, 1, Padding.NONE, 1, Weights.ofRaw(big(r, 6 * 8), new QFormat(15)),
                        Weights.ofRaw(big(r, 6), new QFormat(-1)), Activation.RELU),
                new Conv2d("c", b, c, 3, 3, 1, 1, Padding.NONE, 6, Weights.ofRaw(big(r, 6 * 9), new QFormat(15)),
                        Weights.ofRaw(big(r, 6), new QFormat(-1)), Activation.NONE)));
        Path f = tmp.resolve("wraps.tinyreid");
        ModelFile.write(g, f);
        ModelFile m = ModelFile.open(f);
        List<int[]> inputs = extremes(in.shape().size(), in.q(), 32);
        long wrapped = 0;
        long saturated = 0;
        for (int tile : new int[] {60, 200, PlanOptions.DEFAULT_TILE}) {
            PlanOptions o = new PlanOptions(PlanOptions.L2, tile, false, PlanOptions.Kernels.INTEGER);
            MemoryPlan plan = MemoryPlanner.plan(g, o);
            LayerByLayer check = new LayerByLayer(plan);
            IntegerReference ref = new IntegerReference(g);
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, o, check)) {
                for (int[] x : inputs) {
                    ref.run(real(x, in.q()));
                    check.expect(ref);
                    int[] out = new int[c.shape().size()];
                    net.embedRaw(x, out);
                    assertArrayEquals(ref.rawActivation("c"), out, "tile " + tile);
                    wrapped += wrappingSums(g, ref);
                }
            }
            assertEquals(inputs.size() * plan.steps().size(), check.compared);
            saturated += ref.saturations("a") + ref.saturations("b") + ref.saturations("c");
        }
        System.out.printf("crafted int16 convs: %d sums wrapped, %d values saturated%n", wrapped, saturated);
        assertTrue(wrapped > 1000, "sums past 32 bits: " + wrapped);
        assertTrue(saturated > 100, "values saturated: " + saturated);
    }

    /** Random int16 values of magnitude 20,000..32,767, either sign. */
    static short[] big(SplittableRandom r, int n) {
        short[] w = new short[n];
        for (int i = 0; i < n; i++) {
            w[i] = (short) ((r.nextBoolean() ? 1 : -1) * r.nextInt(20000, 32768));
        }
        return w;
    }

    /**
     * A 1x1 conv whose seven output channels each sit on one edge of the arithmetic, with values
     * worked out by hand (int16: out Q0, so norm = the channel's weight frac bits):
     * c0 the rounding add one step past 2^31 (acc 2,147,352,578 + 2^17: 8,192, not a wrapped negative);
     * c1 a sum of exactly 2^31, which wraps to -2^31 (-8,192, where 64 bits would give +8,192);
     * c2 saturation at both ends (norm 0); c3 a bias whose {@code << 17} wraps (-131,072); c4 a negative
     * norm (left shift, late bias 7, saturating); c5 zero weights (the bias); c6 rounding half up
     * below zero (-1.5 -> -1). Tiles of 16 bytes (two channels) leave a last tile of one.
     */
    @Test
    void handWorkedInt16EdgesAndTheLastTile(@TempDir Path tmp) {
        int[] norms = {18, 18, 0, 17, -2, 0, 1};
        // [out][in]; the third input channel (an RGB graph needs three) is all zeros and adds nothing
        short[] w = {32767, 32767, 9, -32768, -32768, 9, 32767, 32767, 9, 1, 1, 9, 1000, 1000, 9, 0, 0, 0, 3, -3, 9};
        short[] bias = {0, 0, 0, 32767, 7, -5, 0};
        int[][] inputs = {{32767, -32768, 0, 1}, {32767, -32768, 0, 2}, {0, 0, 0, 0}}; // [channel][position]
        // expected[channel][position], by hand; positions hold (x0, x1) = (32767, 32767), (-32768, -32768), (0, 0), (1, 2)
        int[][] want = {
                // 2,147,352,578 + 2^17 = 2,147,483,650 (> 2^31 - 1), >> 18 = 8,192; -2,147,418,112 -> -8,191.25 -> -8,192
                {8192, -8192, 0, 0},
                // 2 * 32768 * 32768 = 2^31 wraps to -2^31: (-2^31 + 2^17) >> 18 = -8,191.5 -> -8,192 (64 bits: +8,192)
                {-8192, -8192, 0, 0},
                // norm 0: the sums saturate
                {32767, -32768, 0, 32767},
                // bias 32767 << 17 wraps to -131,072; every position then rounds to -1
                {-1, -1, -1, -1},
                // norm -2: (sum << 2) + 7, saturated; 3,000 * 4 + 7 = 12,007
                {32767, -32768, 7, 12007},
                // zero weights: the bias
                {-5, -5, -5, -5},
                // 3 * 1 - 3 * 2 = -3: (-3 + 1) >> 1 = -1 (half up)
                {0, 0, 0, -1}};
        QFormat[] wq = new QFormat[norms.length];
        for (int o = 0; o < wq.length; o++) {
            wq[o] = new QFormat(norms[o]);
        }
        Tensor in = new Tensor("in", new Shape(3, 1, 4), new QFormat(0));
        Tensor out = new Tensor("edge", new Shape(norms.length, 1, 4), new QFormat(0));
        Graph g = new Graph("edges", Colour.RGB, in, out, List.of(new Conv2d("edge", in, out, 1, 1, 1, 1, Padding.NONE, 1,
                Weights.ofRawPerChannel(w, wq), Weights.ofRaw(bias, new QFormat(0)), Activation.NONE)));
        int[] x = new int[12];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                x[c * 4 + i] = inputs[c][i];
            }
        }
        IntegerReference ref = new IntegerReference(g);
        ref.run(real(x, in.q()));
        int[] flat = new int[norms.length * 4];
        for (int o = 0; o < norms.length; o++) {
            System.arraycopy(want[o], 0, flat, o * 4, 4);
        }
        assertArrayEquals(flat, ref.rawActivation("edge"), "IntegerReference against the hand-worked values");
        Path f = tmp.resolve("edges.tinyreid");
        ModelFile.write(g, f);
        ModelFile m = ModelFile.open(f);
        for (int tile : new int[] {16, 64}) {
            PlanOptions o = new PlanOptions(PlanOptions.L2, tile, false, PlanOptions.Kernels.INTEGER);
            MemoryPlan plan = MemoryPlanner.plan(g, o);
            List<MemoryPlan.Tile> tiles = plan.steps().getFirst().tiles();
            MemoryPlan.TilePart first = tiles.getFirst().parts().getFirst();
            MemoryPlan.TilePart last = tiles.getLast().parts().getFirst();
            assertTrue(tile == 64 || tiles.size() > 1 && last.c1() - last.c0() < first.c1() - first.c0(), "a smaller last tile: " + tiles);
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, o, null)) {
                int[] got = new int[flat.length];
                net.embedRaw(x, got);
                assertArrayEquals(flat, got, "tile " + tile);
                assertThrows(IllegalArgumentException.class, () -> net.embedRaw(new int[0], got), "empty input");
                assertThrows(IllegalArgumentException.class, () -> net.embedRaw(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40000}, got),
                        "a value outside int16");
            }
        }
    }

    /** All zeros, all at the maximum, all at the minimum, then random values at +-max (and a few zeros). */
    static List<int[]> extremes(int n, QFormat q, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        out.add(new int[n]);
        int[] max = new int[n];
        int[] min = new int[n];
        java.util.Arrays.fill(max, q.maxRaw());
        java.util.Arrays.fill(min, q.minRaw());
        out.add(max);
        out.add(min);
        for (int k = 0; k < 3; k++) {
            int[] x = new int[n];
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(8);
                x[i] = c == 0 ? 0 : c < 5 ? q.maxRaw() : q.minRaw();
            }
            out.add(x);
        }
        return out;
    }

    static float[] real(int[] raw, QFormat q) {
        float[] f = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            f[i] = q.toReal(raw[i]);
            if (q.toRaw(f[i]) != raw[i]) {
                throw new IllegalStateException("raw " + raw[i] + " does not survive " + q);
            }
        }
        return f;
    }

    /**
     * How many dense conv outputs of the reference's last run had a sum {@code (bias << norm) + sum x*w}
     * outside int32 (computed here in 64 bits from the reference's own inputs to the layer).
     */
    static long wrappingSums(Graph g, IntegerReference ref) {
        long n = 0;
        for (Layer l : g.layers()) {
            if (!(l instanceof Conv2d c) || c.groups() != 1) {
                continue;
            }
            int[] x = ref.rawActivation(c.input().name());
            Shape is = c.input().shape();
            Shape os = c.output().shape();
            for (int o = 0; o < c.outChannels(); o++) {
                int norm = c.norm(o);
                long bias = norm >= 0 ? (long) c.bias().raw(o) << norm : 0;
                for (int y = 0; y < os.height(); y++) {
                    for (int xx = 0; xx < os.width(); xx++) {
                        long acc = bias;
                        for (int i = 0; i < is.channels(); i++) {
                            for (int ky = 0; ky < c.kernelH(); ky++) {
                                for (int kx = 0; kx < c.kernelW(); kx++) {
                                    int iy = y * c.strideH() + ky - c.padding().top();
                                    int ix = xx * c.strideW() + kx - c.padding().left();
                                    if (iy >= 0 && iy < is.height() && ix >= 0 && ix < is.width()) {
                                        acc += (long) x[(i * is.height() + iy) * is.width() + ix]
                                                * c.weight().raw(((o * is.channels() + i) * c.kernelH() + ky) * c.kernelW() + kx);
                                    }
                                }
                            }
                        }
                        if (acc != (int) acc) {
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }
}
