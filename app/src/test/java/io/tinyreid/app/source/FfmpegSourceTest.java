package io.tinyreid.app.source;

import static io.tinyreid.app.source.TestPictures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegSourceTest {
    @TempDir
    Path dir;

    private Path writeClip(String name, int w, int h, int frames) throws Exception {
        Path file = dir.resolve(name);
        try (ClipWriter out = new ClipWriter(file, w, h, 25)) {
            for (int i = 0; i < frames; i++) {
                out.write(quadrants(w, h, i));
            }
        }
        return file;
    }

    @Test
    void videoFileIsScaledToQvgaKeepingColourAndOrder() throws Exception {
        Path clip = writeClip("clip.mp4", 640, 480, 20);
        try (FrameSource src = SourceOpener.DEFAULT.open(new SourceSpec.VideoFile(clip, false))) {
            assertFalse(src.live());
            assertEquals(25.0, src.frameRate(), 0.01);
            Frame f = new Frame();
            int n = 0;
            long lastTs = -1;
            while (src.read(f)) {
                assertEquals(320, f.width());
                assertEquals(240, f.height());
                assertTrue(maxDiff(RED, rgbAt(f, 80, 60)) <= 16, "red quadrant");
                assertTrue(maxDiff(GREEN, rgbAt(f, 240, 60)) <= 16, "green quadrant");
                assertTrue(maxDiff(BLUE, rgbAt(f, 80, 150)) <= 16, "blue quadrant");
                for (int[] p : new int[][] {{80, 60}, {240, 60}, {80, 150}, {240, 150}}) {
                    assertEquals(luma(rgbAt(f, p[0], p[1])), grayAt(f, p[0], p[1]), 1, "gray is BT.601 luma");
                }
                // The square's left edge, found on a row through it, moves one step per frame.
                int row = 240 - 240 / 40 - 320 / 20;
                int left = -1;
                for (int x = 0; x < 320; x++) {
                    if (grayAt(f, x, row) < 25) {
                        left = x;
                        break;
                    }
                }
                assertEquals(squareLeft(640, n) / 2.0, left, 2.0, "frame " + n + " in order");
                assertTrue(f.timestampMicros() > lastTs, "timestamps increase");
                lastTs = f.timestampMicros();
                n++;
            }
            assertEquals(20, n, "every frame of the file");
        }
    }

    @Test
    void wideVideoKeepsItsAspectRatio() throws Exception {
        Path clip = writeClip("wide.avi", 640, 360, 3);
        try (FrameSource src = SourceOpener.DEFAULT.open(new SourceSpec.VideoFile(clip, false))) {
            Frame f = new Frame();
            assertTrue(src.read(f));
            assertEquals(320, f.width());
            assertEquals(180, f.height());
        }
    }

    @Test
    void loopingFileStartsOverWithIncreasingTimestamps() throws Exception {
        Path clip = writeClip("loop.mp4", 320, 240, 5);
        try (FrameSource src = SourceOpener.DEFAULT.open(new SourceSpec.VideoFile(clip, true))) {
            Frame f = new Frame();
            long last = -1;
            for (int i = 0; i < 12; i++) {
                assertTrue(src.read(f), "a looping file never ends");
                assertTrue(f.timestampMicros() > last, "timestamp " + f.timestampMicros() + " after " + last);
                last = f.timestampMicros();
                int row = 240 - 240 / 40 - 320 / 20;
                int left = -1;
                for (int x = 0; x < 320; x++) {
                    if (grayAt(f, x, row) < 25) {
                        left = x;
                        break;
                    }
                }
                assertEquals(squareLeft(320, i % 5), left, 2.0, "frame " + i + " is clip frame " + (i % 5));
            }
        }
    }

    @Test
    void missingCameraIsAClearPermanentError() {
        SourceException e = assertThrows(SourceException.class,
                () -> SourceOpener.DEFAULT.open(new SourceSpec.Camera(Path.of("/dev/video97"))));
        assertTrue(e.permanent());
        assertTrue(e.getMessage().startsWith("camera /dev/video97 not found; "), e.getMessage());
    }

    @Test
    void corruptVideoFileIsRefusedWithTheFileName() throws Exception {
        Path bad = dir.resolve("broken.mp4");
        Files.write(bad, "this is not a video at all".repeat(100).getBytes());
        SourceException e = assertThrows(SourceException.class,
                () -> SourceOpener.DEFAULT.open(new SourceSpec.VideoFile(bad, false)));
        assertTrue(e.getMessage().contains("broken.mp4"), e.getMessage());
        assertFalse(e.getMessage().contains("setFormat"), "no programmer hints in user messages");
    }

    @Test
    void parseUnderstandsEveryKindAndRefusesNonsense() throws Exception {
        assertEquals(new SourceSpec.Camera(Path.of("/dev/video0")), SourceSpec.parse("0", false));
        assertEquals(new SourceSpec.Camera(Path.of("/dev/video2")), SourceSpec.parse("/dev/video2", false));
        assertInstanceOf(SourceSpec.StreamUrl.class, SourceSpec.parse("rtsp://cam.local:554/live", false));
        assertInstanceOf(SourceSpec.StreamUrl.class, SourceSpec.parse("http://127.0.0.1:8080/live.mjpeg", false));
        assertInstanceOf(SourceSpec.ImageFolder.class, SourceSpec.parse(dir.toString(), false));
        Path clip = writeClip("x.mp4", 64, 48, 1);
        assertEquals(new SourceSpec.VideoFile(clip, true), SourceSpec.parse(clip.toString(), true));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SourceSpec.parse(dir.resolve("nope.mp4").toString(), false));
        assertTrue(missing.getMessage().startsWith("source not found: "), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("ftp://host/file", false));
        assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse(" ", false));
        assertEquals("stream rtsp://admin:***@cam/live",
                SourceSpec.parse("rtsp://admin:secret@cam/live", false).describe());
    }
}
