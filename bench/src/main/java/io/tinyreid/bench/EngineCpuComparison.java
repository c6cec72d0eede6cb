package io.tinyreid.bench;

import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tinyreid.bench.onnx.OnnxExport;
import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;

/**
 * The same comparison as {@link EngineBenchmark}, timed by thread CPU time with ours and ONNX
 * Runtime (one intra-op thread, which runs on the calling thread) interleaved round by round, so
 * that other processes on a shared machine cannot favour either side. Our weights are read
 * synchronously, so the reads are on the measured thread too. Prints median milliseconds per
 * descriptor and the ratio: FaceReID in every mode, dlib-resnet on the float executor and on the
 * integer runtime at int16 and int8, each against ONNX Runtime float32.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.tinyreid.bench.EngineCpuComparison [rounds] [row]}
 * (with {@code row}, only the rows whose name contains it, e.g. {@code integer})
 */
public final class EngineCpuComparison {
    private static final int PER_ROUND = 10;
    /** Only rows whose name contains this are measured (empty: all). */
    private static String only = "";

    private EngineCpuComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        only = args.length > 1 ? args[1] : "";
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.printf(Locale.ROOT, "| network, ours | ours ms (thread CPU) | ONNX Runtime ms | ratio (ours / ORT) |%n|---|---|---|---|%n");
        float[] face = FaceReidBench.face();
        for (Mode mode : Mode.values()) {
            try (CompiledModel net = CompiledModel.open(ModelFile.open(FaceReidBench.modelFile()), mode, WeightLoading.SYNC,
                    PlanOptions.defaults());
                 Peer peer = new Peer(env, FaceReidBench.graph(), face, new long[] {1, 1, 128, 128})) {
                float[] out = new float[net.descriptorLength()];
                compare("FaceReID, " + mode.name().toLowerCase(Locale.ROOT), rounds, () -> net.embed(face, out), peer);
            }
        }
        ModelCache cache = ModelCache.standard();
        cache.requireVerified(ModelCache.ModelSet.FACE_API);
        Graph g = FaceApiImporter.recognition(cache.faceRecognitionManifest());
        FloatExecutor ours = new FloatExecutor(g);
        int n = FaceApiImporter.RECOGNITION_SIZE;
        float[] input = FaceReidBench.lfwCentre(n);
        float[] out = new float[g.output().shape().size()];
        try (Peer peer = new Peer(env, g, input, new long[] {1, 3, n, n})) {
            compare("dlib-resnet, float", Math.max(6, rounds / 5), () -> ours.run(input, out), peer);
            for (Quantiser.Precision p : Quantiser.Precision.values()) {
                try (CompiledModel net = integer(g, input, p)) {
                    float[] d = new float[net.descriptorLength()];
                    compare("dlib-resnet, " + p.name().toLowerCase(Locale.ROOT) + " (integer)", Math.max(6, rounds / 5),
                            () -> net.embed(input, d), peer);
                }
            }
        }
    }

    /**
     * dlib-resnet on the integer runtime (default plan options, as the FaceReID rows), quantised by
     * our quantiser calibrated on the input itself (as {@code EngineBenchmark}'s integer rows: speed
     * does not depend on the calibration set).
     */
    private static CompiledModel integer(Graph g, float[] input, Quantiser.Precision p) throws Exception {
        Graph q = Quantiser.quantise(g, List.of(input), Quantiser.Options.of(p)).quantised();
        Path file = Files.createTempFile("tinyreid-dlib-" + p.name().toLowerCase(Locale.ROOT), ".tinyreid");
        file.toFile().deleteOnExit(); // weight tiles are read from it on every call
        ModelFile.write(q, file);
        return CompiledModel.open(ModelFile.open(file), Mode.INTEGER, WeightLoading.SYNC, PlanOptions.defaults());
    }

    private static void compare(String name, int rounds, Runnable ours, Peer peer) throws OrtException {
        if (!name.contains(only)) {
            return;
        }
        var threads = ManagementFactory.getThreadMXBean();
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = -rounds / 3; r < rounds; r++) { // the first third warms up both
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                ours.run();
            }
            long t1 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                peer.run();
            }
            long t2 = threads.getCurrentThreadCpuTime();
            if (r >= 0) {
                a[r] = (t1 - t0) / 1e6 / PER_ROUND;
                b[r] = (t2 - t1) / 1e6 / PER_ROUND;
            }
        }
        Arrays.sort(a);
        Arrays.sort(b);
        double ma = a[rounds / 2];
        double mb = b[rounds / 2];
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, ma, mb, ma / mb);
    }

    /** ONNX Runtime on the exported graph, one intra-op thread, sequential, all optimisations. */
    static final class Peer implements AutoCloseable {
        private final OrtSession session;
        private final OnnxTensor input;

        Peer(OrtEnvironment env, Graph g, float[] in, long[] shape) throws Exception {
            Path onnx = Files.createTempFile(g.name(), ".onnx");
            try {
                OnnxExport.write(g, onnx);
                session = env.createSession(onnx.toString(), EngineBenchmark.Peer.options());
            } finally {
                Files.delete(onnx);
            }
            input = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape);
        }

        float run() throws OrtException {
            try (OrtSession.Result r = session.run(Map.of("input", input))) {
                return ((float[][]) r.get(0).getValue())[0][0];
            }
        }

        @Override
        public void close() throws OrtException {
            input.close();
            session.close();
        }
    }
}
