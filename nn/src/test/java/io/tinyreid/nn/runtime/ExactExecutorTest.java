package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.WrapGolden;

/**
 * The optimised (vectorised) exact executor against the device, at the 32-bit wrap: the 24 wrap goldens
 * (12 of which only the wrapping arithmetic reproduces) and the GAP8 build's Francesco/Lena, bit for
 * bit; and layer by layer against the naive reference on the wrapping faces.
 */
class ExactExecutorTest {
    static ModelFile model;
    static List<WrapGolden.Face> wrapping;
    static List<Map<String, short[]>> truth = new ArrayList<>();

    @BeforeAll
    static void load() {
        model = ModelFile.open(FaceReidFixture.modelFile());
        wrapping = WrapGolden.faces().stream().filter(WrapGolden.Face::wraps).toList();
        for (WrapGolden.Face f : wrapping) {
            truth.add(NaiveExact.run(model.graph(), f.input()));
        }
    }

    @Test
    void reproducesTheDevicesDescriptorsBitForBit() {
        List<WrapGolden.Face> golden = WrapGolden.withDevice();
        for (WeightLoading loading : WeightLoading.values()) {
            try (PlannedModel m = new PlannedModel(model, Mode.EXACT, loading, PlanOptions.defaults(), null)) {
                short[] d = new short[512];
                for (WrapGolden.Face f : golden) {
                    m.embedRaw(f.input(), d);
                    assertArrayEquals(f.descriptor(), d, f.name() + " " + loading);
                }
            }
        }
    }

    @Test
    void equalsTheNaiveReferenceOnEveryLayer() {
        // Without row streaming every tensor the runtime keeps exists whole after its step; compare them all.
        Graph g = model.graph();
        int[] face = {0};
        int[] compared = {0};
        ExecutionObserver check = new ExecutionObserver() {
            @Override
            public void afterStep(MemoryPlan.Step step, short[] arena) {
                for (FusedOp op : step.ops()) {
                    MemoryPlan.Placement p = plan[0].placements().get(op.storage());
                    Shape s = op.storage().shape();
                    int first = op instanceof FusedOp.ConvPool c ? c.channelOffset() : 0;
                    int count = op instanceof FusedOp.ConvPool c ? c.conv().outChannels() : s.channels();
                    int base = (int) (p.buffer().offset() / 2) + first * s.plane();
                    short[] got = Arrays.copyOfRange(arena, base, base + count * s.plane());
                    short[] all = truth.get(face[0]).get(op.storage().name());
                    short[] want = Arrays.copyOfRange(all, first * s.plane(), (first + count) * s.plane());
                    assertArrayEquals(want, got, "face " + face[0] + " layer " + op.label());
                    compared[0]++;
                }
            }
        };
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.SYNC,
                PlanOptions.defaults().withRowStreaming(false), check)) {
            plan[0] = m.plan();
            short[] d = new short[512];
            for (face[0] = 0; face[0] < wrapping.size(); face[0]++) {
                m.embedRaw(wrapping.get(face[0]).input(), d);
                assertArrayEquals(truth.get(face[0]).get("descriptor"), d);
            }
        }
        // 26 convs (pools fused into them) and the average, per face
        assertEquals(wrapping.size() * 27, compared[0]);
        assertTrue(g.layers().size() > 27);
    }

    private static final MemoryPlan[] plan = new MemoryPlan[1];

    @Test
    void rowStreamedPlanGivesTheSameDescriptors() {
        try (PlannedModel m = new PlannedModel(model, Mode.EXACT, WeightLoading.ASYNC, PlanOptions.defaults(), null)) {
            assertTrue(m.plan().placements().values().stream().anyMatch(MemoryPlan.Placement::streamed),
                    "the default plan streams some rows");
            short[] d = new short[512];
            for (WrapGolden.Face f : WrapGolden.faces()) {
                m.embedRaw(f.input(), d);
                assertArrayEquals(f.descriptor(), d, f.name());
            }
        }
    }
}
