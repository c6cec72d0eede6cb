package io.tinyreid.app.source;

import static io.tinyreid.app.source.TestPictures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
    @TempDir
    Path dir;

    @Test
    void playsImagesInNameOrderShrunkToQvgaAndSkipsCorruptOnes() throws Exception {
        ImageIO.write(solid(4000, 3000, GREEN), "png", dir.resolve("02-big.png").toFile());
        ImageIO.write(solid(200, 100, RED), "png", dir.resolve("01-small.png").toFile());
        ImageIO.write(solid(480, 640, BLUE), "jpg", dir.resolve("03-portrait.jpg").toFile());
        Files.write(dir.resolve("02b-corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(dir.resolve("notes.txt"), "not an image");

        ImageFolderSource src = ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 10, false));
        Frame f = new Frame();
        assertTrue(src.read(f));
        assertEquals(200, f.width(), "small images are not enlarged");
        assertEquals(100, f.height());
        assertEquals(0, maxDiff(RED, rgbAt(f, 100, 50)));
        assertEquals(luma(RED), grayAt(f, 100, 50), 1);

        assertTrue(src.read(f));
        assertEquals(320, f.width());
        assertEquals(240, f.height());
        assertEquals(0, maxDiff(GREEN, rgbAt(f, 160, 120)));
        assertEquals(100_000, f.timestampMicros(), "second picture at 10 fps");

        assertTrue(src.read(f), "the corrupt file is skipped, not fatal");
        assertEquals(180, f.width());
        assertEquals(240, f.height());
        assertTrue(maxDiff(BLUE, rgbAt(f, 90, 120)) <= 8, "JPEG blue");

        assertFalse(src.read(f), "end of folder");
        assertEquals(1, src.skipped().size());
        assertTrue(src.skipped().get(0).startsWith("02b-corrupt.png: "), src.skipped().toString());
    }

    @Test
    void emptyFolderIsAClearError() {
        SourceException e = assertThrows(SourceException.class,
                () -> ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, false)));
        assertTrue(e.getMessage().startsWith("no images"), e.getMessage());
        assertTrue(e.permanent());
    }

    @Test
    void loopingFolderOfOnlyCorruptFilesFailsInsteadOfSpinning() throws Exception {
        Files.write(dir.resolve("a.jpg"), new byte[] {1, 2, 3});
        ImageFolderSource src = ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, true));
        SourceException e = assertThrows(SourceException.class, () -> src.read(new Frame()));
        assertTrue(e.getMessage().contains("a.jpg"), e.getMessage());
    }
}
