package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.plan.ArenaOverflowException;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.AllocationStreak;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.TestImages;

/** Planned arena, weight streaming, poisoning, sync/async, the budget, zero allocation. */
class PlannedRuntimeTest {
    static ModelFile model;
    static List<short[]> faces = new ArrayList<>();

    @BeforeAll
    static void load() {
        model = ModelFile.open(FaceReidFixture.modelFile());
        for (Path p : TestImages.lfwFaces(8)) {
            faces.add(FaceReidFixture.raw(TestImages.grayResized(p, 128)));
        }
    }

    static short[][] embedAll(PlannedModel m) {
        short[][] out = new short[faces.size()][512];
        for (int i = 0; i < faces.size(); i++) {
            m.embedRaw(faces.get(i), out[i]);
        }
        return out;
    }

    /** Overwrites every arena short that no buffer live at tile t owns. */
    static final class Poisoner implements ExecutionObserver {
        final MemoryPlan plan;
        final SplittableRandom rnd = new SplittableRandom(42);
        int poisonedTiles;
        long poisonedShorts;

        Poisoner(MemoryPlan plan) {
            this.plan = plan;
        }

        @Override
        public void beforeTile(int t, short[] arena) {
            boolean[] live = new boolean[arena.length];
            for (MemoryPlan.Buffer b : plan.buffers()) {
                if (b.liveAt(t)) {
                    Arrays.fill(live, (int) (b.offset() / 2), (int) (b.end() / 2), true);
                }
            }
            for (int i = 0; i < arena.length; i++) {
                if (!live[i]) {
                    arena[i] = (short) rnd.nextInt();
                    poisonedShorts++;
                }
            }
            poisonedTiles++;
        }
    }

    @Test
    void poisoningDeadBytesBetweenTilesChangesNothing() {
        for (Mode mode : List.of(Mode.EXACT, Mode.FAST)) {
            short[][] clean;
            try (PlannedModel m = new PlannedModel(model, mode, WeightLoading.SYNC, PlanOptions.defaults(), null)) {
                clean = embedAll(m);
            }
            MemoryPlan plan = MemoryPlanner.plan(model.graph(), PlanOptions.defaults());
            for (WeightLoading loading : WeightLoading.values()) {
                Poisoner poison = new Poisoner(plan);
                try (PlannedModel m = new PlannedModel(model, mode, loading, PlanOptions.defaults(), poison)) {
                    assertArrayEquals(clean, embedAll(m), mode + " " + loading);
                }
                assertEquals(faces.size() * plan.tileCount(), poison.poisonedTiles);
                assertTrue(poison.poisonedShorts > 0);
            }
        }
    }

    @Test
    void poisoningALiveBufferIsNoticed() {
        // The check above can fail: poison the bytes of one live activation and the output changes.
        MemoryPlan plan = MemoryPlanner.plan(model.graph(), PlanOptions.defaults());
        MemoryPlan.Buffer victim = plan.placements().values().stream()
                .filter(p -> !p.streamed() && p.tensor().name().equals("features.8")).findFirst().orElseThrow().buffer();
        ExecutionObserver wrong = new ExecutionObserver() {
            @Override
            public void beforeTile(int t, short[] arena) {
                if (t == victim.last()) {
                    Arrays.fill(arena, (int) (victim.offset() / 2), (int) (victim.end() / 2), (short) 12345);
                }
            }
        };
        short[][] clean;
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults(), null)) {
            clean = embedAll(m);
        }
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults(), wrong)) {
            assertFalse(Arrays.deepEquals(clean, embedAll(m)));
        }
    }

    @Test
    void syncAndAsyncWeightsGiveIdenticalOutputs() {
        for (Mode mode : List.of(Mode.EXACT, Mode.FAST)) {
            for (int tile : new int[] {2048, PlanOptions.DEFAULT_TILE, 32 * 1024}) {
                PlanOptions o = new PlanOptions(PlanOptions.L2, tile, true);
                short[][] sync;
                short[][] async;
                try (PlannedModel m = new PlannedModel(model, mode, WeightLoading.SYNC, o, null)) {
                    sync = embedAll(m);
                }
                try (PlannedModel m = new PlannedModel(model, mode, WeightLoading.ASYNC, o, null)) {
                    async = embedAll(m);
                    assertArrayEquals(sync, embedAll(m), "second pass " + mode);
                }
                assertArrayEquals(sync, async, mode + " tile " + tile);
            }
        }
    }

    @Test
    void anInferenceThatFailsHalfwayLeavesTheNextOneCorrect() {
        short[][] clean;
        try (PlannedModel m = new PlannedModel(model, Mode.FAST, WeightLoading.ASYNC, PlanOptions.defaults(), null)) {
            clean = embedAll(m);
        }
        boolean[] armed = {true};
        ExecutionObserver failOnce = new ExecutionObserver() {
            @Override
            public void beforeTile(int t, short[] arena) {
                if (armed[0] && t == 50) {
                    armed[0] = false;
                    throw new IllegalStateException("injected failure");
                }
            }
        };
        try (PlannedModel m = new PlannedModel(model, Mode.FAST, WeightLoading.ASYNC, PlanOptions.defaults(), failOnce)) {
            assertThrows(IllegalStateException.class, () -> m.embedRaw(faces.getFirst(), new short[512]));
            assertArrayEquals(clean, embedAll(m));
        }
    }

    @Test
    void runsWithExactlyThePeakAndRefusesOneByteLess() {
        long peak = MemoryPlanner.planUnchecked(model.graph(), PlanOptions.defaults()).peak();
        short[][] ref;
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.ASYNC, PlanOptions.defaults(), null)) {
            ref = embedAll(m);
        }
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.ASYNC, PlanOptions.defaults().withBudget(peak), null)) {
            assertEquals(peak, 2L * m.arena().length, "the arena is exactly the budget");
            assertArrayEquals(ref, embedAll(m));
        }
        var e = assertThrows(ArenaOverflowException.class, () -> new PlannedModel(model, Mode.EXACT, WeightLoading.ASYNC,
                PlanOptions.defaults().withBudget(peak - 1), null));
        assertTrue(e.getMessage().startsWith("region 'L2' overflowed by 1 bytes"), e.getMessage());
    }

    @Test
    void fastModeStaysCloseToExactAndFloat() {
        try (PlannedModel exact = new PlannedModel(model, Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults(), null);
             PlannedModel fast = new PlannedModel(model, Mode.FAST, WeightLoading.SYNC, PlanOptions.defaults(), null);
             CompiledModel flt = CompiledModel.open(model, Mode.FLOAT, WeightLoading.SYNC, PlanOptions.defaults())) {
            float[] a = new float[512];
            float[] b = new float[512];
            float[] c = new float[512];
            for (short[] face : faces) {
                float[] px = new float[face.length];
                for (int i = 0; i < px.length; i++) {
                    px[i] = face[i];
                }
                exact.embed(px, a);
                fast.embed(px, b);
                flt.embed(px, c);
                assertTrue(TestImages.cosine(a, b) >= 0.99, "fast vs exact " + TestImages.cosine(a, b));
                assertTrue(TestImages.cosine(c, b) >= 0.99, "fast vs float " + TestImages.cosine(c, b));
                assertFalse(Arrays.equals(a, b), "fast rounds differently from exact");
            }
        }
    }

    @Test
    void steadyStateAllocatesNothing() throws Exception {
        float[][] varied = new float[faces.size()][128 * 128];
        for (int f = 0; f < faces.size(); f++) {
            for (int i = 0; i < varied[f].length; i++) {
                varied[f][i] = faces.get(f)[i];
            }
        }
        float[] out = new float[512];
        record Case(Mode mode, WeightLoading loading) {}
        for (Case k : List.of(new Case(Mode.EXACT, WeightLoading.SYNC), new Case(Mode.FAST, WeightLoading.ASYNC),
                new Case(Mode.FLOAT, WeightLoading.SYNC))) {
            try (CompiledModel m = CompiledModel.open(model, k.mode(), k.loading(), PlanOptions.defaults())) {
                // A per-inference allocation would make every inference allocate. While C2 compiles and
                // deoptimises, the JVM itself allocates a few strings at uncommon traps, so we look for the
                // steady state: 30 inferences in a row, on varied faces, that allocate 0 bytes on this thread
                // and on the prefetch thread.
                AllocationStreak.require(k.toString(), 30, 400, i -> m.embed(varied[i % varied.length], out));
            }
        }
    }

    @Test
    void embedPixelsEqualsEmbedRawAndAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults(), null)) {
            short[][] expected = embedAll(m);
            byte[][] pixels = new byte[faces.size()][];
            for (int f = 0; f < faces.size(); f++) {
                pixels[f] = new byte[faces.get(f).length];
                for (int i = 0; i < pixels[f].length; i++) {
                    pixels[f][i] = (byte) faces.get(f)[i];
                }
            }
            short[] out = new short[512];
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                for (int f = 0; f < faces.size(); f++) {
                    long b0 = mx.getCurrentThreadAllocatedBytes();
                    m.embedPixels(pixels[f], out);
                    least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - b0);
                    assertArrayEquals(expected[f], out, "face " + f);
                }
            }
            assertEquals(0, least, "an inference from pixels allocates nothing");
            assertThrows(IllegalArgumentException.class, () -> m.embedPixels(new byte[100], new short[512]));
        }
    }

    @Test
    void openingAModelFileSizesTheArenaAtThePlansPeak() {
        long peak = MemoryPlanner.plan(model.graph(), PlanOptions.defaults()).peak();
        try (CompiledModel m = CompiledModel.open(FaceReidFixture.modelFile(), Mode.EXACT)) {
            assertEquals(peak, m.plan().peak());
            assertEquals(peak, m.plan().options().budgetBytes());
            assertEquals(peak, 2L * ((PlannedModel) m).arena().length, "the arena holds exactly the plan");
        }
    }

    @Test
    void aModelFileTruncatedAfterOpeningFailsClearly(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("m.tinyreid");
        Files.copy(FaceReidFixture.modelFile(), f);
        ModelFile mf = ModelFile.open(f);
        try (PlannedModel m = new PlannedModel(mf, Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults(), null)) {
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            var e = assertThrows(java.io.UncheckedIOException.class, () -> m.embedRaw(faces.getFirst(), new short[512]));
            assertTrue(e.getMessage().contains("ended early"), e.getMessage());
        }
    }
}
