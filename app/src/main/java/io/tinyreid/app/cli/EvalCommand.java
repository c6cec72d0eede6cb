package io.tinyreid.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tinyreid.app.eval.Alignment;
import io.tinyreid.app.eval.LfwEvaluation;
import io.tinyreid.app.eval.LfwPairs;
import io.tinyreid.app.eval.Precision;
import io.tinyreid.app.eval.RocPlot;
import io.tinyreid.app.eval.VerificationProtocol;
import io.tinyreid.nn.models.ModelCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyreid eval lfw}: the standard LFW verification protocol for our models. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate recognition accuracy.",
        subcommands = {EvalCommand.Lfw.class, EvalOpenSetCommand.class})
public final class EvalCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** LFW pairs, folds, threshold chosen on the other folds. */
    @Command(name = "lfw", mixinStandardHelpOptions = true,
            description = "LFW verification: accuracy (mean +- std over folds, threshold chosen on the other folds), "
                    + "TAR at FAR 1e-3, ROC curve PNG.")
    static final class Lfw implements Callable<Integer> {
        @Option(names = "--images", required = true, description = "LFW images folder (NAME/NAME_0001.jpg)")
        Path images;

        @Option(names = "--pairs", required = true, description = "pairs file (standard LFW format)")
        Path pairs;

        @Option(names = "--model", defaultValue = "dlib-resnet", description = "facereid | dlib-resnet (default ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--precision", defaultValue = "float", split = ",",
                description = "comma-separated: float, int16, int8 (default ${DEFAULT-VALUE})")
        List<String> precision;

        @Option(names = "--align", defaultValue = "landmarks", split = ",",
                description = "dlib-resnet crop, comma-separated to compare: landmarks | eyes | box (default ${DEFAULT-VALUE})")
        List<String> align;

        @Option(names = "--mode", defaultValue = "fast",
                description = "fixed-point arithmetic: exact (the GAP8 device's, FaceReID only) | fast (default ${DEFAULT-VALUE})")
        String mode;

        @Option(names = "--roc", description = "write the ROC curves to this PNG (default roc-MODEL.png)")
        Path roc;

        @Option(names = "--threads", description = "worker threads (default: available processors)")
        Integer threads;

        @Option(names = "--calibration", defaultValue = "32", description = "images used to calibrate int16/int8 (default ${DEFAULT-VALUE})")
        int calibration;

        @Option(names = "--cache", description = "model cache (default: $TINYREID_CACHE or ~/.cache/tinyreid)")
        Path cache;

        @Override
        public Integer call() throws Exception {
            try {
                return evaluate();
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
        }

        private Integer evaluate() throws Exception {
            LfwEvaluation.Model m = LfwEvaluation.Model.parse(model);
            List<Precision> ps = new ArrayList<>();
            for (String s : precision) {
                Precision p = Precision.parse(s);
                if (!ps.contains(p)) {
                    ps.add(p);
                }
            }
            if (!Files.isDirectory(images)) {
                System.err.println("error: images folder not found: " + images);
                return 2;
            }
            LfwPairs lp = LfwPairs.read(pairs);
            int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            List<Alignment> as = new ArrayList<>();
            for (String a : align) {
                Alignment x = Alignment.parse(a);
                if (!as.contains(x)) {
                    as.add(x);
                }
            }
            LfwEvaluation.Config cfg = new LfwEvaluation.Config(images, lp, m, ps, as,
                    io.tinyreid.nn.runtime.Mode.parse(mode), t, calibration, LfwEvaluation.defaultLocators());
            System.err.printf(Locale.ROOT, "LFW: %d folds, %d pairs, %d images; model %s, precisions %s, %s mode, %d threads%n",
                    lp.folds(), lp.pairs().size(), lp.images().size(), m.id(), ps, mode, t);
            LfwEvaluation.Result r = new LfwEvaluation(cache != null ? new ModelCache(cache) : ModelCache.standard(), System.err)
                    .run(cfg);
            System.out.print(report(r));
            Path png = roc != null ? roc : Path.of("roc-" + m.id() + ".png");
            Map<String, List<VerificationProtocol.RocPoint>> curves = new LinkedHashMap<>();
            for (LfwEvaluation.PrecisionResult pr : r.results()) {
                curves.put(String.format(Locale.ROOT, "%s %s%s (acc %.4f)", m.id(), pr.precision(),
                        m == LfwEvaluation.Model.DLIB_RESNET ? " " + pr.alignment() : "", pr.protocol().meanAccuracy()),
                        pr.protocol().roc());
            }
            RocPlot.write(png, "LFW ROC, " + lp.folds() + " folds, " + m.id(), curves);
            System.out.println("ROC curve: " + png.toAbsolutePath());
            return 0;
        }
    }

    /** The printed table. */
    static String report(LfwEvaluation.Result r) {
        StringBuilder sb = new StringBuilder();
        boolean dlib = r.model() == LfwEvaluation.Model.DLIB_RESNET;
        sb.append(String.format(Locale.ROOT, "model %s: %d images, %d without a detected face (centred crop used), %.0f s%n",
                r.model().id(), r.images(), r.undetected(), r.seconds()));
        sb.append(String.format(Locale.ROOT, "%-10s %-9s %-18s %-13s %-14s %-14s %-7s %s%n", "alignment", "precision", "accuracy",
                "TAR@FAR=1e-3", "threshold", "thr@FAR=1e-3", "no cue", "per fold"));
        for (LfwEvaluation.PrecisionResult pr : r.results()) {
            VerificationProtocol.Result p = pr.protocol();
            StringBuilder folds = new StringBuilder();
            for (VerificationProtocol.Fold f : p.folds()) {
                folds.append(String.format(Locale.ROOT, "%.4f ", f.accuracy()));
            }
            sb.append(String.format(Locale.ROOT, "%-10s %-9s %.4f +- %.4f   %-13s %-14s %-14s %-7s %s%n",
                    dlib ? pr.alignment().toString() : "square", pr.precision(), p.meanAccuracy(), p.stdAccuracy(),
                    String.format(Locale.ROOT, "%.4f", p.tarAtFar()), fmt(p.threshold()), fmt(p.thresholdAtFar()),
                    dlib ? Integer.toString(pr.fallbacks()) : "-", folds.toString().trim()));
        }
        return sb.toString();
    }

    private static String fmt(double t) {
        return Math.abs(t) >= 1e4 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.4f", t);
    }
}
