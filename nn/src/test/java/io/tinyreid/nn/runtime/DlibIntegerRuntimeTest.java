package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tinyreid.nn.faceapi.FaceApiGolden;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.ArenaOverflowException;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.IntegerReference;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.SharedData;

/**
 * Issue 4's planned dlib ResNet on real faces (face-api's golden crops): int16 and int8 model files
 * made by our quantiser run in the integer runtime within 384 KiB and 256 KiB (weight buffers
 * included), equal {@link IntegerReference} after every step, survive poisoning, run with exactly
 * the peak and allocate nothing per inference.
 */
class DlibIntegerRuntimeTest {
    static final long INT16_LIMIT = 384 * 1024;
    static final long INT8_LIMIT = 256 * 1024;
    static final PlanOptions INTEGER = PlanOptions.defaults().withKernels(PlanOptions.Kernels.INTEGER);
    static final Map<Quantiser.Precision, ModelFile> models = new EnumMap<>(Quantiser.Precision.class);
    static final List<float[]> faces = new ArrayList<>();
    static Path dir;

    @BeforeAll
    static void quantise() throws IOException {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model.bin");
        Graph g = FaceApiImporter.recognition(ModelCache.standard().faceRecognitionManifest());
        List<FaceApiGolden.Case> cases = FaceApiGolden.load();
        List<float[]> calibration = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            FaceApiGolden.Case c = cases.get(i);
            float[] in = FaceApiInput.prepare(c.rgb(), c.width(), c.height(), FaceApiImporter.RECOGNITION_SIZE);
            // calibrate on half of the crops, run on the other half
            (i % 2 == 0 ? calibration : faces).add(in);
        }
        dir = Files.createTempDirectory("tinyreid-dlib-");
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            Graph q = Quantiser.quantise(g, calibration, Quantiser.Options.of(p)).quantised();
            Path f = dir.resolve("dlib-resnet-" + p + ".tinyreid");
            ModelFile.write(q, f);
            models.put(p, ModelFile.open(f));
        }
    }

    @AfterAll
    static void clean() throws IOException {
        if (dir != null) {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    static int[] raw(ModelFile m, float[] in) {
        int[] r = new int[in.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.graph().input().q().toRaw(in[i]);
        }
        return r;
    }

    @Test
    void peaksIncludingWeightBuffersAreWithinTheIssueLimits() {
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            MemoryPlan plan = MemoryPlanner.planUnchecked(models.get(p).graph(), INTEGER);
            long limit = p == Quantiser.Precision.INT16 ? INT16_LIMIT : INT8_LIMIT;
            System.out.printf("dlib-resnet %s: peak %,d bytes (%.1f KiB), %d steps, %d weight tiles%n", p, plan.peak(),
                    plan.peak() / 1024.0, plan.steps().size(), plan.tileCount());
            if (Boolean.getBoolean("tinyreid.printPlans")) {
                System.out.println(plan.describe());
            }
            assertTrue(plan.peak() <= limit, p + " peak " + plan.peak() + " > " + limit);
            assertTrue(plan.buffers().stream().anyMatch(b -> b.kind() == MemoryPlan.Kind.WEIGHTS));
            long residuals = plan.steps().stream()
                    .filter(s -> s.ops().getFirst() instanceof FusedOp.ConvPool c && c.residual() != null).count();
            assertEquals(14, residuals, "every residual add (10 blocks, 4 down-sampling blocks) is fused into its conv and written in place");
            assertTrue(plan.steps().stream().anyMatch(s -> s.ops().getFirst() instanceof FusedOp.ConvPool c && c.pool() != null),
                    "the stem's max pool is fused");
        }
    }

    @Test
    void equalsTheIntegerReferenceAfterEveryStepOnRealFaces() {
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            ModelFile m = models.get(p);
            MemoryPlan plan = MemoryPlanner.plan(m.graph(), INTEGER);
            LayerByLayer check = new LayerByLayer(plan);
            IntegerReference ref = new IntegerReference(m.graph());
            int n = 0;
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER, check)) {
                for (float[] face : faces.subList(0, 4)) {
                    float[] want = ref.run(face);
                    check.expect(ref);
                    float[] got = new float[128];
                    net.embed(face, got);
                    assertArrayEquals(want, got, p.toString());
                    n++;
                }
            }
            assertEquals(n * plan.steps().size(), check.compared);
        }
    }

    @Test
    void runsWithExactlyThePeakAndRefusesOneByteLess() {
        // whole tensors only (no L3 to spill to): one byte less cannot be planned
        PlanOptions INTEGER = DlibIntegerRuntimeTest.INTEGER.withL3(0);
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            ModelFile m = models.get(p);
            long peak = MemoryPlanner.planUnchecked(m.graph(), INTEGER).peak();
            float[] face = faces.getFirst();
            float[] want = new IntegerReference(m.graph()).run(face);
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER.withBudget(peak), null)) {
                assertEquals(peak, net.arena().length);
                float[] got = new float[128];
                net.embed(face, got);
                assertArrayEquals(want, got);
            }
            var e = assertThrows(ArenaOverflowException.class,
                    () -> new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER.withBudget(peak - 1), null));
            assertTrue(e.getMessage().startsWith("region 'L2' overflowed by 1 bytes"), e.getMessage());
        }
    }

    /**
     * Within 128 KiB (half the whole-tensor int16 peak) the planner keeps some activations in L3:
     * every step still equals the reference on a real face, the descriptors equal the whole-tensor
     * plan's, poisoning dead L2 and L3 bytes changes nothing, and the lowest plan runs in exactly
     * its peak and refuses one byte less.
     */
    @Test
    void withActivationsSpilledToL3Within128KiBNothingChanges() {
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            ModelFile m = models.get(p);
            MemoryPlan plan = MemoryPlanner.plan(m.graph(), INTEGER.withBudget(128 * 1024));
            MemoryPlan lowest = MemoryPlanner.planUnchecked(m.graph(), INTEGER.withBudget(1));
            System.out.printf("dlib-resnet %s within 128 KiB: peak %,d B, %d tensors in L3 (%,d B), L3 traffic %,d B per inference;"
                    + " lowest %,d B (traffic %,d B)%n", p, plan.peak(), plan.spill().l3().size(), plan.spill().l3Bytes(),
                    plan.spill().trafficBytes(), lowest.peak(), lowest.spill().trafficBytes());
            assertTrue(plan.spill().any() && plan.peak() <= 128 * 1024, p.toString());
            int[][] want = new int[3][128];
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, INTEGER.withL3(0), null)) {
                for (int i = 0; i < want.length; i++) {
                    net.embedRaw(raw(m, faces.get(i)), want[i]);
                }
            }
            IntegerReference ref = new IntegerReference(m.graph());
            ref.run(faces.getFirst());
            for (MemoryPlan q : List.of(plan, lowest)) {
                LayerByLayer check = new LayerByLayer(q);
                try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER.withBudget(q.peak()), check)) {
                    for (int i = 0; i < want.length; i++) {
                        check.expect(i == 0 ? ref : null);
                        int[] got = new int[128];
                        net.embedRaw(raw(m, faces.get(i)), got);
                        assertArrayEquals(want[i], got, p + " peak " + q.peak());
                        assertEquals(q.spill().trafficBytes(), net.lastL3ReadBytes() + net.lastL3WrittenBytes());
                    }
                }
                assertEquals(q.steps().size(), check.compared);
                PlannedIntegerModelTest.Poisoner poison = new PlannedIntegerModelTest.Poisoner(q);
                int[] poisoned = new int[128];
                try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER.withBudget(q.peak()), poison)) {
                    net.embedRaw(raw(m, faces.get(1)), poisoned);
                }
                assertArrayEquals(want[1], poisoned, p + " poisoned, peak " + q.peak());
            }
            var e = assertThrows(ArenaOverflowException.class,
                    () -> new PlannedIntegerModel(m, WeightLoading.SYNC, INTEGER.withBudget(lowest.peak() - 1), null));
            assertTrue(e.getMessage().startsWith("region 'L2' overflowed by 1 bytes"), e.getMessage());
        }
    }

    @Test
    void poisoningDeadBytesBetweenTilesChangesNothing() {
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
            ModelFile m = models.get(p);
            MemoryPlan plan = MemoryPlanner.plan(m.graph(), INTEGER);
            int[] clean = new int[128];
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.SYNC, INTEGER, null)) {
                net.embedRaw(raw(m, faces.get(1)), clean);
            }
            PlannedIntegerModelTest.Poisoner poison = new PlannedIntegerModelTest.Poisoner(plan);
            int[] poisoned = new int[128];
            try (PlannedIntegerModel net = new PlannedIntegerModel(m, WeightLoading.ASYNC, INTEGER, poison)) {
                net.embedRaw(raw(m, faces.get(1)), poisoned);
            }
            assertArrayEquals(clean, poisoned, p.toString());
            assertEquals(plan.tileCount(), poison.tiles);
        }
    }

    @Test
    void steadyStateAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] out = new float[128];
        // whole tensors, and within 128 KiB with activations staged through L3
        for (Quantiser.Precision p : Quantiser.Precision.values()) {
          for (PlanOptions o : List.of(PlanOptions.defaults(), CompiledModel.exactly(models.get(p), INTEGER.withBudget(128 * 1024)))) {
            try (CompiledModel net = CompiledModel.open(models.get(p), Mode.INTEGER, WeightLoading.ASYNC, o)) {
                // as PlannedRuntimeTest: 20 allocation-free inferences in a row on this thread and the prefetch thread
                int clean = 0;
                int runs = 0;
                long lastDirty = 0;
                while (clean < 20) {
                    long[] loaders = Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.isAlive() && t.getName().equals("tinyreid-weights")).mapToLong(Thread::threadId).toArray();
                    long l0 = sum(mx.getThreadAllocatedBytes(loaders));
                    long b0 = mx.getCurrentThreadAllocatedBytes();
                    net.embed(faces.get(runs % faces.size()), out);
                    long bytes = mx.getCurrentThreadAllocatedBytes() - b0 + sum(mx.getThreadAllocatedBytes(loaders)) - l0;
                    if (bytes == 0) {
                        clean++;
                    } else {
                        clean = 0;
                        lastDirty = bytes;
                    }
                    assertTrue(++runs < 200, p + " " + o.budgetBytes() + ": no 20 allocation-free inferences in a row in " + runs
                            + " (the last dirty one allocated " + lastDirty + " bytes)");
                }
            }
          }
        }
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += Math.max(0, x);
        }
        return s;
    }
}
