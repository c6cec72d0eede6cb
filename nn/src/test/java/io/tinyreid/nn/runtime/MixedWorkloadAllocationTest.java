package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.faceapi.FaceApiGolden;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.AllocationStreak;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;

/**
 * Every Vector API kernel in one JVM, on purpose (nn/pom.xml gives this class a JVM of its own, so the
 * mix is this test's, not the order other classes happened to run in): once C2
 * has compiled kernels on two shapes of one element type it stops intrinsifying some of them, and
 * then every inference allocates boxed vectors (on IntConvKernel's old IntVector.SPECIES_256, dlib
 * int16 allocated ~2 GB per inference here). FaceReID's exact, fast and float runtimes, then the
 * quantiser on dlib-resnet and dlib-resnet's int16 integer runtime, then
 * FaceReID again, as a doorbell that quantises or switches models does: each reaches an
 * allocation-free steady state.
 */
class MixedWorkloadAllocationTest {

    @Test
    void everyKernelStaysAllocationFreeWhenAllRunInOneJvm(@TempDir Path dir) throws Exception {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model.bin");
        ModelFile facereid = ModelFile.open(FaceReidFixture.modelFile());
        List<float[]> faces = new ArrayList<>();
        for (Path p : TestImages.lfwFaces(4)) {
            float[] px = TestImages.grayResized(p, 128);
            float[] raw = new float[px.length];
            short[] r = FaceReidFixture.raw(px);
            for (int i = 0; i < r.length; i++) {
                raw[i] = r[i];
            }
            faces.add(raw);
        }
        facereidSteadyState(facereid, faces, "before the dlib workloads");

        Graph g = FaceApiImporter.recognition(ModelCache.standard().faceRecognitionManifest());
        List<float[]> crops = new ArrayList<>();
        for (FaceApiGolden.Case c : FaceApiGolden.load().subList(0, 4)) {
            crops.add(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), FaceApiImporter.RECOGNITION_SIZE));
        }
        Graph q = Quantiser.quantise(g, crops.subList(0, 2), Quantiser.Options.of(Quantiser.Precision.INT16)).quantised();
        Path f = dir.resolve("dlib-resnet-int16.tinyreid");
        ModelFile.write(q, f);
        ModelFile dlib = ModelFile.open(f);

        float[] out = new float[128];
        try (CompiledModel net = CompiledModel.open(dlib, Mode.INTEGER, WeightLoading.SYNC, PlanOptions.defaults())) {
            steadyState("dlib-resnet int16", 20, 300, i -> net.embed(crops.get(i % crops.size()), out));
        }

        facereidSteadyState(facereid, faces, "after the dlib workloads");
    }

    static void facereidSteadyState(ModelFile model, List<float[]> faces, String when) throws Exception {
        float[] out = new float[512];
        for (Mode mode : List.of(Mode.EXACT, Mode.FAST, Mode.FLOAT)) {
            try (CompiledModel m = CompiledModel.open(model, mode, WeightLoading.SYNC, PlanOptions.defaults())) {
                steadyState("facereid " + mode + " " + when, 30, 400, i -> m.embed(faces.get(i % faces.size()), out));
            }
        }
    }

    interface Run {
        void run(int i) throws Exception;
    }

    /** {@code clean} allocation-free calls in a row within {@code max} (C2 allocates a little while it compiles). */
    static void steadyState(String what, int clean, int max, Run r) throws Exception {
        AllocationStreak.require(what, clean, max, r::run);
    }
}
