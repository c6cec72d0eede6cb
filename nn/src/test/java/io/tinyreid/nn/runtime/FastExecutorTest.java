package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.TestImages;

/** Fast mode against its naive definition (one rounding per dot product), layer by layer. */
class FastExecutorTest {
    static final int FACES = 8;
    static ModelFile model;
    static List<short[]> faces = new ArrayList<>();

    @BeforeAll
    static void load() {
        model = ModelFile.open(FaceReidFixture.modelFile());
        for (Path p : TestImages.lfwFaces(FACES)) {
            faces.add(FaceReidFixture.raw(TestImages.grayResized(p, 128)));
        }
    }

    @Test
    void everyLayerIsWithinOneUnitOfOneRoundingPerDotProduct() {
        // Without row streaming every tensor exists whole after its step. Each layer is recomputed
        // naively from the input the fast runtime itself produced, so differences cannot compound.
        MemoryPlan[] plan = new MemoryPlan[1];
        long[] values = {0};
        long[] offByOne = {0};
        int[] compared = {0};
        ExecutionObserver check = new ExecutionObserver() {
            @Override
            public void afterStep(MemoryPlan.Step step, short[] arena) {
                for (FusedOp op : step.ops()) {
                    short[] in = read(arena, plan[0], op.input(), 0, op.input().shape().channels());
                    short[] want;
                    short[] got;
                    if (op instanceof FusedOp.ConvPool c) {
                        want = NaiveFast.convPool(c.conv(), c.pool(), in);
                        got = read(arena, plan[0], op.storage(), c.channelOffset(), c.conv().outChannels());
                    } else {
                        want = NaiveExact.average(((FusedOp.Average) op).avg(), in);
                        got = read(arena, plan[0], op.storage(), 0, op.storage().shape().channels());
                    }
                    for (int i = 0; i < want.length; i++) {
                        int d = Math.abs(want[i] - got[i]);
                        if (d > 1) {
                            fail("layer " + op.label() + " value " + i + ": " + got[i] + ", one rounding gives " + want[i]);
                        }
                        offByOne[0] += d;
                    }
                    values[0] += want.length;
                    compared[0]++;
                }
            }
        };
        try (PlannedModel m = new PlannedModel(model, Mode.FAST, WeightLoading.SYNC,
                PlanOptions.defaults().withRowStreaming(false), check)) {
            plan[0] = m.plan();
            short[] d = new short[512];
            for (short[] face : faces) {
                m.embedRaw(face, d);
            }
        }
        // 26 convs (pools fused into them) and the average, per face
        assertEquals(FACES * 27, compared[0]);
        double rate = (double) offByOne[0] / values[0];
        assertTrue(rate < 1e-3, "float sums land one unit off the exact rounding for " + offByOne[0] + " of "
                + values[0] + " values");
    }

    private static short[] read(short[] arena, MemoryPlan plan, io.tinyreid.nn.ir.Tensor t, int firstChannel, int channels) {
        Shape s = t.shape();
        int base = (int) (plan.placements().get(t).buffer().offset() / 2) + firstChannel * s.plane();
        return Arrays.copyOfRange(arena, base, base + channels * s.plane());
    }
}
