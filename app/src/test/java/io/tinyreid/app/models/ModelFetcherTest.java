package io.tinyreid.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.models.ModelCache.ModelSet;
import io.tinyreid.testing.SharedData;

class ModelFetcherTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Test
    void refusesATarballThatIsNotFaceApi1715() throws IOException {
        Path fake = Files.write(dir.resolve("fake.tgz"), new byte[] {31, -117, 8, 0});
        ModelFetcher f = new ModelFetcher(new ModelCache(dir.resolve("cache")), new PrintStream(log));
        IOException e = assertThrows(IOException.class, () -> f.fetchFaceApi(fake, false));
        assertTrue(e.getMessage().contains("integrity"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache/face-api-1.7.15")), "nothing installed");
    }

    @Test
    void copiesAndVerifiesFaceReid() throws IOException {
        Path src = SharedData.require("models/facereid");
        ModelCache cache = new ModelCache(dir.resolve("cache"));
        ModelFetcher f = new ModelFetcher(cache, new PrintStream(log));
        f.fetchFaceReid(src, false);
        assertEquals(0, cache.verify(ModelSet.FACEREID).size());
        f.fetchFaceReid(src, false);
        assertTrue(log.toString().contains("already"), log.toString());
    }

    @Test
    void refusesAnAlteredFaceReidLayer() throws IOException {
        Path src = SharedData.require("models/facereid");
        Path copy = dir.resolve("src");
        Files.createDirectories(copy.resolve("quantized_model"));
        Files.copy(src.resolve("LICENCE"), copy.resolve("LICENCE"));
        try (var s = Files.list(src.resolve("quantized_model"))) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve("quantized_model").resolve(p.getFileName()));
            }
        }
        Path layer = copy.resolve("quantized_model/conv1.0.json");
        Files.writeString(layer, Files.readString(layer).replaceFirst("1", "2"));
        ModelFetcher f = new ModelFetcher(new ModelCache(dir.resolve("cache")), new PrintStream(log));
        IOException e = assertThrows(IOException.class, () -> f.fetchFaceReid(copy, false));
        assertTrue(e.getMessage().contains("conv1.0.json") && e.getMessage().contains("SHA-256"), e.getMessage());
        e = assertThrows(IOException.class, () -> f.fetchFaceReid(dir.resolve("nowhere"), false));
        assertTrue(e.getMessage().contains("GreenWaves-Technologies/FaceReID"), e.getMessage());
    }

    @Test
    void integrityIsNpmsFormat() throws IOException {
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        assertEquals("sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
                ModelFetcher.integrity(f));
    }
}
