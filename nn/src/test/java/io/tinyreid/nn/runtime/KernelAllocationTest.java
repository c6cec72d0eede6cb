package io.tinyreid.nn.runtime;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.AllocationStreak;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.TestImages;

/**
 * FaceReID's runtimes reach an allocation-free steady state on this JVM's vector width: the build
 * also runs this class in JVMs limited to AVX2 and to SSE ({@code -XX:UseAVX=2}, {@code =0}), where
 * a 512-bit kernel would run in the Vector API's allocating Java fallback.
 */
class KernelAllocationTest {

    @Test
    void faceReidRuntimesAllocateNothingPerInference() throws Exception {
        ModelFile model = ModelFile.open(FaceReidFixture.modelFile());
        List<float[]> faces = new ArrayList<>();
        for (var p : TestImages.lfwFaces(4)) {
            short[] r = FaceReidFixture.raw(TestImages.grayResized(p, 128));
            float[] raw = new float[r.length];
            for (int i = 0; i < r.length; i++) {
                raw[i] = r[i];
            }
            faces.add(raw);
        }
        float[] out = new float[512];
        for (Mode mode : List.of(Mode.EXACT, Mode.FAST, Mode.FLOAT)) {
            try (CompiledModel m = CompiledModel.open(model, mode, WeightLoading.SYNC, PlanOptions.defaults())) {
                AllocationStreak.require("facereid " + mode, 30, 400, i -> m.embed(faces.get(i % faces.size()), out));
            }
        }
    }
}
