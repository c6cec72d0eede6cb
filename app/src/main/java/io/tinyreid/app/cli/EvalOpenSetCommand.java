package io.tinyreid.app.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import io.tinyreid.app.eval.openset.DetPlot;
import io.tinyreid.app.eval.openset.FaceQualities;
import io.tinyreid.app.eval.openset.VisitEvaluation;
import io.tinyreid.app.quality.QualityGate;
import io.tinyreid.app.eval.openset.FaceSet;
import io.tinyreid.app.eval.openset.FaceSetReader;
import io.tinyreid.app.eval.openset.Folds;
import io.tinyreid.app.eval.openset.ImpostorQuantiles;
import io.tinyreid.app.eval.openset.OpenSetEvaluation;
import io.tinyreid.app.eval.openset.OpenSetProtocol;
import io.tinyreid.app.face.EmbeddingView;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceEngines;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceModels;
import io.tinyreid.app.gallery.OpenSetCalibration;
import io.tinyreid.app.gallery.OpenSetCalibrations;
import io.tinyreid.app.gallery.StrangerCohort;
import io.tinyreid.app.gallery.StrangerRate;
import io.tinyreid.app.gallery.TemplateRule;
import io.tinyreid.nn.models.ModelCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyreid eval openset}: open-set identification of simulated households. */
@Command(name = "openset", mixinStandardHelpOptions = true,
        description = "Open-set identification: enrol households drawn from an LFW-style folder, probe with their other "
                + "photos and with strangers; rank-1, DIR and strangers named (mean +- std over draws), DET curve PNG.")
final class EvalOpenSetCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, description = "folder of PERSON/*.jpg")
    Path images;

    @Option(names = "--model", defaultValue = "facereid", description = "facereid | dlib-resnet (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--gallery", defaultValue = "20", description = "people enrolled per draw (default ${DEFAULT-VALUE})")
    int gallery;

    @Option(names = "--enrol", defaultValue = "2", description = "photos enrolled per person (default ${DEFAULT-VALUE})")
    int enrol;

    @Option(names = "--strangers", defaultValue = "300", description = "strangers per draw, one photo each (default ${DEFAULT-VALUE})")
    int strangers;

    @Option(names = "--draws", defaultValue = "10", description = "random households (default ${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the draws (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--strangers-named", defaultValue = "balanced",
            description = "the target: strict | balanced | lenient | 1/N (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--margin", defaultValue = "0", description = "also try the margin rule with this distance margin")
    double margin;

    @Option(names = "--det", description = "DET curve PNG (default det-MODEL.png)")
    Path det;

    @Option(names = "--descriptors", description = "keep descriptors in this file between runs")
    Path descriptors;

    @Option(names = "--write-calibration", description = "write this run's calibration of --template to this properties file")
    Path writeCalibration;

    @Option(names = "--template", defaultValue = "mean", description = "template rule written by --write-calibration: mean | nearest")
    String template;

    @Option(names = "--product-only", description = "only the product's rule (describes only the images the draws use)")
    boolean productOnly;

    @Option(names = "--view", description = "how faces are embedded: plain | flip | cropS | cropS+flip (default: the product's)")
    String view;

    @Option(names = "--also-describe", split = ",", description = "further views written to --descriptors in the same pass")
    List<String> alsoDescribe = List.of();

    @Option(names = "--folds", defaultValue = "0,1,2", description = "people (name order, index mod 3) split as COHORT,CALIBRATION,"
            + "EVALUATION fold: draws from the evaluation fold only, calibration and cohort from the others; 'all': no split "
            + "(default ${DEFAULT-VALUE}, the shipped calibration's split)")
    String folds;

    @Option(names = "--plain", description = "--write-calibration of plain distances (no stranger cohort)")
    boolean plain;

    @Option(names = "--write-cohort", description = "write the cohort fold's stranger cohort (the product's resource) to this file")
    Path writeCohort;

    @Option(names = "--quality", description = "face quality of every image (size, sharpness, asymmetry), kept in this file "
            + "between runs; with --gate / --visit-frames: the quality-gate and visit table")
    Path quality;

    @Option(names = "--gate", split = ";", description = "quality gates compared (each MIN_SIDE,MIN_SHARPNESS,MAX_ASYMMETRY or off; "
            + "';'-separated), applied to enrolment photos and probes")
    List<String> gates = List.of();

    @Option(names = "--visit-frames", split = ",", description = "frames per simulated visit (several photos of one person), "
            + "e.g. 1,3: per-frame vote vs mean vs quality-weighted mean")
    List<Integer> visitFrames = List.of();

    @Option(names = "--cache", description = "model cache (default: $TINYREID_CACHE or ~/.cache/tinyreid)")
    Path cache;

    @Override
    public Integer call() throws Exception {
        try {
            return evaluate();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    // the qualities of the images of sub (a fold of set, files in the same order)
    private static FaceQualities qualityOf(FaceSet set, FaceSet sub, FaceQualities q) {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < set.size(); i++) {
            index.put(set.files().get(i), i);
        }
        int n = sub.size();
        int[] side = new int[n];
        double[] sharp = new double[n];
        double[] asym = new double[n];
        for (int i = 0; i < n; i++) {
            int j = index.get(sub.files().get(i));
            side[i] = q.side()[j];
            sharp[i] = q.sharpness()[j];
            asym[i] = q.asymmetry()[j];
        }
        return new FaceQualities(side, sharp, asym);
    }

    private Integer evaluate() throws Exception {
        FaceModel m = FaceModels.byId(model.trim().toLowerCase(Locale.ROOT).equals("dlib") ? "dlib-resnet" : model.trim().toLowerCase(Locale.ROOT));
        StrangerRate rate = StrangerRate.parse(target);
        TemplateRule written = TemplateRule.parse(template);
        OpenSetProtocol.Config config = new OpenSetProtocol.Config(gallery, enrol, strangers, draws, seed, written, margin);
        Folds split = folds.trim().equalsIgnoreCase("all") ? null : Folds.parse(folds);
        if (split == null && (writeCohort != null || writeCalibration != null && !plain)) {
            throw new IllegalArgumentException("a stranger cohort needs its own fold: drop --folds all, or write a --plain calibration");
        }
        if (quality == null && (!gates.isEmpty() || !visitFrames.isEmpty())) {
            throw new IllegalArgumentException("--gate and --visit-frames need the images' quality: give --quality FILE");
        }
        List<Path> files = FaceSetReader.images(images);
        FaceEngine engine = new FaceEngines(cache != null ? new ModelCache(cache) : ModelCache.standard()).open(m);
        System.err.printf(Locale.ROOT, "open set: %d images under %s; model %s%n", files.size(), images, m.id());
        FaceSetReader reader = new FaceSetReader(engine, System.err);
        FaceSet set = reader.index(images, files);
        OpenSetCalibration shipped = OpenSetCalibrations.builtIn().find(m.id()).orElse(null);
        if (shipped == null && productOnly) {
            throw new IllegalArgumentException("no shipped open-set calibration for " + m.id() + "; drop --product-only");
        }
        boolean calibrateHere = !productOnly || writeCalibration != null;
        List<EmbeddingView> views = new java.util.ArrayList<>();
        views.add(view != null ? EmbeddingView.parse(view) : engine.embedder().view());
        for (String v : alsoDescribe) {
            views.add(EmbeddingView.parse(v));
        }
        if (views.size() > 1 && descriptors == null) {
            throw new IllegalArgumentException("--also-describe writes to the --descriptors file: give one");
        }
        System.err.println("embedding view: " + views.getFirst().id());
        if (calibrateHere || split == null) {
            reader.describe(set, images, calibrateHere ? null : OpenSetProtocol.imagesUsed(set, config), descriptors, views);
        } else { // the shipped rule only: the evaluation fold's drawn images
            FaceSet evaluated = set.fold(split.evaluation(), Folds.COUNT);
            reader.describe(evaluated, images, OpenSetProtocol.imagesUsed(evaluated, config), descriptors, views);
            set = evaluated;
            split = null; // already the evaluation fold
        }
        System.err.println(split == null ? "folds: none (every rule on the same people)" : "folds: " + split.describe());
        if (shipped == null) {
            System.err.println("no shipped open-set calibration for " + m.id() + ": only the rules calibrated here are shown");
        }
        List<OpenSetEvaluation.Row> rows = OpenSetEvaluation.compare(set, config, shipped, rate, calibrateHere, split);
        System.out.print(OpenSetEvaluation.report(set, rows, rate));
        Map<String, DetPlot.Curve> curves = new LinkedHashMap<>();
        for (OpenSetEvaluation.Row r : rows) {
            curves.put(r.label(), new DetPlot.Curve(r.result().det(), OpenSetEvaluation.mean(r.result(), OpenSetProtocol.Draw::named),
                    1 - OpenSetEvaluation.mean(r.result(), OpenSetProtocol.Draw::dir)));
        }
        Path png = det != null ? det : Path.of("det-" + m.id() + ".png");
        DetPlot.write(png, String.format(Locale.ROOT, "open set, %s, %d people x %d photos, %d draws", m.id(), gallery, enrol, draws),
                curves);
        System.out.println("DET curve: " + png.toAbsolutePath());
        StrangerCohort cohort = split == null || plain ? null : split.cohortOf(set);
        if (writeCohort != null) {
            try (var out = Files.newOutputStream(writeCohort)) {
                split.cohortOf(set).write(out);
            }
            System.out.printf(Locale.ROOT, "stranger cohort of %s (%d faces of fold %d) written to %s%n", m.id(),
                    split.cohortOf(set).size(), split.cohort(), writeCohort.toAbsolutePath());
        }
        if (quality != null) {
            FaceSet evaluated = split == null ? set : set.fold(split.evaluation(), Folds.COUNT);
            FaceQualities q = FaceQualities.measure(set, images, engine.finder(), quality, System.err);
            System.out.print(VisitEvaluation.qualitySummary(evaluated, q));
            if (!gates.isEmpty() || !visitFrames.isEmpty()) {
                if (shipped == null) {
                    throw new IllegalArgumentException("the gate and visit table needs a shipped calibration of " + m.id());
                }
                if (productOnly) {
                    throw new IllegalArgumentException("the gate and visit table needs every image described: drop --product-only");
                }
                List<QualityGate> gs = gates.isEmpty() ? List.of(QualityGate.OFF) : gates.stream().map(QualityGate::parse).toList();
                List<Integer> vs = visitFrames.isEmpty() ? List.of(1) : visitFrames;
                FaceSet calibrationSet = split == null ? null : set.fold(split.calibration(), Folds.COUNT);
                System.out.print(VisitEvaluation.report(evaluated, qualityOf(set, evaluated, q), calibrationSet,
                        calibrationSet == null ? null : qualityOf(set, calibrationSet, q), config, shipped, rate, gs, vs));
            }
        }
        if (writeCalibration != null) {
            FaceSet calibrationSet = split == null ? set : set.fold(split.calibration(), Folds.COUNT);
            OpenSetCalibration cal = ImpostorQuantiles.measure(calibrationSet, written, enrol, cohort);
            Properties p = new Properties();
            if (Files.isRegularFile(writeCalibration)) {
                try (var r = Files.newBufferedReader(writeCalibration, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            cal.store(p, OpenSetCalibrations.key(m.id(), enrol));
            try (Writer w = Files.newBufferedWriter(writeCalibration, StandardCharsets.UTF_8)) {
                p.store(w, "open-set calibration (tinyreid eval openset --write-calibration)");
            }
            System.out.printf(Locale.ROOT, "calibration of %s (%s templates, %d stranger-template pairs%s) written to %s%n",
                    m.id(), written.id(), cal.pairs(), cohort == null ? "" : ", cohort of " + cohort.size(),
                    writeCalibration.toAbsolutePath());
        }
        return 0;
    }
}
