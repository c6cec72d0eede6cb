package io.tinyreid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.store.ModelFile;

/** The FaceReID reference network imported once per test JVM, and its model file. */
public final class FaceReidFixture {
    private static Graph graph;
    private static Path file;

    private FaceReidFixture() {}

    /** The imported graph. */
    public static synchronized Graph graph() {
        if (graph == null) {
            graph = FaceReidImporter.load(SharedData.require("models/facereid/quantized_model"));
        }
        return graph;
    }

    /** A model file written by the importer (temporary, deleted at exit). */
    public static synchronized Path modelFile() {
        if (file == null) {
            try {
                Path f = Files.createTempFile("facereid", ".tinyreid");
                f.toFile().deleteOnExit();
                ModelFile.write(graph(), f);
                file = f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** Pixels as the raw int16 network input. */
    public static short[] raw(float[] pixels) {
        short[] s = new short[pixels.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(pixels[i]);
        }
        return s;
    }
}
