package io.tinyreid.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.quant.Dequantise;
import io.tinyreid.nn.quant.QuantReport;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyreid quantise}: our post-training quantiser on a model, with its per-layer report. */
@Command(name = "quantise", mixinStandardHelpOptions = true,
        description = "Quantise a model to int16 or int8 (power-of-two formats, the reference's recipe) calibrated on a "
                + "folder of face crops; prints each layer's format, saturations and error against float, draws it as a PNG.")
public final class QuantiseCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "dlib-resnet",
            description = "dlib-resnet | face-landmark-68 | facereid (re-quantised from its float twin) (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--precision", defaultValue = "int16", description = "int16 | int8 (default ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--calibration", required = true, description = "folder of face crops (PNG/JPEG), each scaled to the net input")
    Path calibration;

    @Option(names = "--count", defaultValue = "32", description = "crops used for calibration (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--measure", defaultValue = "8", description = "further crops the report is measured on (default ${DEFAULT-VALUE})")
    int measure;

    @Option(names = "--png", description = "write the report as a PNG here")
    Path png;

    @Option(names = "--out", paramLabel = "FILE", description = "write the quantised network as a model file (the planned "
            + "runtime streams its weights from it). dlib-resnet runs on the planned runtime in photos and frames when the"
            + " model cache holds both int16 files: MODEL_CACHE/" + DlibResnetEmbedder.QUANTISED + " (--model dlib-resnet) and"
            + " MODEL_CACHE/" + DlibResnetEmbedder.QUANTISED_LANDMARKS + " (--model face-landmark-68); descriptors"
            + " enrolled before stay as computed in float)")
    Path out;

    @Option(names = "--cache", description = "model cache (default: $TINYREID_CACHE or ~/.cache/tinyreid)")
    Path cache;

    @Override
    public Integer call() throws Exception {
        ModelCache c = cache != null ? new ModelCache(cache) : ModelCache.standard();
        Graph g = switch (model) {
            case "dlib-resnet" -> {
                c.requireVerified(ModelCache.ModelSet.FACE_API);
                yield FaceApiImporter.recognition(c.faceRecognitionManifest());
            }
            case "face-landmark-68" -> {
                c.requireVerified(ModelCache.ModelSet.FACE_API);
                yield FaceApiImporter.landmarks68(c.landmarkManifest());
            }
            case "facereid" -> {
                c.requireVerified(ModelCache.ModelSet.FACEREID);
                yield Dequantise.toFloat(FaceReidImporter.load(c.facereidLayers()));
            }
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown model '" + model + "' (dlib-resnet, face-landmark-68, facereid)");
        };
        Quantiser.Precision p = Quantiser.Precision.parse(precision);
        List<Path> files;
        try (Stream<Path> s = Files.list(calibration)) {
            files = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|pgm)"))
                    .sorted().toList();
        }
        if (files.size() < 2) {
            System.err.println("error: " + calibration + " holds " + files.size() + " images; need at least 2 face crops");
            return 2;
        }
        int nc = Math.min(count, files.size() - 1);
        int nm = Math.min(measure, files.size() - nc);
        List<float[]> cal = new ArrayList<>();
        List<float[]> test = new ArrayList<>();
        ImageDecoder dec = new ImageDecoder();
        for (int i = 0; i < nc + nm; i++) {
            (i < nc ? cal : test).add(input(g, dec, files.get(i)));
            System.err.printf(Locale.ROOT, "\rreading crops %d/%d", i + 1, nc + nm);
        }
        System.err.println();
        System.err.printf(Locale.ROOT, "quantising %s to %s on %d crops, measuring on %d%n", g.name(), p, nc, nm);
        Quantiser.Result r = Quantiser.quantise(g, cal, Quantiser.Options.of(p));
        QuantReport rep = QuantReport.measure(r, test);
        System.out.print(rep.toText());
        if (png != null) {
            rep.writePng(png);
            System.out.println("report PNG: " + png.toAbsolutePath());
        }
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(out.getFileName() + ".partial");
            ModelFile.write(r.quantised(), tmp);
            ModelFile.open(tmp); // verifies sizes and checksums of what was written
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            MemoryPlan plan = MemoryPlanner.planUnchecked(r.quantised(),
                    PlanOptions.defaults().withKernels(MemoryPlanner.kernelsFor(r.quantised())));
            System.out.printf(Locale.ROOT, "wrote %s (%,d bytes); planned peak %,d bytes (%.1f KiB)%s, see tinyreid model plan%n",
                    out, Files.size(out), plan.peak(), plan.peak() / 1024.0, plan.spill().any()
                            ? String.format(Locale.ROOT, " within 512 KiB with %d activations kept in L3", plan.spill().l3().size()) : "");
        }
        return 0;
    }

    /** A crop as the graph's input: face-api's preparation for RGB nets, a bilinear resize for gray ones. */
    private static float[] input(Graph g, ImageDecoder dec, Path f) throws IOException {
        int size = g.input().shape().height();
        if (g.colour() == Colour.RGB) {
            RgbImage img = dec.decodeRgb(f);
            int w = img.width();
            int h = img.height();
            byte[] rgb = new byte[w * h * 3];
            for (int i = 0; i < w * h; i++) {
                rgb[3 * i] = img.red()[i];
                rgb[3 * i + 1] = img.green()[i];
                rgb[3 * i + 2] = img.blue()[i];
            }
            return FaceApiInput.prepare(rgb, w, h, size);
        }
        GrayImage gray = dec.decodeGray(f);
        GrayImage scaled = io.tinyreid.vision.image.Resize.bilinear(gray, new GrayImage(size, size));
        float[] v = new float[size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = scaled.pixels()[i] & 0xff;
        }
        return v;
    }
}
