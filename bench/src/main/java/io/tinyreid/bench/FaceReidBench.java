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
