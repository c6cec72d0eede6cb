package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.plan.ArenaOverflowException;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.IntegerReference;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.quant.RandomGraphs;
import io.tinyreid.nn.store.ModelFile;

/**
 * The integer runtime on a small graph holding every op (padded, strided, grouped convs, a residual
 * add fused into its conv, zero padding, pools, a copied concat, global average, fully connected):
 * equal to {@link IntegerReference} after every step in int16 and int8, whatever the tiling;
 * poisoning dead bytes changes nothing; the budget is exact. dlib's ResNet on real faces is
 * {@link DlibIntegerRuntimeTest}.
 */
class PlannedIntegerModelTest {
    static final PlanOptions INTEGER = PlanOptions.defaults().withKernels(PlanOptions.Kernels.INTEGER);

    static ModelFile quantised(Path dir, long seed, Quantiser.Precision p) {
        return quantised(dir, RandomGraphs.everyOp(seed), seed, p);
    }

    static ModelFile quantised(Path dir, Graph g, long seed, Quantiser.Precision p) {
        int n = g.input().shape().size();
        Graph q = Quantiser.quantise(g, RandomGraphs.pixels(seed, 4, n), Quantiser.Options.of(p)).quantised();
        Path f = dir.resolve(g.name() + "-" + seed + "-" + p + ".tinyreid");
        ModelFile.write(q, f);
        return ModelFile.open(f);
    }

    static List<Graph> graphs(long seed) {
        return List.of(RandomGraphs.everyOp(seed), RandomGraphs.resnet(seed));
    }

    static int[] raw(ModelFile m, float[] pixels) {
        int[] r = new int[pixels.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.graph().input().q().toRaw(pixels[i]);
        }
        return r;
    }

    @Test
    void equalsTheIntegerReferenceAfterEveryStepInInt16AndInt8(@TempDir Path tmp) {
        for (long seed = 1; seed <= 3; seed++) {
            for (Graph g : graphs(seed)) {
            for (Quantiser.Precision p : Quantiser.Precision.values()) {
                ModelFile m = quantised(tmp, g, seed, p);
                int size = g.input().shape().size();
                int outs = g.output().shape().size();
                for (int tile : new int[] {64, 700, PlanOptions.DEFAULT_TILE}) {
                    PlanOptions o = new PlanOptions(PlanOptions.L2, tile, false, PlanOptions.Kernels.INTEGER);
                    MemoryPlan plan = MemoryPlanner.plan(m.graph(), o);
                    LayerByLayer check = new LayerByLayer(plan);
                    IntegerReference ref = new IntegerReference(m.graph());
                    try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, o, check)) {
                        for (float[] px : RandomGraphs.pixels(seed + 100, 3, size)) {
                            ref.run(px);
                            check.expect(ref);
                            int[] out = new int[outs];
                            net.embedRaw(raw(m, px), out);
                            assertArrayEquals(ref.rawActivation(m.graph().output().name()), out, g.name() + " " + p + " tile " + tile);
                        }
                    }
                    assertEquals(3 * plan.steps().size(), check.compared);
                }
            }
            }
        }
    }

    /**
     * Under a budget the whole tensors exceed, the planner spills activations to L3 and stages them
     * through L2 windows of rows: every op kind (padded, strided, grouped, pooled and residual
     * convs, pools, zero padding, sums, concats, the global average) then still equals the
     * reference after every step, survives poisoning of dead L2 and L3 bytes, copies exactly the
     * bytes the plan counts, and runs in exactly its peak.
     */
    @Test
    void spillingActivationsToL3UnderATightBudgetChangesNoBit(@TempDir Path tmp) {
        for (Graph g : graphs(5)) {
            for (Quantiser.Precision p : Quantiser.Precision.values()) {
                ModelFile m = quantised(tmp, g, 5, p);
                List<float[]> inputs = RandomGraphs.pixels(58, 2, g.input().shape().size());
                for (int tile : new int[] {64, PlanOptions.DEFAULT_TILE}) {
                    PlanOptions o = new PlanOptions(PlanOptions.L2, tile, false, PlanOptions.Kernels.INTEGER);
                    MemoryPlan whole = MemoryPlanner.plan(m.graph(), o);
                    assertFalse(whole.spill().any(), "nothing spills when everything fits");
                    MemoryPlan lowest = MemoryPlanner.planUnchecked(m.graph(), o.withBudget(1));
                    MemoryPlan middle = MemoryPlanner.plan(m.graph(), o.withBudget((whole.peak() + lowest.peak()) / 2));
                    String what = g.name() + " " + p + " tile " + tile;
                    assertTrue(lowest.spill().any() && lowest.peak() < whole.peak(), what + ": " + lowest.peak() + " vs " + whole.peak());
                    assertTrue(lowest.buffers().stream().anyMatch(b -> b.kind() == MemoryPlan.Kind.STAGING), what);
                    for (MemoryPlan plan : List.of(lowest, middle)) {
                        // buffers live at the same time never share bytes, in L2 and in L3
                        for (List<MemoryPlan.Buffer> mem : List.of(plan.buffers(), List.copyOf(plan.spill().l3().values()))) {
                            for (MemoryPlan.Buffer x : mem) {
                                for (MemoryPlan.Buffer y : mem) {
                                    boolean together = x != y && x.first() <= y.last() && y.first() <= x.last();
                                    assertTrue(!together || x.end() <= y.offset() || y.end() <= x.offset() || x.bytes() == 0
                                            || y.bytes() == 0, what + ": " + x + " and " + y);
                                }
                            }
                        }
                    }
                    int[][] want;
                    try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, o, null)) {
                        want = embedAll(net, m, inputs);
                    }
                    for (MemoryPlan plan : List.of(lowest, middle)) {
                        PlanOptions exact = o.withBudget(plan.peak());
                        MemoryPlan again = MemoryPlanner.plan(m.graph(), exact);
                        assertEquals(plan.buffers(), again.buffers(), "re-planning at the peak gives the same plan");
                        assertEquals(plan.spill().l3(), again.spill().l3());
                        LayerByLayer check = new LayerByLayer(plan);
                        IntegerReference ref = new IntegerReference(m.graph());
                        try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, exact, check)) {
                            assertEquals(plan.peak(), net.arena().length);
                            for (int i = 0; i < inputs.size(); i++) {
                                ref.run(inputs.get(i));
                                check.expect(ref);
                                int[] out = new int[want[i].length];
                                net.embedRaw(raw(m, inputs.get(i)), out);
                                assertArrayEquals(want[i], out, what);
                                assertEquals(plan.spill().readBytes(), net.lastL3ReadBytes(), what);
                                assertEquals(plan.spill().writeBytes(), net.lastL3WrittenBytes(), what);
                            }
                        }
                        assertEquals(inputs.size() * plan.steps().size(), check.compared);
                        Poisoner poison = new Poisoner(plan);
                        try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, exact, poison)) {
                            assertArrayEquals(want, embedAll(net, m, inputs), what + " poisoned");
                        }
                        assertTrue(poison.poisoned > 0 && poison.poisonedL3 > 0, what);
                    }
                    var e = assertThrows(ArenaOverflowException.class,
                            () -> new PlannedIntegerModel(m, WeightLoading.SYNC, o.withBudget(lowest.peak() - 1), null));
                    assertTrue(e.getMessage().startsWith("region 'L2' overflowed by 1 bytes"), e.getMessage());
                }
            }
        }
    }

    @Test
    void aSpilledPlanShowsItsL3TensorsWindowsAndTraffic(@TempDir Path tmp) {
        ModelFile m = quantised(tmp, RandomGraphs.resnet(6), 6, Quantiser.Precision.INT16);
        MemoryPlan plan = MemoryPlanner.planUnchecked(m.graph(), INTEGER.withBudget(1));
        String text = plan.describe();
        assertTrue(text.contains("activations spilled to L3: " + plan.spill().l3().size() + " tensors"), text);
        assertTrue(text.contains("SPILLED") && text.contains("STAGING") && text.contains("bands of"), text);
        assertTrue(plan.spill().l3Bytes() > 0 && plan.spill().readBytes() > 0 && plan.spill().writeBytes() > 0);
        // every spilled tensor is in L3 and absent from the arena's buffers
        for (MemoryPlan.Placement pl : plan.placements().values()) {
            if (pl.spilled()) {
                assertFalse(plan.buffers().contains(pl.buffer()), pl.tensor().name());
                assertEquals(pl.buffer(), plan.spill().l3().get(pl.tensor()));
            }
        }
    }

    @Test
    void theGraphsLowerToEveryKindOfStepAndFuseResiduals(@TempDir Path tmp) {
        ModelFile m = quantised(tmp, 1, Quantiser.Precision.INT8);
        ModelFile res = quantised(tmp, RandomGraphs.resnet(1), 1, Quantiser.Precision.INT8);
        MemoryPlan plan = MemoryPlanner.plan(m.graph(), INTEGER);
        List<String> kinds = new ArrayList<>();
        List<MemoryPlan.Step> steps = new ArrayList<>(plan.steps());
        steps.addAll(MemoryPlanner.plan(res.graph(), INTEGER).steps());
        for (MemoryPlan.Step s : steps) {
            for (FusedOp op : s.ops()) {
                String k = op.getClass().getSimpleName();
                if (op instanceof FusedOp.ConvPool c && c.residual() != null) {
                    k = "Residual";
                    // written over the shortcut's storage: no buffer of its own
                    assertTrue(!c.storage().equals(c.residual().result()) && c.inputs().contains(c.storage()), c.label());
                }
                if (!kinds.contains(k)) {
                    kinds.add(k);
                }
            }
        }
        for (String k : List.of("ConvPool", "Residual", "Pool", "Pad", "Sum", "Join", "Average")) {
            assertTrue(kinds.contains(k), k + " missing from " + kinds);
        }
        long residuals = MemoryPlanner.plan(res.graph(), INTEGER).steps().stream()
                .filter(s -> s.ops().getFirst() instanceof FusedOp.ConvPool c && c.residual() != null).count();
        assertEquals(3, residuals, "both blocks and the down-sampling block add in place");
        // int8 activations take one byte in the arena
        MemoryPlan.Placement dw = plan.placements().values().stream().filter(p -> p.tensor().name().equals("dw")).findFirst()
                .orElseThrow();
        assertEquals(dw.tensor().shape().size(), dw.buffer().bytes());
        // the device kernels refuse it, naming the layer and the mode that runs it
        var e = assertThrows(UnsupportedOperationException.class, () -> MemoryPlanner.plan(m.graph(), PlanOptions.defaults()));
        assertTrue(e.getMessage().contains("mode integer"), e.getMessage());
    }

    /** Overwrites every arena byte that no buffer live at tile t owns, and every dead byte of L3 (spilled activations). */
    static final class Poisoner implements ExecutionObserver {
        final MemoryPlan plan;
        final SplittableRandom rnd = new SplittableRandom(7);
        long poisoned;
        long poisonedL3;
        int tiles;

        Poisoner(MemoryPlan plan) {
            this.plan = plan;
        }

        @Override
        public void beforeTile(int t, byte[] arena, byte[] l3) {
            poisoned += poison(arena, plan.buffers().stream().filter(b -> b.kind() != MemoryPlan.Kind.KERNEL).toList(), t);
            poisonedL3 += poison(l3, List.copyOf(plan.spill().l3().values()), t);
            tiles++;
        }

        private long poison(byte[] mem, List<MemoryPlan.Buffer> buffers, int t) {
            boolean[] live = new boolean[mem.length];
            for (MemoryPlan.Buffer b : buffers) {
                if (b.liveAt(t)) {
                    Arrays.fill(live, (int) b.offset(), (int) b.end(), true);
                }
            }
            long n = 0;
            for (int i = 0; i < mem.length; i++) {
                if (!live[i]) {
                    mem[i] = (byte) rnd.nextInt();
                    n++;
                }
            }
            return n;
        }
    }

    static int[][] embedAll(PlannedIntegerModel net, ModelFile m, List<float[]> inputs) {
        int[][] out = new int[inputs.size()][m.graph().output().shape().size()];
        for (int i = 0; i < inputs.size(); i++) {
            net.embedRaw(raw(m, inputs.get(i)), out[i]);
        }
        return out;
    }

    @Test
    void poisoningDeadBytesBetweenTilesChangesNothing(@TempDir Path tmp) {
        for (Graph g : graphs(2)) {
        List<float[]> inputs = RandomGraphs.pixels(55, 3, g.input().shape().size());
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            ModelFile m = quantised(tmp, g, 2, p);
            PlanOptions o = new PlanOptions(PlanOptions.L2, 256, false, PlanOptions.Kernels.INTEGER);
            MemoryPlan plan = MemoryPlanner.plan(m.graph(), o);
            int[][] clean;
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, o, null)) {
                clean = embedAll(net, m, inputs);
            }
            for (WeightLoading loading : WeightLoading.values()) {
                Poisoner poison = new Poisoner(plan);
                try (PlannedIntegerModel net = new PlannedIntegerModel(m, loading, o, poison)) {
                    assertArrayEquals(clean, embedAll(net, m, inputs), p + " " + loading);
                }
                assertEquals(inputs.size() * plan.tileCount(), poison.tiles);
                assertTrue(poison.poisoned > 0);
            }
        }
        }
    }

    @Test
    void poisoningALiveBufferIsNoticed(@TempDir Path tmp) {
        List<float[]> inputs = RandomGraphs.pixels(56, 2, 3 * 12 * 12);
        ModelFile m = quantised(tmp, 2, Quantiser.Precision.INT8);
        MemoryPlan plan = MemoryPlanner.plan(m.graph(), INTEGER);
        MemoryPlan.Buffer victim = plan.placements().values().stream().filter(p -> p.tensor().name().equals("dw"))
                .findFirst().orElseThrow().buffer();
        ExecutionObserver wrong = new ExecutionObserver() {
            @Override
            public void beforeTile(int t, byte[] arena) {
                if (t == victim.last()) {
                    Arrays.fill(arena, (int) victim.offset(), (int) victim.end(), (byte) 77);
                }
            }
        };
        int[][] clean;
        try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, INTEGER, null)) {
            clean = embedAll(net, m, inputs);
        }
        try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, INTEGER, wrong)) {
            assertFalse(Arrays.deepEquals(clean, embedAll(net, m, inputs)));
        }
    }

    @Test
    void runsWithExactlyThePeakAndRefusesOneByteLess(@TempDir Path tmp) {
        List<float[]> inputs = RandomGraphs.pixels(57, 2, 3 * 12 * 12);
        ModelFile m = quantised(tmp, 3, Quantiser.Precision.INT8);
        // whole tensors only (no L3 to spill to): one byte less cannot be planned
        PlanOptions INTEGER = PlannedIntegerModelTest.INTEGER.withL3(0);
        long peak = MemoryPlanner.planUnchecked(m.graph(), INTEGER).peak();
        int[][] ref;
        try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER, null)) {
            ref = embedAll(net, m, inputs);
        }
        try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER.withBudget(peak), null)) {
            assertEquals(peak, net.arena().length, "the arena is exactly the budget");
            assertArrayEquals(ref, embedAll(net, m, inputs));
        }
        var e = assertThrows(ArenaOverflowException.class,
                () -> new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER.withBudget(peak - 1), null));
        assertTrue(e.getMessage().startsWith("region 'L2' overflowed by 1 bytes"), e.getMessage());
    }

    @Test
    void compiledModelOpensTheIntegerModeAndRefusesDeviceModesOnInt8(@TempDir Path tmp) {
        ModelFile m = quantised(tmp, 1, Quantiser.Precision.INT8);
        try (CompiledModel net = CompiledModel.open(m, Mode.INTEGER, WeightLoading.SYNC, PlanOptions.defaults())) {
            assertEquals(Mode.INTEGER, net.mode());
            float[] out = new float[10];
            float[] px = RandomGraphs.pixels(3, 1, 3 * 12 * 12).getFirst();
            net.embed(px, out);
            assertArrayEquals(new IntegerReference(m.graph()).run(px), out);
        }
        var e = assertThrows(UnsupportedOperationException.class,
                () -> CompiledModel.open(m, Mode.FAST, WeightLoading.SYNC, PlanOptions.defaults()));
        assertTrue(e.getMessage().contains("8-bit") && e.getMessage().contains("mode integer"), e.getMessage());
    }

    @Test
    void truncatedOrCorruptInt8AndInt16ModelFilesAreRefused(@TempDir Path tmp) throws java.io.IOException {
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            ModelFile m = quantised(tmp, RandomGraphs.resnet(4), 4, p);
            byte[] good = java.nio.file.Files.readAllBytes(m.path());
            Path f = tmp.resolve("broken-" + p + ".tinyreid");

            java.nio.file.Files.write(f, Arrays.copyOf(good, good.length - 7));
            var e = assertThrows(io.tinyreid.nn.store.ModelFileException.class, () -> ModelFile.open(f));
            assertTrue(e.getMessage().contains("truncated"), p + ": " + e.getMessage());

            // flip a bit inside the last conv's weights (the fully connected layer, stored last)
            ModelFile.Blob w = m.blob(((io.tinyreid.nn.ir.FullyConnected) m.graph().layers().getLast()).weight());
            byte[] bad = good.clone();
            bad[(int) w.offset() + 3] ^= 0x04;
            java.nio.file.Files.write(f, bad);
            e = assertThrows(io.tinyreid.nn.store.ModelFileException.class, () -> ModelFile.open(f));
            assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("fc"), p + ": " + e.getMessage());

            // truncated after opening: the weight stream says so instead of computing on garbage
            java.nio.file.Files.write(f, good);
            ModelFile opened = ModelFile.open(f);
            for (WeightLoading loading : WeightLoading.values()) {
                try (PlannedIntegerModel net = new PlannedIntegerModel(opened, loading, INTEGER, null)) {
                    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                        ch.truncate(ch.size() / 2);
                    }
                    int[] in = raw(opened, RandomGraphs.pixels(9, 1, 3 * 36 * 36).getFirst());
                    var io = assertThrows(java.io.UncheckedIOException.class, () -> net.embedRaw(in, new int[6]));
                    assertTrue(io.getMessage().contains("ended early"), p + " " + loading + ": " + io.getMessage());
                }
                java.nio.file.Files.write(f, good);
            }
        }
    }
}
