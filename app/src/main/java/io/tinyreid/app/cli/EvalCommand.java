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
import io.tinyreid.app.eval.CentredFace;
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
        subcommands = {EvalCommand.Lfw.class})
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

        @Option(names = "--align", defaultValue = "landmarks",
                description = "dlib-resnet crop: landmarks | eyes | box (default ${DEFAULT-VALUE})")
        String align;

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
            LfwEvaluation.Config cfg = new LfwEvaluation.Config(images, lp, m, ps, Alignment.parse(align), t, calibration,
                    CentredFace::new);
            System.err.printf(Locale.ROOT, "LFW: %d folds, %d pairs, %d images; model %s, precisions %s, %d threads%n",
                    lp.folds(), lp.pairs().size(), lp.images().size(), m.id(), ps, t);
            LfwEvaluation.Result r = new LfwEvaluation(cache != null ? new ModelCache(cache) : ModelCache.standard(), System.err)
                    .run(cfg);
            System.out.print(report(r));
            Path png = roc != null ? roc : Path.of("roc-" + m.id() + ".png");
            Map<String, List<VerificationProtocol.RocPoint>> curves = new LinkedHashMap<>();
            for (LfwEvaluation.PrecisionResult pr : r.results()) {
                curves.put(String.format(Locale.ROOT, "%s %s (acc %.4f)", m.id(), pr.precision(), pr.protocol().meanAccuracy()),
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
        sb.append(String.format(Locale.ROOT, "model %s, alignment %s: %d images, %d without a detected face (centred crop used)%s, %.0f s%n",
                r.model().id(), r.model() == LfwEvaluation.Model.DLIB_RESNET ? r.alignment() : "none (square crop)",
                r.images(), r.undetected(),
                r.alignmentFallbacks() > 0 ? ", " + r.alignmentFallbacks() + " without alignment cue (box chip used)" : "",
                r.seconds()));
        sb.append(String.format(Locale.ROOT, "%-9s %-18s %-16s %-14s %s%n", "precision", "accuracy", "TAR@FAR=1e-3", "threshold", "per fold"));
        for (LfwEvaluation.PrecisionResult pr : r.results()) {
            VerificationProtocol.Result p = pr.protocol();
            StringBuilder folds = new StringBuilder();
            for (VerificationProtocol.Fold f : p.folds()) {
                folds.append(String.format(Locale.ROOT, "%.4f ", f.accuracy()));
            }
            sb.append(String.format(Locale.ROOT, "%-9s %.4f +- %.4f   %-16s %-14s %s%n", pr.precision(), p.meanAccuracy(), p.stdAccuracy(),
                    String.format(Locale.ROOT, "%.4f", p.tarAtFar()), fmt(p.threshold()), folds.toString().trim()));
        }
        return sb.toString();
    }

    private static String fmt(double t) {
        return Math.abs(t) >= 1e4 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.4f", t);
    }
}
