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

    @Test
    void netpbmPicturesAreReadByTheirOwnReader() throws Exception {
        // Written byte by byte here: the expected pixels are the bytes themselves.
        byte[] pgm = netpbm("P5\n40 30\n255\n", 40 * 30, i -> 77);
        byte[] ppm = netpbm("P6\n# a comment\n40 30\n255\n", 40 * 30 * 3, i -> new int[] {200, 30, 90}[i % 3]);
        Files.write(dir.resolve("1.pgm"), pgm);
        Files.write(dir.resolve("2.ppm"), ppm);
        // 16-bit text PPM: 65535 -> 255, 32768 -> 128
        Files.writeString(dir.resolve("3.ppm"), "P3\n2 2\n65535\n" + "65535 0 32768 ".repeat(4));
        Files.write(dir.resolve("4.ppm"), netpbm("P6\n40 30\n255\n", 100, i -> 1)); // truncated: skipped
        ImageFolderSource src = ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, false));
        Frame f = new Frame();
        assertTrue(src.read(f));
        assertEquals(40, f.width());
        assertArrayEquals(new int[] {77, 77, 77}, rgbAt(f, 20, 15));
        assertEquals(77, grayAt(f, 20, 15));
        assertTrue(src.read(f));
        assertArrayEquals(new int[] {200, 30, 90}, rgbAt(f, 20, 15));
        assertTrue(src.read(f));
        assertEquals(2, f.width());
        assertArrayEquals(new int[] {255, 0, 128}, rgbAt(f, 1, 1));
        assertFalse(src.read(f));
        assertEquals(1, src.skipped().size(), src.skipped().toString());
        assertTrue(src.skipped().getFirst().startsWith("4.ppm: ") && src.skipped().getFirst().contains("truncated PPM"),
                src.skipped().toString());
    }

    @Test
    void aLoopingFolderThatIsEmptiedOrDeletedIsRetriedAndPicksUpNewPictures() throws Exception {
        ImageIO.write(solid(64, 48, RED), "png", dir.resolve("a.png").toFile());
        ImageFolderSource src = ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, true));
        Frame f = new Frame();
        assertTrue(src.read(f));
        assertTrue(src.read(f), "looped");
        Files.delete(dir.resolve("a.png"));
        // (preemptive time-out: before the fix this read spun forever)
        SourceException emptied = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThrows(SourceException.class, () -> src.read(f)));
        assertFalse(emptied.permanent(), "a camera may drop pictures into it again");
        SourceException empty = assertThrows(SourceException.class,
                () -> ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, true)));
        assertFalse(empty.permanent());
        assertTrue(empty.getMessage().startsWith("no images"), empty.getMessage());
        Files.delete(dir);
        SourceException gone = assertThrows(SourceException.class,
                () -> ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, true)));
        assertEquals("image folder not found: " + dir, gone.getMessage());
        assertFalse(gone.permanent());
        Files.createDirectory(dir);
        ImageIO.write(solid(64, 48, BLUE), "png", dir.resolve("b.png").toFile());
        ImageFolderSource again = ImageFolderSource.open(new SourceSpec.ImageFolder(dir, 5, true));
        assertTrue(again.read(f));
        assertEquals(0, maxDiff(BLUE, rgbAt(f, 10, 10)));
        ImageIO.write(solid(64, 48, GREEN), "png", dir.resolve("c.png").toFile());
        assertTrue(again.read(f), "next pass: b again");
        assertTrue(again.read(f), "a picture added meanwhile joins the next pass");
        assertEquals(0, maxDiff(GREEN, rgbAt(f, 10, 10)));
    }

    static byte[] netpbm(String header, int samples, java.util.function.IntUnaryOperator sample) {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(h, h.length + samples);
        for (int i = 0; i < samples; i++) {
            out[h.length + i] = (byte) sample.applyAsInt(i);
        }
        return out;
    }
}
