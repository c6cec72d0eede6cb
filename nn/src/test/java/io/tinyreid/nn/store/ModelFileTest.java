package io.tinyreid.nn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.testing.FaceReidFixture;

class ModelFileTest {
    @Test
    void roundTripsTheGraphExactly(@TempDir Path tmp) {
        Graph g = FaceReidFixture.graph();
        Path f = tmp.resolve("facereid.tinyreid");
        ModelFile.write(g, f);
        ModelFile m = ModelFile.open(f);
        assertEquals(g, m.graph());
        // compact: int16 weights plus a small header
        long params = g.parameters();
        long size = f.toFile().length();
        assertTrue(size >= 2 * params && size < 2 * params + 64 * 1024, "file size " + size + " for " + params + " params");
    }

    @Test
    void refusesTruncatedCorruptedAndForeignFiles(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(FaceReidFixture.modelFile());
        Path f = tmp.resolve("m.tinyreid");

        Files.write(f, Arrays.copyOf(good, good.length - 100));
        var e = assertThrows(ModelFileException.class, () -> ModelFile.open(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(f, Arrays.copyOf(good, 10));
        e = assertThrows(ModelFileException.class, () -> ModelFile.open(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] bad = good.clone();
        bad[bad.length - 1000] ^= 0x10; // inside the last layer's weights
        Files.write(f, bad);
        e = assertThrows(ModelFileException.class, () -> ModelFile.open(f));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("features.12"), e.getMessage());

        bad = good.clone();
        bad[40] ^= 0x01; // inside the header
        Files.write(f, bad);
        e = assertThrows(ModelFileException.class, () -> ModelFile.open(f));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());

        bad = good.clone();
        bad[8] = 9; // version
        Files.write(f, bad);
        e = assertThrows(ModelFileException.class, () -> ModelFile.open(f));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());

        Files.writeString(f, "P5\n128 128\n255\n" + "x".repeat(200));
        e = assertThrows(ModelFileException.class, () -> ModelFile.open(f));
        assertTrue(e.getMessage().contains("not a TinyReID model file"), e.getMessage());

        e = assertThrows(ModelFileException.class, () -> ModelFile.open(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
