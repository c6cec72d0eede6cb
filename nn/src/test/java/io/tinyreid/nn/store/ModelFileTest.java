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
    void roundTripsFloatAndPerChannelInt8Weights(@TempDir Path tmp) {
        io.tinyreid.nn.ir.Tensor in = new io.tinyreid.nn.ir.Tensor("in", new io.tinyreid.nn.ir.Shape(1, 4, 4),
                io.tinyreid.nn.ir.QFormat.int8(4));
        io.tinyreid.nn.ir.Tensor out = new io.tinyreid.nn.ir.Tensor("out", new io.tinyreid.nn.ir.Shape(2, 4, 4),
                io.tinyreid.nn.ir.QFormat.int8(3));
        io.tinyreid.nn.ir.Weights w = io.tinyreid.nn.ir.Weights.ofRawPerChannel(new short[] {-128, 127},
                new io.tinyreid.nn.ir.QFormat[] {io.tinyreid.nn.ir.QFormat.int8(6), io.tinyreid.nn.ir.QFormat.int8(7)});
        io.tinyreid.nn.ir.Weights b = io.tinyreid.nn.ir.Weights.ofRaw(new short[] {300, -300}, new io.tinyreid.nn.ir.QFormat(3));
        Graph g8 = new Graph("i8", io.tinyreid.nn.ir.Colour.GRAY, in, out, java.util.List.of(new io.tinyreid.nn.ir.Conv2d(
                "c", in, out, 1, 1, 1, 1, io.tinyreid.nn.ir.Padding.NONE, 1, w, b, io.tinyreid.nn.ir.Activation.RELU)));
        Path f = tmp.resolve("i8.tinyreid");
        ModelFile.write(g8, f);
        ModelFile m = ModelFile.open(f);
        assertEquals(g8, m.graph());
        assertEquals(1, m.blob(((io.tinyreid.nn.ir.Conv2d) m.graph().layers().getFirst()).weight()).width());

        io.tinyreid.nn.ir.Tensor fi = new io.tinyreid.nn.ir.Tensor("in", new io.tinyreid.nn.ir.Shape(1, 2, 2), null);
        io.tinyreid.nn.ir.Tensor fo = new io.tinyreid.nn.ir.Tensor("out", new io.tinyreid.nn.ir.Shape(1, 2, 2), null);
        Graph gf = new Graph("f", io.tinyreid.nn.ir.Colour.GRAY, fi, fo, java.util.List.of(new io.tinyreid.nn.ir.Scale(
                "s", fi, fo, io.tinyreid.nn.ir.Weights.ofReal(new float[] {0.5f}), io.tinyreid.nn.ir.Weights.ofReal(new float[] {-1e-3f}))));
        ModelFile.write(gf, f);
        assertEquals(gf, ModelFile.open(f).graph());
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
