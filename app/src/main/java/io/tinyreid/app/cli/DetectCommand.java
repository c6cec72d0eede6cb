package io.tinyreid.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.app.json.JsonString;
import io.tinyreid.vision.cascade.CascadeFormatException;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.FaceDetector;
import io.tinyreid.vision.detect.PackedCascade;
import io.tinyreid.vision.image.Draw;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecodeException;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.ImageEncoder;
import io.tinyreid.vision.image.RgbImage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyreid detect}: faces (and optionally eyes) in images, as JSON, with annotated PNGs on request. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Finds faces with a Haar or LBP cascade (OpenCV detectMultiScale semantics) and prints JSON boxes with scores.",
                "Score = sum over the cascade's stages of (stage sum - stage threshold) of the box's best window."})
public final class DetectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG, PNG or PGM files")
    List<Path> images;

    @Option(names = "--cascade", paramLabel = "NAME|FILE", defaultValue = CascadeLibrary.DEFAULT_FACE,
            description = "built-in cascade name (e.g. lbpcascade_frontalface_improved) or an OpenCV cascade XML file (default: ${DEFAULT-VALUE})")
    String cascade;

    @Option(names = "--scale", defaultValue = "1.1", description = "pyramid scale factor, > 1 (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--neighbors", defaultValue = "3", description = "raw windows a face needs beyond itself (default: ${DEFAULT-VALUE})")
    int neighbors;

    @Option(names = "--min-size", defaultValue = "30", description = "smallest face side in pixels (default: ${DEFAULT-VALUE})")
    int minSize;

    @Option(names = "--max-size", defaultValue = "0", description = "largest face side in pixels, 0 = no limit (default: ${DEFAULT-VALUE})")
    int maxSize;

    @Option(names = "--eyes", description = "also find eye centres with an eye cascade inside each face")
    boolean eyes;

    @Option(names = "--eye-cascade", paramLabel = "NAME|FILE", defaultValue = CascadeLibrary.DEFAULT_EYE,
            description = "eye cascade for --eyes (default: ${DEFAULT-VALUE})")
    String eyeCascade;

    @Option(names = "--out", paramLabel = "PNG|DIR", description = "annotated image: a .png file for one image, a directory for several")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        DetectionParams params;
        try {
            params = new DetectionParams(scale, neighbors, minSize, minSize, maxSize, maxSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (minSize < 0 || maxSize < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "sizes must be >= 0");
        }
        boolean many = images.size() > 1;
        if (out != null && many) {
            Files.createDirectories(out);
        } else if (out != null && !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out must name a .png file for a single image");
        }
        FaceDetector detector;
        try {
            CascadeDetector faces = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(cascade)), 320, 240, 4096);
            CascadeDetector eyeDet = eyes
                    ? new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(eyeCascade)), 320, 240, 512) : null;
            detector = new FaceDetector(faces, eyeDet);
        } catch (CascadeFormatException e) {
            err.println("tinyreid detect: " + e.getMessage());
            return 2;
        }
        ImageDecoder decoder = new ImageDecoder();
        Detections found = new Detections(1024);
        GrayImage gray = new GrayImage(1, 1);
        StringBuilder json = new StringBuilder();
        int failures = 0;
        for (int n = 0; n < images.size(); n++) {
            Path file = images.get(n);
            json.append(n == 0 ? "\n" : ",\n").append("    {\"image\": ").append(JsonString.quote(file.toString()));
            RgbImage rgb;
            try {
                rgb = decoder.decodeRgb(file);
            } catch (ImageDecodeException e) {
                failures++;
                err.println("tinyreid detect: " + e.getMessage());
                json.append(", \"error\": ").append(JsonString.quote(e.getMessage())).append('}');
                continue;
            }
            rgb.toGray(gray);
            long t0 = System.nanoTime();
            detector.detect(gray, params, found);
            double ms = (System.nanoTime() - t0) / 1e6;
            json.append(String.format(Locale.ROOT, ", \"width\": %d, \"height\": %d, \"millis\": %.1f, \"faces\": [",
                    gray.width(), gray.height(), ms));
            for (int i = 0; i < found.size(); i++) {
                json.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                        "      {\"x\": %d, \"y\": %d, \"width\": %d, \"height\": %d, \"score\": %.3f, \"neighbors\": %d",
                        found.x(i), found.y(i), found.width(i), found.height(i), found.score(i), found.neighbors(i)));
                if (found.hasEyes(i)) {
                    json.append(String.format(Locale.ROOT, ", \"eyes\": {\"left\": [%.1f, %.1f], \"right\": [%.1f, %.1f]}",
                            found.eye(i, 0), found.eye(i, 1), found.eye(i, 2), found.eye(i, 3)));
                }
                json.append('}');
            }
            json.append(found.size() > 0 ? "\n    ]" : "]");
            if (found.truncated()) json.append(", \"truncated\": true");
            json.append('}');
            if (out != null) {
                annotate(rgb, found);
                Path target = many ? out.resolve(stem(file) + ".annotated.png") : out;
                ImageEncoder.write(rgb, target);
            }
            if (many) {
                err.printf(Locale.ROOT, "[%d/%d] %s: %d face%s (%.1f ms)%n", n + 1, images.size(), file.getFileName(),
                        found.size(), found.size() == 1 ? "" : "s", ms);
            }
        }
        var mem = detector.memory(found);
        stdout.printf(Locale.ROOT, "{%n  \"detector\": {\"cascade\": %s, \"scaleFactor\": %s, \"minNeighbors\": %d, "
                        + "\"minSize\": %d, \"maxSize\": %d, \"eyes\": %b, \"packedCascadeBytes\": %d, \"scratchBytes\": %d, "
                        + "\"eyeCascadeBytes\": %d, \"eyeScratchBytes\": %d},%n  \"images\": [%s%n  ]%n}%n",
                JsonString.quote(detector.faceDetector().cascade().name()), Double.toString(scale), neighbors, minSize, maxSize,
                eyes, mem.faceCascadeBytes(), mem.faceScratchBytes(), mem.eyeCascadeBytes(), mem.eyeScratchBytes(), json);
        stdout.flush();
        err.flush();
        return failures == 0 ? 0 : 1;
    }

    private static void annotate(RgbImage rgb, Detections d) {
        for (int i = 0; i < d.size(); i++) {
            Draw.labelledBox(rgb, d.x(i), d.y(i), d.width(i), d.height(i), String.format(Locale.ROOT, "%.1f", d.score(i)), 0x00FF00);
            if (d.hasEyes(i)) {
                int r = Math.max(2, d.width(i) / 20);
                Draw.marker(rgb, Math.round(d.eye(i, 0)), Math.round(d.eye(i, 1)), r, 0xFF3030);
                Draw.marker(rgb, Math.round(d.eye(i, 2)), Math.round(d.eye(i, 3)), r, 0xFF3030);
            }
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
