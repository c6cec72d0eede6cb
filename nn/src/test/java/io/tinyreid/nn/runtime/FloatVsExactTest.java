package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.TestImages;

/** Float (dequantised weights) vs the device-exact int16 descriptors on LFW dev faces. */
class FloatVsExactTest {
    static final int FACES = 100;

    @Test
    void cosineAtLeast099OnEveryFaceTried() {
        ModelFile model = ModelFile.open(FaceReidFixture.modelFile());
        List<Path> faces = TestImages.lfwFaces(FACES);
        double worst = 1;
        try (CompiledModel exact = CompiledModel.open(model, Mode.EXACT, WeightLoading.ASYNC, PlanOptions.defaults());
             CompiledModel flt = CompiledModel.open(model, Mode.FLOAT, WeightLoading.ASYNC, PlanOptions.defaults())) {
            float[] a = new float[512];
            float[] b = new float[512];
            for (Path p : faces) {
                float[] in = TestImages.grayResized(p, 128);
                exact.embed(in, a);
                flt.embed(in, b);
                double cos = TestImages.cosine(a, b);
                worst = Math.min(worst, cos);
                assertTrue(cos >= 0.99, p.getFileName() + ": cosine float vs exact " + cos);
            }
        }
        assertTrue(faces.size() == FACES, "tried " + faces.size() + " faces");
        System.out.printf("float vs exact over %d LFW dev faces: worst cosine %.5f%n", FACES, worst);
    }
}
