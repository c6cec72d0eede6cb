package io.tinyreid.app.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.FixedPointExecutor;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.vision.align.SquareCrop;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.RgbImage;

/**
 * The LFW verification evaluation behind {@code tinyreid eval lfw}: every image the pairs use is
 * decoded, its face located (the centred fallback when none is found, counted), cut out as the
 * model needs and described once per precision (descriptors are cached for the run); pair
 * distances then go through the standard protocol per precision.
 */
public final class LfwEvaluation {
    /** Which network. */
    public enum Model { FACEREID, DLIB_RESNET;

        /** Parses facereid/dlib-resnet. */
        public static Model parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "facereid" -> FACEREID;
                case "dlib-resnet", "dlib" -> DLIB_RESNET;
                default -> throw new IllegalArgumentException("model must be facereid or dlib-resnet, got '" + s + "'");
            };
        }

        /** The model id used by the gallery. */
        public String id() {
            return this == FACEREID ? "facereid" : "dlib-resnet";
        }
    }

    /** What to evaluate; {@code locators} makes one face locator per thread. */
    public record Config(Path images, LfwPairs pairs, Model model, List<Precision> precisions, List<Alignment> alignments,
                         Mode mode, int threads, int calibrationImages, Supplier<FaceLocator> locators) {
        /** One alignment, fast mode. */
        public Config(Path images, LfwPairs pairs, Model model, List<Precision> precisions, Alignment alignment,
                      int threads, int calibrationImages, Supplier<FaceLocator> locators) {
            this(images, pairs, model, precisions, List.of(alignment), Mode.FAST, threads, calibrationImages, locators);
        }
    }

    /** One (alignment, precision)'s outcome; {@code fallbacks} faces lacked the alignment's cue. */
    public record PrecisionResult(Alignment alignment, Precision precision, VerificationProtocol.Result protocol, int fallbacks) {}

    /** The whole outcome. */
    public record Result(Model model, int images, int undetected, double seconds, List<PrecisionResult> results) {}

    private final ModelCache cache;
    private final PrintStream log;

    /** The face locator the evaluation uses by default (one per thread). */
    public static Supplier<FaceLocator> defaultLocators() {
        return CentredFace::new;
    }

    /** An evaluation reading models from {@code cache}, reporting progress on {@code log}. */
    public LfwEvaluation(ModelCache cache, PrintStream log) {
        this.cache = cache;
        this.log = log;
    }

    /** Per-thread state: the face locator, the input preparation, one runner per precision. */
    private final class Worker {
        final FaceLocator locator;
        final Map<Precision, Runner> nets = new EnumMap<>(Precision.class);
        final List<DlibInput> dlib = new ArrayList<>();
        final List<float[]> inputs = new ArrayList<>();
        final SquareCrop square = new SquareCrop();
        final GrayImage crop = new GrayImage(1, 1);
        final GrayImage gray = new GrayImage(1, 1);
        final RgbImage rgb = new RgbImage(1, 1);
        final ImageDecoder decoder = new ImageDecoder();
        int undetected;

        final List<CompiledModel> compiled = new ArrayList<>();

        Worker(Model model, Map<Precision, Graph> graphs, Graph landmarkGraph, List<Alignment> alignments, FaceLocator locator,
               Mode mode, Path modelFile) {
            this.locator = locator;
            for (Map.Entry<Precision, Graph> e : graphs.entrySet()) {
                if (e.getKey() == Precision.FLOAT) {
                    nets.put(e.getKey(), new FloatExecutor(e.getValue())::run);
                } else if (model == Model.FACEREID) {
                    // The engine's planned int16 runtime: the device's arithmetic (exact) or one rounding per dot product (fast).
                    CompiledModel cm = CompiledModel.open(ModelFile.open(modelFile), mode, WeightLoading.SYNC, PlanOptions.defaults());
                    compiled.add(cm);
                    nets.put(e.getKey(), cm::embed);
                } else {
                    nets.put(e.getKey(), new FixedPointExecutor(e.getValue())::run);
                }
            }
            if (model == Model.DLIB_RESNET) {
                Runner lm = new FloatExecutor(landmarkGraph)::run;
                for (Alignment a : alignments) {
                    dlib.add(new DlibInput(a, lm));
                    inputs.add(new float[3 * 150 * 150]);
                }
            } else {
                inputs.add(new float[128 * 128]);
            }
        }

        /** Fills {@code inputs} (one per alignment) for image {@code file}. */
        void prepare(Path file) throws IOException {
            byte[] data = decoder.readFile(file);
            decoder.decodeRgb(data, file.toString(), rgb);
            rgb.toGray(gray);
            FoundFace f = locator.locate(gray);
            if (!f.detected()) {
                undetected++;
            }
            if (!dlib.isEmpty()) {
                for (int a = 0; a < dlib.size(); a++) {
                    dlib.get(a).prepare(rgb, f, inputs.get(a));
                }
            } else {
                square.crop(gray, f.x(), f.y(), f.width(), f.height(), FaceReidImporter.INPUT_SIZE, crop);
                byte[] p = crop.pixels();
                float[] input = inputs.getFirst();
                for (int i = 0; i < input.length; i++) {
                    input[i] = p[i] & 0xff;
                }
            }
        }
    }

    /** Runs the evaluation. */
    public Result run(Config c) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<String> images = c.pairs().images();
        Map<Precision, Graph> graphs = new EnumMap<>(Precision.class);
        Graph landmarkGraph = null;
        Graph floatGraph;
        if (c.model() == Model.DLIB_RESNET) {
            cache.requireVerified(ModelCache.ModelSet.FACE_API);
            floatGraph = FaceApiImporter.recognition(cache.faceRecognitionManifest());
            landmarkGraph = FaceApiImporter.landmarks68(cache.landmarkManifest());
        } else {
            cache.requireVerified(ModelCache.ModelSet.FACEREID);
            floatGraph = FaceReidImporter.load(cache.facereidLayers());
        }
        Graph lg = landmarkGraph;
        Supplier<FaceLocator> locators = c.locators();
        for (Precision p : c.precisions()) {
            if (p == Precision.FLOAT) {
                graphs.put(p, floatGraph);
            } else if (c.model() == Model.FACEREID) {
                if (p != Precision.INT16) {
                    throw new IllegalArgumentException("facereid is an int16 model; precisions: float, int16");
                }
                graphs.put(p, floatGraph);
            }
        }
        if (c.model() == Model.DLIB_RESNET && c.mode() == Mode.EXACT) {
            throw new IllegalArgumentException("exact mode is the GAP8 device's arithmetic of the FaceReID reference; "
                    + "dlib-resnet runs int16/int8 in fast mode");
        }
        Path modelFile = null;
        if (c.model() == Model.FACEREID && c.precisions().contains(Precision.INT16)) {
            modelFile = Files.createTempFile("tinyreid-facereid-", ".model");
            modelFile.toFile().deleteOnExit();
            ModelFile.write(floatGraph, modelFile);
        }
        Path mf = modelFile;
        boolean needsQuant = c.model() == Model.DLIB_RESNET
                && (c.precisions().contains(Precision.INT16) || c.precisions().contains(Precision.INT8));
        if (needsQuant) {
            // Calibration: a spread of the evaluation's own images (ranges only, no labels).
            // Calibrated on the first alignment's chips.
            Worker w = new Worker(c.model(), Map.of(), lg, c.alignments().subList(0, 1), locators.get(), c.mode(), null);
            List<float[]> cal = new ArrayList<>();
            int n = Math.min(c.calibrationImages(), images.size());
            for (int i = 0; i < n; i++) {
                w.prepare(c.images().resolve(images.get((int) ((long) i * images.size() / n))));
                cal.add(w.inputs.getFirst().clone());
            }
            log.printf(Locale.ROOT, "calibrating on %d images%n", n);
            for (Precision p : c.precisions()) {
                if (p != Precision.FLOAT) {
                    Quantiser.Result q = Quantiser.quantise(floatGraph, cal,
                            Quantiser.Options.of(p == Precision.INT16 ? Quantiser.Precision.INT16 : Quantiser.Precision.INT8));
                    graphs.put(p, q.quantised());
                }
            }
        }
        // Descriptors for every image, alignment and precision, computed once.
        List<Alignment> aligns = c.model() == Model.DLIB_RESNET ? c.alignments() : List.of(Alignment.BOX);
        float[][][][] desc = new float[aligns.size()][c.precisions().size()][images.size()][];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int threads = Math.max(1, c.threads());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Worker>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Worker w = new Worker(c.model(), graphs, lg, c.alignments(), locators.get(), c.mode(), mf);
                float[] out = new float[floatGraph.output().shape().size()];
                try (AutoCloseable closeAll = () -> w.compiled.forEach(CompiledModel::close)) {
                for (int i; (i = next.getAndIncrement()) < images.size(); ) {
                    w.prepare(c.images().resolve(images.get(i)));
                    for (int a = 0; a < w.inputs.size(); a++) {
                        for (int p = 0; p < c.precisions().size(); p++) {
                            w.nets.get(c.precisions().get(p)).run(w.inputs.get(a), out);
                            desc[a][p][i] = out.clone();
                        }
                    }
                    done.incrementAndGet();
                }
                }
                return w;
            }));
        }
        pool.shutdown();
        Progress progress = new Progress(log, "describing " + c.model().id() + " " + c.precisions()
                + (c.model() == Model.DLIB_RESNET ? " " + c.alignments() : ""), images.size());
        while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
            progress.show(done.get());
        }
        progress.show(done.get());
        progress.finish();
        int undetected = 0;
        int[] fallbacks = new int[aligns.size()];
        for (Future<Worker> f : futures) {
            try {
                Worker w = f.get();
                undetected += w.undetected;
                for (int a = 0; a < w.dlib.size(); a++) {
                    fallbacks[a] += w.dlib.get(a).fallbacks();
                }
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException(cause);
            }
        }
        // Distances and the protocol.
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            index.put(images.get(i), i);
        }
        List<LfwPairs.Pair> pairs = c.pairs().pairs();
        boolean[] same = new boolean[pairs.size()];
        int[] fold = new int[pairs.size()];
        for (int k = 0; k < pairs.size(); k++) {
            same[k] = pairs.get(k).same();
            fold[k] = pairs.get(k).fold();
        }
        List<PrecisionResult> results = new ArrayList<>();
        for (int a = 0; a < aligns.size(); a++) {
            for (int p = 0; p < c.precisions().size(); p++) {
                float[][] d = desc[a][p];
                double[] dist = new double[pairs.size()];
                for (int k = 0; k < pairs.size(); k++) {
                    dist[k] = distance(c.model(), d[index.get(pairs.get(k).a())], d[index.get(pairs.get(k).b())]);
                }
                results.add(new PrecisionResult(aligns.get(a), c.precisions().get(p),
                        VerificationProtocol.evaluate(dist, same, fold, c.pairs().folds(), 1e-3), fallbacks[a]));
            }
        }
        return new Result(c.model(), images.size(), undetected, (System.nanoTime() - t0) / 1e9, results);
    }

    /**
     * The model's distance: Euclidean for dlib-resnet (as dlib and face-api), squared L2 in the
     * device's Q10 units for FaceReID (as the device's identification).
     */
    static double distance(Model m, float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return m == Model.DLIB_RESNET ? Math.sqrt(s) : s * 1024 * 1024;
    }
}
