package io.tinyreid.nn.scratch;

import java.nio.file.*;
import java.util.*;
import org.junit.jupiter.api.Test;
import io.tinyreid.nn.faceapi.*;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.*;
import io.tinyreid.nn.runtime.*;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.nn.exec.FloatExecutor;

class ScratchTimingTest {
    @Test
    void time() throws Exception {
        Graph g = FaceApiImporter.recognition(ModelCache.standard().faceRecognitionManifest());
        List<FaceApiGolden.Case> cases = FaceApiGolden.load();
        List<float[]> in = new ArrayList<>();
        for (var c : cases) in.add(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), 150));
        FloatExecutor fe = new FloatExecutor(g);
        float[] out = new float[128];
        for (var p : Quantiser.Precision.values()) {
            Graph q = Quantiser.quantise(g, in.subList(0, 8), Quantiser.Options.of(p)).quantised();
            Path f = Files.createTempFile("dl", ".tinyreid");
            ModelFile.write(q, f);
            FixedPointExecutor fx = new FixedPointExecutor(q);
            for (int tile : new int[] {16384, 65536, 262144})
            try (CompiledModel m = CompiledModel.open(ModelFile.open(f), Mode.INTEGER, WeightLoading.SYNC, new PlanOptions(4 << 20, tile, false))) {
                System.out.println("tile " + tile + " peak " + m.plan().peak());
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (float[] x : in) m.embed(x, out);
                    long t1 = System.nanoTime();
                    for (float[] x : in) fx.run(x, out);
                    long t2 = System.nanoTime();
                    for (float[] x : in) fe.run(x, out);
                    long t3 = System.nanoTime();
                    System.out.printf("%s planned %.1f ms, fixedpoint %.1f ms, float %.1f ms%n", p, (t1 - t0) / 1e6 / in.size(),
                            (t2 - t1) / 1e6 / in.size(), (t3 - t2) / 1e6 / in.size());
                }
            }
        }
    }
}
