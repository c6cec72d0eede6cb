package io.tinyreid.app.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.testing.SharedData;

class LfwPairsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheStandardFormat() throws IOException {
        Path f = Files.writeString(dir.resolve("p.txt"), """
                2\t1
                Ann\t1\t2
                Bob\t1\tCat\t3
                Dan\t2\t4
                Eve\t1\tFay\t1
                """);
        LfwPairs p = LfwPairs.read(f);
        assertEquals(2, p.folds());
        assertEquals(new LfwPairs.Pair("Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", true, 0), p.pairs().get(0));
        assertEquals(new LfwPairs.Pair("Bob/Bob_0001.jpg", "Cat/Cat_0003.jpg", false, 0), p.pairs().get(1));
        assertEquals(1, p.pairs().get(3).fold());
        assertEquals(8, p.images().size());
    }

    @Test
    void refusesBrokenFilesNamingTheLine() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "2\t1\nAnn\t1\t2\nBob\t1\tCat\t3\nDan\t2\t4\n");
        assertTrue(assertThrows(IOException.class, () -> LfwPairs.read(a)).getMessage().contains("promises"));
        Path b = Files.writeString(dir.resolve("b.txt"), "2\t1\nAnn\t1\nBob\t1\tCat\t3\nDan\t2\t4\nEve\t1\tFay\t1\n");
        assertTrue(assertThrows(IOException.class, () -> LfwPairs.read(b)).getMessage().contains(":2:"));
        Path c = Files.writeString(dir.resolve("c.txt"), "2\t1\nAnn\tx\t2\nBob\t1\tCat\t3\nDan\t2\t4\nEve\t1\tFay\t1\n");
        assertThrows(IOException.class, () -> LfwPairs.read(c));
        Path d = Files.writeString(dir.resolve("d.txt"), "2\t1\n..\t1\t2\nBob\t1\tCat\t3\nDan\t2\t4\nEve\t1\tFay\t1\n");
        assertThrows(IOException.class, () -> LfwPairs.read(d));
        Path e = Files.writeString(dir.resolve("e.txt"), "pairs\n");
        assertThrows(IOException.class, () -> LfwPairs.read(e));
    }

    @Test
    void sharedDevPairsHaveFiveFoldsAndTheirImages() throws IOException {
        Path dev = SharedData.require("data/lfw-dev");
        LfwPairs p = LfwPairs.read(dev.resolve("pairs.txt"));
        assertEquals(5, p.folds());
        assertEquals(3000, p.pairs().size());
        for (String img : p.images()) {
            assertTrue(Files.isRegularFile(dev.resolve("images").resolve(img)), img);
        }
    }
}
