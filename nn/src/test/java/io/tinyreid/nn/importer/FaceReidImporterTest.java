package io.tinyreid.nn.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.testing.SharedData;

class FaceReidImporterTest {
    static Path modelDir() {
        return SharedData.require("models/facereid/quantized_model");
    }

    @Test
    void importsTheReferenceNetwork() {
        Graph g = FaceReidImporter.load(modelDir());
        long convs = g.layers().stream().filter(l -> l instanceof Conv2d).count();
        assertEquals(26, convs);
        assertEquals(new Shape(1, 128, 128), g.input().shape());
        assertEquals(new Shape(512, 1, 1), g.output().shape());
        assertEquals(10, g.output().q().fracBits(), "descriptor is Q10");
        // DESIGN.md: about 0.72 M parameters and about 80 M multiply-accumulates.
        assertTrue(Math.abs(g.parameters() - 722_000) < 10_000, "parameters " + g.parameters());
        assertTrue(Math.abs(g.macs() - 80_000_000) < 3_000_000, "MACs " + g.macs());
        assertEquals(new Shape(64, 31, 31), tensor(g, "features.2").shape());
        assertEquals(new Shape(128, 15, 15), tensor(g, "features.5").shape());
        assertEquals(new Shape(256, 7, 7), tensor(g, "features.8").shape());
    }

    @Test
    void derivesStaleOutputFormatsFromNorm() {
        Graph g = FaceReidImporter.load(modelDir());
        // features.4.expand1x1.0.json says out_frac_bits 13, but 12 (input) + 15 (weights) - 15 (norm) = 12.
        Conv2d e1 = (Conv2d) layer(g, "features.4.expand1x1.0");
        assertEquals(12, e1.output().q().fracBits());
        assertEquals(15, e1.norm());
        assertEquals(12, e1.bias().q().fracBits());
        Conv2d e3 = (Conv2d) layer(g, "features.10.expand3x3.0");
        assertEquals(13, e3.output().q().fracBits());
    }

    @Test
    void missingFileIsNamed(@TempDir Path tmp) throws IOException {
        Path dir = copyModel(tmp);
        Files.delete(dir.resolve("features.9.squeeze.0.json"));
        var e = assertThrows(ModelImportException.class, () -> FaceReidImporter.load(dir));
        assertTrue(e.getMessage().contains("features.9.squeeze.0.json"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void missingOrMalformedFieldsAreNamed(@TempDir Path tmp) throws IOException {
        Path dir = copyModel(tmp);
        Path f = dir.resolve("conv1.0.json");
        String good = Files.readString(f);

        Files.writeString(f, good.replace("\"norm\"", "\"nrm\""));
        var e = assertThrows(ModelImportException.class, () -> FaceReidImporter.load(dir));
        assertTrue(e.getMessage().contains("conv1.0.json") && e.getMessage().contains("field norm"), e.getMessage());

        Files.writeString(f, good.replace("11308.0", "1.5"));
        e = assertThrows(ModelImportException.class, () -> FaceReidImporter.load(dir));
        assertTrue(e.getMessage().contains("conv1.0.json") && e.getMessage().contains("field weight"), e.getMessage());

        Files.writeString(f, good.replace("[[[[11308.0]]], ", "[[[[11308.0, 2.0]]], "));
        e = assertThrows(ModelImportException.class, () -> FaceReidImporter.load(dir));
        assertTrue(e.getMessage().contains("conv1.0.json") && e.getMessage().contains("field weight"), e.getMessage());

        Files.writeString(f, good.substring(0, good.length() / 2));
        e = assertThrows(ModelImportException.class, () -> FaceReidImporter.load(dir));
        assertTrue(e.getMessage().contains("conv1.0.json") && e.getMessage().contains("JSON"), e.getMessage());

        Files.writeString(f, good.replace("\"inp_frac_bits\": [0]", "\"inp_frac_bits\": [3]"));
        e = assertThrows(ModelImportException.class, () -> FaceReidImporter.load(dir));
        assertTrue(e.getMessage().contains("conv1.0.json") && e.getMessage().contains("inp_frac_bits"), e.getMessage());
    }

    private static Path copyModel(Path tmp) throws IOException {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(modelDir())) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    static Layer layer(Graph g, String name) {
        return g.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    static io.tinyreid.nn.ir.Tensor tensor(Graph g, String name) {
        return g.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
