package io.tinyreid.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end doorbell frames, ours against the peer, timed by thread CPU time with the two
 * interleaved round by round (robust to the other processes on a shared machine), plus wall time.
 * Prints frames per second, per-frame latency percentiles and the ratio of mean CPU time per
 * configuration, after checking that both sides compute the same thing (boxes found, descriptor
 * cosine between our float path and ONNX Runtime).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -Dtinyreid.shared=../shared -cp bench/target/benchmarks.jar
 * io.tinyreid.bench.pipeline.PipelineComparison [rounds] [config...]}
 *
 * <p>Our CPU time includes the weight prefetch thread's; ONNX Runtime (1 intra-op thread) and
 * OpenCV ({@code setNumThreads(1)}) run on the calling thread.
 */
public final class PipelineComparison {
    private PipelineComparison() {}

    /** Per-frame timings of one side. */
    record Samples(double[] cpuMs, double[] wallMs) {
        double meanCpu() {
            return Arrays.stream(cpuMs).average().orElse(Double.NaN);
        }

        double meanWall() {
            return Arrays.stream(wallMs).average().orElse(Double.NaN);
        }

        static double pct(double[] v, double p) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<String> configs = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : PipelineSetup.CONFIGS;
        QvgaScenes scenes = QvgaScenes.load();
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<String> rows = new ArrayList<>();
        List<String> wallRows = new ArrayList<>();
        for (String config : configs) {
            try (FramePipeline ours = PipelineSetup.ours(config, scenes); FramePipeline peer = PipelineSetup.peer(config, scenes)) {
                String agreement = agreement(ours, peer, scenes.size());
                long[] helpers = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive() && t.getName().equals("tinyreid-weights")).mapToLong(Thread::threadId).toArray();
                int n = scenes.size();
                double[] oc = new double[rounds * n], ow = new double[rounds * n], pc = new double[rounds * n], pw = new double[rounds * n];
                for (int r = -Math.max(3, rounds / 3); r < rounds; r++) { // the first rounds warm both up
                    for (int i = 0; i < n; i++) {
                        long c0 = cpu(mx, helpers);
                        long w0 = System.nanoTime();
                        ours.process(i);
                        long w1 = System.nanoTime();
                        long c1 = cpu(mx, helpers);
                        if (r >= 0) {
                            oc[r * n + i] = (c1 - c0) / 1e6;
                            ow[r * n + i] = (w1 - w0) / 1e6;
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        peer.process(i);
                        long w1 = System.nanoTime();
                        long c1 = mx.getCurrentThreadCpuTime();
                        if (r >= 0) {
                            pc[r * n + i] = (c1 - c0) / 1e6;
                            pw[r * n + i] = (w1 - w0) / 1e6;
                        }
                    }
                }
                Samples o = new Samples(oc, ow);
                Samples p = new Samples(pc, pw);
                rows.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f / %.1f / %.1f | %.1f | %.1f / %.1f / %.1f | **%.2f** | %s |",
                        config, 1000 / o.meanCpu(), Samples.pct(oc, 50), Samples.pct(oc, 90), Samples.pct(oc, 99),
                        1000 / p.meanCpu(), Samples.pct(pc, 50), Samples.pct(pc, 90), Samples.pct(pc, 99),
                        o.meanCpu() / p.meanCpu(), agreement));
                wallRows.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f / %.1f | %.1f | %.1f / %.1f | %.2f |",
                        config, 1000 / o.meanWall(), Samples.pct(ow, 50), Samples.pct(ow, 99),
                        1000 / p.meanWall(), Samples.pct(pw, 50), Samples.pct(pw, 99), o.meanWall() / p.meanWall()));
                System.err.println("done: " + config);
            }
        }
        System.out.printf(Locale.ROOT, "QVGA frames: %d, rounds: %d (after warm-up), 1 thread; thread CPU time per frame%n%n", scenes.size(), rounds);
        System.out.println("| configuration | ours frames/s | ours p50 / p90 / p99 ms | peer frames/s | peer p50 / p90 / p99 ms | ours / peer (mean CPU time) | agreement |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nwall time per frame (includes waiting for the CPU on a shared machine)%n%n");
        System.out.println("| configuration | ours frames/s | ours p50 / p99 ms | peer frames/s | peer p50 / p99 ms | ours / peer (mean wall time) |");
        System.out.println("|---|---|---|---|---|---|");
        wallRows.forEach(System.out::println);
    }

    private static long cpu(com.sun.management.ThreadMXBean mx, long[] helpers) {
        long t = mx.getCurrentThreadCpuTime();
        for (long id : helpers) {
            t += Math.max(0, mx.getThreadCpuTime(id));
        }
        return t;
    }

    /** Both sides on every frame: same number of faces, and for descriptors the cosine of ours and the peer's. */
    static String agreement(FramePipeline ours, FramePipeline peer, int frames) {
        double minCos = 1;
        int same = 0;
        for (int i = 0; i < frames; i++) {
            long a = ours.process(i);
            long b = peer.process(i);
            float[] da = ours.lastDescriptor();
            float[] db = peer.lastDescriptor();
            if (da == null || db == null) {
                same += a == b ? 1 : 0;
                continue;
            }
            double ab = 0, aa = 0, bb = 0;
            for (int k = 0; k < da.length; k++) {
                ab += (double) da[k] * db[k];
                aa += (double) da[k] * da[k];
                bb += (double) db[k] * db[k];
            }
            minCos = Math.min(minCos, ab / Math.sqrt(aa * bb));
        }
        return ours.lastDescriptor() == null ? same + "/" + frames + " frames same face count"
                : String.format(Locale.ROOT, "descriptor cosine >= %.4f", minCos);
    }
}
