package io.tinyreid.bench;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

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
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;

/**
 * FaceReID descriptor latency, one thread: our exact / fast / float executors (weights streamed
 * from the model file, async, warm page cache), ONNX Runtime float32 on the exported network as the
 * peer, and sync vs async weight streaming with the model file evicted from the page cache before
 * every inference ({@link PageCache}); dlib-resnet in float, ours against ONNX Runtime.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar EngineBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
public class EngineBenchmark {

    /** Our executors, async weights, warm cache. */
    @State(Scope.Thread)
    public static class Ours {
        @Param({"exact", "fast", "float"})
        String mode;
        CompiledModel net;
        float[] input;
        float[] out;

        @Setup(Level.Trial)
        public void setUp() {
            net = CompiledModel.open(ModelFile.open(FaceReidBench.modelFile()),
                    io.tinyreid.nn.runtime.Mode.parse(mode), WeightLoading.ASYNC, PlanOptions.defaults());
            input = FaceReidBench.face();
            out = new float[net.descriptorLength()];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            net.close();
        }
    }

    /** Sync vs async weights with the model file read cold (evicted before each inference). */
    @State(Scope.Thread)
    public static class Streaming {
        @Param({"exact", "fast"})
        String mode;
        @Param({"sync", "async"})
        String weights;
        @Param({"cold", "warm"})
        String cache;
        Path file;
        CompiledModel net;
        float[] input;
        float[] out;

        @Setup(Level.Trial)
        public void setUp() {
            file = FaceReidBench.modelFile();
            net = CompiledModel.open(ModelFile.open(file), io.tinyreid.nn.runtime.Mode.parse(mode),
                    WeightLoading.parse(weights), PlanOptions.defaults());
            input = FaceReidBench.face();
            out = new float[net.descriptorLength()];
        }

        @Setup(Level.Invocation)
        public void evict() {
            if (cache.equals("cold")) {
                PageCache.evict(file);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            net.close();
        }
    }

    /** The peer: ONNX Runtime, float32, one intra-op thread, all graph optimisations. */
    @State(Scope.Thread)
    public static class Peer {
        OrtEnvironment env;
        OrtSession session;
        OnnxTensor input;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path onnx = Files.createTempFile("facereid", ".onnx");
            onnx.toFile().deleteOnExit();
            OnnxExport.write(FaceReidBench.graph(), onnx);
            env = OrtEnvironment.getEnvironment();
            session = env.createSession(onnx.toString(), options());
            input = OnnxTensor.createTensor(env, FloatBuffer.wrap(FaceReidBench.face()), new long[] {1, 1, 128, 128});
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            input.close();
            session.close();
        }

        /** One intra-op thread, sequential, all graph optimisations. */
        static OrtSession.SessionOptions options() throws OrtException {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return o;
        }
    }

    /**
     * dlib-resnet (face-api's FaceRecognitionNet, 150x150 RGB, float): our float executor against
     * ONNX Runtime on the exported network, same input (the centre 150x150 of an LFW photo).
     */
    @State(Scope.Thread)
    public static class DlibResnet {
        FloatExecutor ours;
        float[] input;
        float[] out;
        OrtEnvironment env;
        OrtSession session;
        OnnxTensor tensor;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ModelCache cache = ModelCache.standard();
            cache.requireVerified(ModelCache.ModelSet.FACE_API);
            Graph g = FaceApiImporter.recognition(cache.faceRecognitionManifest());
            ours = new FloatExecutor(g);
            input = FaceReidBench.lfwCentre(FaceApiImporter.RECOGNITION_SIZE);
            out = new float[g.output().shape().size()];
            Path onnx = Files.createTempFile("dlib-resnet", ".onnx");
            onnx.toFile().deleteOnExit();
            OnnxExport.write(g, onnx);
            env = OrtEnvironment.getEnvironment();
            session = env.createSession(onnx.toString(), Peer.options());
            int n = FaceApiImporter.RECOGNITION_SIZE;
            tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, n, n});
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            tensor.close();
            session.close();
        }
    }

    /**
     * The integer runtime (int16, our quantiser calibrated on the input itself) with every tensor
     * whole in L2 against the same network planned within 128 KiB, activations kept in L3 and staged
     * through L2 windows of rows ({@code io.tinyreid.nn.plan.ActivationSpill}): the cost of the copies
     * and the band loop. Landmark net: the centre 112x112 of the LFW photo; dlib-resnet: 150x150.
     */
    @State(Scope.Thread)
    public static class IntegerSpill {
        @Param({"landmarks", "dlib-resnet"})
        String net;
        @Param({"whole", "128KiB"})
        String budget;
        CompiledModel model;
        float[] input;
        float[] out;
        Path file;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ModelCache cache = ModelCache.standard();
            cache.requireVerified(ModelCache.ModelSet.FACE_API);
            boolean landmarks = net.equals("landmarks");
            Graph g = landmarks ? FaceApiImporter.landmarks68(cache.landmarkManifest())
                    : FaceApiImporter.recognition(cache.faceRecognitionManifest());
            input = FaceReidBench.lfwCentre(landmarks ? FaceApiImporter.LANDMARK_SIZE : FaceApiImporter.RECOGNITION_SIZE);
            Graph q = io.tinyreid.nn.quant.Quantiser.quantise(g, java.util.List.of(input),
                    io.tinyreid.nn.quant.Quantiser.Options.of(io.tinyreid.nn.quant.Quantiser.Precision.INT16)).quantised();
            file = Files.createTempFile("tinyreid-spill-bench", ".tinyreid");
            ModelFile.write(q, file);
            ModelFile m = ModelFile.open(file);
            PlanOptions integer = PlanOptions.defaults().withKernels(PlanOptions.Kernels.INTEGER);
            PlanOptions o = budget.equals("whole") ? integer.withL3(0).withBudget(2L * 1024 * 1024)
                    : integer.withBudget(PlanOptions.parseSize(budget));
            model = CompiledModel.open(m, io.tinyreid.nn.runtime.Mode.INTEGER, WeightLoading.ASYNC, CompiledModel.exactly(m, o));
            out = new float[model.descriptorLength()];
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            model.close();
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public float[] integerSpill(IntegerSpill s) {
        s.model.embed(s.input, s.out);
        return s.out;
    }

    @Benchmark
    public float[] dlibResnetOurs(DlibResnet s) {
        s.ours.run(s.input, s.out);
        return s.out;
    }

    @Benchmark
    public float dlibResnetOnnxRuntime(DlibResnet s) throws OrtException {
        try (OrtSession.Result r = s.session.run(Map.of("input", s.tensor))) {
            return ((float[][]) r.get(0).getValue())[0][0];
        }
    }

    @Benchmark
    public float[] ours(Ours s) {
        s.net.embed(s.input, s.out);
        return s.out;
    }

    @Benchmark
    public float[] streaming(Streaming s) {
        s.net.embed(s.input, s.out);
        return s.out;
    }

    @Benchmark
    public float onnxRuntime(Peer p) throws OrtException {
        try (OrtSession.Result r = p.session.run(Map.of("input", p.input))) {
            return ((float[][]) r.get(0).getValue())[0][0];
        }
    }
}
