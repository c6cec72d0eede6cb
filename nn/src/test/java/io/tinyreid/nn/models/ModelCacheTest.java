package io.tinyreid.nn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.models.ModelCache.ModelSet;

class ModelCacheTest {
    @TempDir
    Path dir;

    @Test
    void listsTheFilesWeUse() {
        assertEquals(12, ModelCache.expected(ModelSet.FACE_API).size(), "4 model files, package.json, LICENSE, 6 demo photos");
        assertEquals(27, ModelCache.expected(ModelSet.FACEREID).size());
    }

    @Test
    void refusesMissingTruncatedAndAlteredFiles() throws IOException {
        ModelCache cache = new ModelCache(dir);
        // An empty cache names every file.
        assertEquals(27, cache.verify(ModelSet.FACEREID).size());
        ModelCache.ExpectedFile lic = ModelCache.expected(ModelSet.FACEREID).get(0);
        Path f = cache.dir(ModelSet.FACEREID).resolve(lic.path());
        Files.createDirectories(f.getParent());
        Files.write(f, new byte[(int) lic.size() - 1]);
        assertTrue(ModelCache.check(f, lic).contains("truncated"));
        Files.write(f, new byte[(int) lic.size()]);
        assertTrue(ModelCache.check(f, lic).contains("SHA-256"));
        IOException e = assertThrows(IOException.class, () -> cache.requireVerified(ModelSet.FACEREID));
        assertTrue(e.getMessage().contains("models fetch"));
    }

    @Test
    void sha256OfKnownText() throws IOException {
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelCache.sha256(f));
    }

    @Test
    void fetchedCacheVerifies() throws IOException {
        io.tinyreid.testing.SharedData.requireCached("face-api-1.7.15/package.json");
        List<String> problems = ModelCache.standard().verify(ModelSet.FACE_API);
        assertFalse(!problems.isEmpty(), String.join("\n", problems));
    }
}
