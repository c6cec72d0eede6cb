package io.tinyreid.app.eval;

import java.io.IOException;
import java.io.PrintStream;
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
import io.tinyreid.nn.quant.FixedPointExecutor;
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
    public record Config(Path images, LfwPairs pairs, Model model, List<Precision> precisions, Alignment alignment,
                         int threads, int calibrationImages, Supplier<FaceLocator> locators) {}

    /** One precision's outcome. */
    public record PrecisionResult(Precision precision, VerificationProtocol.Result protocol) {}

    /** The whole outcome. */
    public record Result(Model model, Alignment alignment, int images, int undetected, int alignmentFallbacks,
                         double seconds, List<PrecisionResult> results) {}

    private final ModelCache cache;
    private final PrintStream log;

    /** An evaluation reading models from {@code cache}, reporting progress on {@code log}. */
    public LfwEvaluation(ModelCache cache, PrintStream log) {
        this.cache = cache;
        this.log = log;
    }

    /** Per-thread state: the face locator, the input preparation, one runner per precision. */
    private final class Worker {
        final FaceLocator locator;
        final Map<Precision, Runner> nets = new EnumMap<>(Precision.class);
        final DlibInput dlib;
        final SquareCrop square = new SquareCrop();
        final GrayImage crop = new GrayImage(1, 1);
        final GrayImage gray = new GrayImage(1, 1);
        final RgbImage rgb = new RgbImage(1, 1);
        final ImageDecoder decoder = new ImageDecoder();
        final float[] input;
        int undetected;

        Worker(Model model, Map<Precision, Graph> graphs, Graph landmarkGraph, Alignment alignment, FaceLocator locator) {
            this.locator = locator;
            for (Map.Entry<Precision, Graph> e : graphs.entrySet()) {
                nets.put(e.getKey(), e.getKey() == Precision.FLOAT ? new FloatExecutor(e.getValue())::run
                        : new FixedPointExecutor(e.getValue())::run);
            }
            dlib = model == Model.DLIB_RESNET ? new DlibInput(alignment, new FloatExecutor(landmarkGraph)::run) : null;
            input = new float[model == Model.DLIB_RESNET ? 3 * 150 * 150 : 128 * 128];
        }

        /** Fills {@code input} for image {@code file}. */
        void prepare(Path file) throws IOException {
            byte[] data = decoder.readFile(file);
            decoder.decodeRgb(data, file.toString(), rgb);
            rgb.toGray(gray);
            FoundFace f = locator.locate(gray);
            if (!f.detected()) {
                undetected++;
            }
            if (dlib != null) {
                dlib.prepare(rgb, f, input);
            } else {
                square.crop(gray, f.x(), f.y(), f.width(), f.height(), FaceReidImporter.INPUT_SIZE, crop);
                byte[] p = crop.pixels();
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
        boolean needsQuant = c.model() == Model.DLIB_RESNET
                && (c.precisions().contains(Precision.INT16) || c.precisions().contains(Precision.INT8));
        if (needsQuant) {
            // Calibration: a spread of the evaluation's own images (ranges only, no labels).
            Worker w = new Worker(c.model(), Map.of(), lg, c.alignment(), locators.get());
            List<float[]> cal = new ArrayList<>();
            int n = Math.min(c.calibrationImages(), images.size());
            for (int i = 0; i < n; i++) {
                w.prepare(c.images().resolve(images.get((int) ((long) i * images.size() / n))));
                cal.add(w.input.clone());
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
        // Descriptors for every image and precision, computed once.
        Map<Precision, float[][]> desc = new EnumMap<>(Precision.class);
        for (Precision p : c.precisions()) {
            desc.put(p, new float[images.size()][]);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int threads = Math.max(1, c.threads());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Worker>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Worker w = new Worker(c.model(), graphs, lg, c.alignment(), locators.get());
                float[] out = new float[floatGraph.output().shape().size()];
                for (int i; (i = next.getAndIncrement()) < images.size(); ) {
                    w.prepare(c.images().resolve(images.get(i)));
                    for (Map.Entry<Precision, Runner> e : w.nets.entrySet()) {
                        e.getValue().run(w.input, out);
                        desc.get(e.getKey())[i] = out.clone();
                    }
                    done.incrementAndGet();
                }
                return w;
            }));
        }
        pool.shutdown();
        Progress progress = new Progress(log, "describing " + c.model().id() + " " + c.precisions(), images.size());
        while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
            progress.show(done.get());
        }
        progress.show(done.get());
        progress.finish();
        int undetected = 0;
        int fallbacks = 0;
        for (Future<Worker> f : futures) {
            try {
                Worker w = f.get();
                undetected += w.undetected;
                fallbacks += w.dlib != null ? w.dlib.fallbacks() : 0;
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
        for (Precision p : c.precisions()) {
            float[][] d = desc.get(p);
            double[] dist = new double[pairs.size()];
            for (int k = 0; k < pairs.size(); k++) {
                dist[k] = distance(c.model(), d[index.get(pairs.get(k).a())], d[index.get(pairs.get(k).b())]);
            }
            results.add(new PrecisionResult(p, VerificationProtocol.evaluate(dist, same, fold, c.pairs().folds(), 1e-3)));
        }
        return new Result(c.model(), c.alignment(), images.size(), undetected, fallbacks, (System.nanoTime() - t0) / 1e9, results);
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
