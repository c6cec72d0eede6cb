package io.tinyreid.bench.pipeline;

import java.io.IOException;
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

/**
 * End-to-end doorbell frames on QVGA, one thread: detection only, and detection + one descriptor of
 * the largest face, for each model and mode, ours ({@link Ours}) against OpenCV + ONNX Runtime
 * ({@link Peer}) in the same run. One operation = one frame (the five frames in turn); frames per
 * second = 1000 / (ms per op).
 *
 * <p>{@code java -jar bench/target/benchmarks.jar PipelineBenchmark} (frames from {@code ../shared}; a
 * command-line {@code -jvmArgsAppend} replaces the {@code --add-modules jdk.incubator.vector} below,
 * and the Vector API kernels then fail to load: pass it again if you add JVM options)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class PipelineBenchmark {
    @Param({"detect", "facereid-exact", "facereid-fast", "facereid-float", "dlib-resnet-float", "dlib-resnet-int16"})
    public String config;

    private QvgaScenes scenes;
    private FramePipeline ours;
    private FramePipeline peer;
    private int nextOurs;
    private int nextPeer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        scenes = QvgaScenes.load();
        ours = PipelineSetup.ours(config, scenes);
        peer = PipelineSetup.peer(config, scenes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ours.close();
        peer.close();
    }

    @Benchmark
    public long ours() {
        nextOurs = (nextOurs + 1) % scenes.size();
        return ours.process(nextOurs);
    }

    @Benchmark
    public long peer() {
        nextPeer = (nextPeer + 1) % scenes.size();
        return peer.process(nextPeer);
    }
}
