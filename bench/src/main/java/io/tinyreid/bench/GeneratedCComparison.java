package io.tinyreid.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.onnxruntime.OrtEnvironment;
import io.tinyreid.nn.codegen.CodeGenerator;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;

/**
 * FaceReID's generated C on the host ({@code cc -O2}, portable kernels, one thread) against Java exact
 * mode and ONNX Runtime (float, one intra-op thread), by CPU time, interleaved round by round. The C
 * reports each inference's process CPU time itself ({@code clock()} around {@code tr_model_run}, weight
 * reads included); ours and the peer are timed by thread CPU time as in {@link EngineCpuComparison}.
 * Prints median milliseconds per descriptor and the ratios.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.tinyreid.bench.GeneratedCComparison [rounds]}
 */
public final class GeneratedCComparison {
    private static final int PER_ROUND = 10;
    private static final Pattern MS = Pattern.compile("\"ms\":([0-9.]+)");

    private GeneratedCComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path dir = Files.createTempDirectory("tinyreid-codegen");
        Path model = FaceReidBench.modelFile();
        CodeGenerator.generate(ModelFile.open(model), PlanOptions.defaults(), dir);
        check(dir, List.of("make", "-s", "host"));
        float[] face = FaceReidBench.face();
        Files.copy(FaceReidBench.shared().resolve("models/facereid/device_check/Francesco.pgm"), dir.resolve("face.pgm"));
        List<String> cmd = new ArrayList<>(List.of("./model-host"));
        for (int i = 0; i < PER_ROUND; i++) {
            cmd.add("face.pgm");
        }
        var threads = ManagementFactory.getThreadMXBean();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double[] c = new double[rounds];
        double[] j = new double[rounds];
        double[] o = new double[rounds];
        try (CompiledModel net = CompiledModel.open(ModelFile.open(model), Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults());
             EngineCpuComparison.Peer peer = new EngineCpuComparison.Peer(env, FaceReidBench.graph(), face,
                     new long[] {1, 1, 128, 128})) {
            float[] out = new float[net.descriptorLength()];
            for (int r = -rounds / 3; r < rounds; r++) { // the first third warms up
                double cm = median(check(dir, cmd));
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < PER_ROUND; i++) {
                    net.embed(face, out);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < PER_ROUND; i++) {
                    peer.run();
                }
                long t2 = threads.getCurrentThreadCpuTime();
                if (r >= 0) {
                    c[r] = cm;
                    j[r] = (t1 - t0) / 1e6 / PER_ROUND;
                    o[r] = (t2 - t1) / 1e6 / PER_ROUND;
                }
            }
        }
        double mc = median(c);
        double mj = median(j);
        double mo = median(o);
        System.out.printf(Locale.ROOT, "| FaceReID | generated C ms | Java exact ms | ONNX Runtime ms | C / Java exact | C / ORT |%n"
                + "|---|---|---|---|---|---|%n| CPU time, median of %d rounds x %d | %.1f | %.1f | %.1f | %.2f | %.2f |%n",
                rounds, PER_ROUND, mc, mj, mo, mc / mj, mc / mo);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double median(String jsonLines) {
        List<Double> ms = new ArrayList<>();
        Matcher m = MS.matcher(jsonLines);
        while (m.find()) {
            ms.add(Double.parseDouble(m.group(1)));
        }
        return median(ms.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String check(Path dir, List<String> command) throws Exception {
        Path log = Files.createTempFile("codegen", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return out;
    }
}
