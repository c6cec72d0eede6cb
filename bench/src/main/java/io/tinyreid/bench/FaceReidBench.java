package io.tinyreid.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.RgbImage;

/** Shared set-up of the engine benchmarks: the FaceReID model file and the device's check face. */
public final class FaceReidBench {
    private FaceReidBench() {}

    /** {@code -Dtinyreid.shared=DIR}, default {@code ../shared}. */
    public static Path shared() {
        Path p = Path.of(System.getProperty("tinyreid.shared", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("models/facereid"))) {
            throw new IllegalStateException("shared data not found at " + p + " (set -Dtinyreid.shared=DIR)");
        }
        return p;
    }

    /** The imported graph. */
    public static Graph graph() {
        return FaceReidImporter.load(shared().resolve("models/facereid/quantized_model"));
    }

    /** A fresh model file for this run (deleted at exit). */
    public static Path modelFile() {
        try {
            Path f = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "facereid", ".tinyreid");
            f.toFile().deleteOnExit();
            ModelFile.write(graph(), f);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The centre {@code n x n} of the first LFW dev photo, planar RGB 0..255. */
    public static float[] lfwCentre(int n) {
        try (var people = Files.list(shared().resolve("data/lfw-dev/images"))) {
            Path dir = people.sorted().findFirst().orElseThrow();
            Path photo;
            try (var files = Files.list(dir)) {
                photo = files.sorted().findFirst().orElseThrow();
            }
            RgbImage img = new ImageDecoder().decodeRgb(photo);
            int x0 = (img.width() - n) / 2;
            int y0 = (img.height() - n) / 2;
            float[] f = new float[3 * n * n];
            byte[][] planes = {img.red(), img.green(), img.blue()};
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        f[(c * n + y) * n + x] = planes[c][(y0 + y) * img.width() + x0 + x] & 0xff;
                    }
                }
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Francesco.pgm as network input (pixels 0..255). */
    public static float[] face() {
        try {
            GrayImage g = new ImageDecoder().decodeGray(shared().resolve("models/facereid/device_check/Francesco.pgm"));
            float[] f = new float[g.width() * g.height()];
            byte[] p = g.pixels();
            for (int i = 0; i < f.length; i++) {
                f[i] = p[i] & 0xff;
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
