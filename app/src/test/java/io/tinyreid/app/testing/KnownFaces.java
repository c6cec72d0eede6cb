package io.tinyreid.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorFormat;
import io.tinyreid.testing.SharedData;

/** The reference's stored FaceReID descriptors (../shared/models/facereid), real data for gallery tests. */
public final class KnownFaces {
    private KnownFaces() {}

    /** {@code known_faces/person_N.bin}: 0 Alex, 1 Francesco, 2 Lena (512 LE int16, Q10). */
    public static Descriptor person(int n) {
        return read(SharedData.require("models/facereid/known_faces/person_" + n + ".bin"));
    }

    /** {@code device_check/NAME.bin}: what the GAP8 produced for NAME.pgm. */
    public static Descriptor deviceCheck(String name) {
        return read(SharedData.require("models/facereid/device_check/" + name + ".bin"));
    }

    private static Descriptor read(Path p) {
        try {
            return Descriptor.fromBytes(DescriptorFormat.INT16, Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
