package io.tinyreid.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.engine.FrameLoopFootprint;
import io.tinyreid.app.budget.LayoutImage;
import io.tinyreid.app.engine.FaceReidFrames;
import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.app.face.FaceReidEmbedder;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tinyreid budget}: the whole doorbell laid out in one memory budget, as on the reference MCU. */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = {"Lay out the whole doorbell (frame, detector, crop, network, gallery, display) in one memory budget",
                "and print the map and the headroom; fails with \"region 'L2' overflowed by N bytes\" when it does not fit."})
public final class BudgetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "facereid", paramLabel = "MODEL",
            description = "facereid, dlib-resnet, or a model file (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--mode", defaultValue = "exact", description = "exact or fast (default ${DEFAULT-VALUE}; both run the same plan)")
    String mode;

    @Option(names = "--people", defaultValue = "20", paramLabel = "N", description = "known people (default ${DEFAULT-VALUE})")
    int people;

    @Option(names = "--photos-per-person", defaultValue = "1", paramLabel = "K",
            description = "descriptors kept per person (one per enrolled photo; default ${DEFAULT-VALUE})")
    int photosPerPerson;

    @Option(names = "--strangers", defaultValue = "0", paramLabel = "S",
            description = "strangers' descriptors kept for matching (default ${DEFAULT-VALUE})")
    int strangers;

    @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE", description = "the arena (\"L2\"), e.g. 512KiB (default ${DEFAULT-VALUE})")
    String budget;

    @Option(names = "--display", defaultValue = "gray", paramLabel = "FORMAT",
            description = "display frame: gray (the reference's LCD), rgb565, rgb888, none (default ${DEFAULT-VALUE})")
    String display;

    @Option(names = "--png", paramLabel = "FILE", description = "also draw the layout as a PNG")
    Path png;

    @Option(names = "--cache", paramLabel = "DIR", description = "model cache (default: $TINYREID_CACHE or ~/.cache/tinyreid)")
    Path cache;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return ModelCommand.guarded(err, () -> {
            try {
                return layOut(out);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage(), e); // printed as one "error:" line
            }
        });
    }

    private int layOut(PrintWriter out) throws IOException {
        if (people < 0 || photosPerPerson < 1 || strangers < 0) {
            throw new IllegalArgumentException("--people and --strangers must be >= 0, --photos-per-person >= 1");
        }
        long bytes = PlanOptions.parseSize(budget);
        DoorbellBudget.Display disp = DoorbellBudget.Display.parse(display);
        Mode m = Mode.parse(mode);
        if (m == Mode.FLOAT) {
            throw new IllegalArgumentException("float mode is not planned: it runs the dequantised network on the JVM heap"
                    + " (no device arena); use exact or fast");
        }
        int descriptors = people * photosPerPerson + strangers;
        String galleryLabel = people + " people x " + photosPerPerson + (strangers > 0 ? " + " + strangers + " strangers" : "");
        try (FrameLoopFootprint loop = model.trim().equalsIgnoreCase("dlib-resnet") ? dlibResnet(out, disp, descriptors,
                galleryLabel, bytes) : FrameLoopFootprint.open(network(m), disp, descriptors, galleryLabel)) {
            DoorbellLayout layout = loop.layout(bytes);
            String title = loop.title();
            out.println(title);
            out.println();
            out.print(layout.describe());
            out.println();
            out.print(loop.reference());
            out.println();
            out.print(FrameLoopFootprint.jvmNote());
            if (png != null) {
                LayoutImage.write(layout, title, png);
                out.println("memory map drawn to " + png);
            }
            out.flush();
            layout.requireFits();
            return 0;
        }
    }

    private FaceReidFrames network(Mode m) throws IOException {
        String id = model.trim();
        Path file;
        if (id.equalsIgnoreCase("facereid")) {
            ModelCache c = cache();
            c.requireVerified(ModelCache.ModelSet.FACEREID);
            file = FaceReidEmbedder.compile(c.facereidLayers(), c.root().resolve("compiled/facereid.tinyreid"));
        } else {
            file = Path.of(id);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("unknown model '" + model + "' (facereid, dlib-resnet or a model file)");
            }
        }
        return FaceReidFrames.open(file, m);
    }

    private ModelCache cache() {
        return cache != null ? new ModelCache(cache) : ModelCache.standard();
    }

    /**
     * dlib-resnet's frame loop on the planned integer runtime, from the quantised landmark and
     * recognition model files the product runs ({@code <cache>/compiled/}, written by {@code tinyreid
     * quantise --out}); where the cache lacks one, the network quantised to int16 here with one flat
     * calibration input: the plan depends on shapes and widths only, never on the Q formats.
     */
    private FrameLoopFootprint dlibResnet(PrintWriter out, DoorbellBudget.Display disp, int descriptors, String galleryLabel,
                                          long bytes) throws IOException {
        ModelCache c = cache();
        c.requireVerified(ModelCache.ModelSet.FACE_API);
        Path tmp = Files.createTempDirectory("tinyreid-budget");
        try {
            Path lm = compiled(out, c, DlibResnetEmbedder.QUANTISED_LANDMARKS, tmp,
                    () -> FaceApiImporter.landmarks68(c.landmarkManifest()));
            Path rec = compiled(out, c, DlibResnetEmbedder.QUANTISED, tmp,
                    () -> FaceApiImporter.recognition(c.faceRecognitionManifest()));
            return FrameLoopFootprint.dlib(lm, rec, disp, descriptors, galleryLabel, bytes);
        } finally {
            // the model files are open (weights streamed) or failed: the directory entries can go
            try (var files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    private interface GraphSource {
        Graph load() throws IOException;
    }

    private static Path compiled(PrintWriter out, ModelCache c, String name, Path tmp, GraphSource floatGraph) throws IOException {
        Path file = c.root().resolve(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Graph g = floatGraph.load();
        float[] grey = new float[g.input().shape().size()];
        java.util.Arrays.fill(grey, 128f);
        Path flat = tmp.resolve(Path.of(name).getFileName());
        ModelFile.write(Quantiser.quantise(g, List.of(grey), Quantiser.Options.of(Quantiser.Precision.INT16)).quantised(), flat);
        out.printf(Locale.ROOT, "(%s quantised to int16 with a flat calibration input for this plan: the cache has no %s;"
                + " 'tinyreid quantise --out' writes it)%n", g.name(), name);
        return flat;
    }

    static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
