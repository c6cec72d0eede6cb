package io.tinyreid.app.source;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class CaptureTest {
    /** A scripted source: {@code count} frames whose first gray byte is the frame's index mod 256. */
    static final class CountingSource implements FrameSource {
        final int count;
        final boolean live;
        int next;

        CountingSource(int count, boolean live) {
            this.count = count;
            this.live = live;
        }

        @Override
        public boolean read(Frame into) {
            if (next >= count) {
                return false;
            }
            into.resize(32, 24);
            into.gray().pixels()[0] = (byte) next;
            into.stamp(0, next * 40_000L);
            next++;
            return true;
        }

        @Override public boolean live() { return live; }
        @Override public double frameRate() { return 25; }
        @Override public void close() {}
    }

    @Test
    void failuresAreRetriedWithBackoffThenRecovered() throws Exception {
        List<Capture.Status> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger opens = new AtomicInteger();
        List<Long> openTimes = Collections.synchronizedList(new ArrayList<>());
        SourceOpener flaky = spec -> {
            openTimes.add(System.nanoTime());
            if (opens.incrementAndGet() <= 3) {
                throw new SourceException("camera vanished", false);
            }
            return new CountingSource(5, true);
        };
        FrameExchange ex = new FrameExchange(true);
        Capture cap = new Capture(new SourceSpec.Camera(Path.of("/dev/video0")), flaky, ex,
                new Backoff(20, 60), false, seen::add).start();
        int taken = 0;
        while (ex.take(5000) != null) {
            taken++;
        }
        cap.join(5000);
        assertEquals(5, taken);
        List<Capture.State> states = seen.stream().map(Capture.Status::state).toList();
        assertEquals(List.of(Capture.State.RETRYING, Capture.State.RETRYING, Capture.State.RETRYING,
                Capture.State.LIVE, Capture.State.ENDED), states);
        assertEquals("camera vanished; retry 1 in 20 ms", seen.get(0).message());
        assertEquals("camera vanished; retry 3 in 60 ms", seen.get(2).message(), "doubling, capped");
        assertEquals("recovered after 3 retries", seen.get(3).message());
        long gapMillis = (openTimes.get(3) - openTimes.get(2)) / 1_000_000;
        assertTrue(gapMillis >= 55, "waited the backoff before reopening, waited " + gapMillis + " ms");
    }

    @Test
    void unknownCameraFailsAtOnceWithAClearMessage() throws Exception {
        List<Capture.Status> seen = Collections.synchronizedList(new ArrayList<>());
        FrameExchange ex = new FrameExchange(false);
        Capture cap = new Capture(new SourceSpec.Camera(Path.of("/dev/video97")), SourceOpener.DEFAULT, ex,
                Backoff.DEFAULT, true, seen::add).start();
        cap.join(5000);
        assertNull(ex.take(10));
        Capture.Status last = cap.status();
        assertEquals(Capture.State.FAILED, last.state());
        assertTrue(last.message().startsWith("camera /dev/video97 not found"), last.message());
        assertTrue(last.line().contains("failed - camera /dev/video97 not found"), last.line());
    }

    @Test
    void fasterSourceDropsFramesAndNeverQueues() throws Exception {
        FrameExchange ex = new FrameExchange(false);
        Capture cap = new Capture(new SourceSpec.Camera(Path.of("/dev/video0")),
                spec -> new CountingSource(3000, true), ex, Backoff.DEFAULT, false, null).start();
        int taken = 0;
        int last = -1;
        long lastSeq = -1;
        Frame f;
        while ((f = ex.take(5000)) != null) {
            assertTrue(f.sequence() > lastSeq, "always a newer frame");
            lastSeq = f.sequence();
            last = f.gray().pixels()[0] & 0xFF;
            taken++;
            // A consumer slower than the source by construction, not by scheduling: it takes the next frame only
            // after two more were published (the first of them must then be dropped), or the source has ended.
            long want = Math.min(3000, ex.published() + 2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ex.published() < want) {
                assertTrue(System.nanoTime() < deadline, "the source stalled at " + ex.published() + " frames");
                Thread.sleep(1);
            }
        }
        cap.join(5000);
        assertEquals(3000, ex.published());
        assertEquals(3000, taken + ex.dropped(), "every frame is either taken or counted as dropped");
        assertTrue(ex.dropped() > 0, "the slow consumer made the capture drop frames");
        assertEquals(2999 % 256, last, "the consumer ends on the newest frame");
    }

    @Test
    void realtimePacingPlaysFilesAtTheirFrameRate() throws Exception {
        FrameExchange ex = new FrameExchange(true);
        long t0 = System.nanoTime();
        Capture cap = new Capture(new SourceSpec.VideoFile(Path.of("x.mp4"), false),
                spec -> new CountingSource(11, false), ex, Backoff.DEFAULT, true, null).start();
        while (ex.take(5000) != null) {
            // drain
        }
        cap.join(5000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 390, "10 frame intervals of 40 ms took " + ms + " ms");
    }

    @Test
    void aFolderDeletedWhileLoopingIsRetriedWithBackoffNotInABusyLoop() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("tinyreid-capture");
        javax.imageio.ImageIO.write(TestPictures.solid(64, 48, TestPictures.RED), "png", dir.resolve("a.png").toFile());
        List<Capture.Status> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger opens = new AtomicInteger();
        SourceOpener counting = spec -> {
            opens.incrementAndGet();
            return SourceOpener.DEFAULT.open(spec);
        };
        FrameExchange ex = new FrameExchange(false);
        // as fast as taken (not realtime): without backoff nothing would slow a failing folder down
        Capture cap = new Capture(new SourceSpec.ImageFolder(dir, 50, true), counting, ex, new Backoff(100, 400), false,
                seen::add).start();
        try {
            assertNotNull(ex.take(5000));
            java.nio.file.Files.delete(dir.resolve("a.png"));
            java.nio.file.Files.delete(dir);
            while (ex.take(50) != null) {
                // drain what was captured before the folder went
            }
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long captureThread = captureThreadId();
            int opensBefore = opens.get();
            long cpuBefore = mx.getThreadCpuTime(captureThread);
            Thread.sleep(1500);
            long cpuMillis = (mx.getThreadCpuTime(captureThread) - cpuBefore) / 1_000_000;
            int reopened = opens.get() - opensBefore;
            // Backoff 100, 200, 400, 400 ms: about four attempts in 1.5 s, each a directory listing.
            assertTrue(reopened >= 2 && reopened <= 6, "attempts to reopen in 1.5 s: " + reopened);
            assertTrue(cpuMillis < 150, "the capture thread used " + cpuMillis + " ms of CPU in 1.5 s without a folder");
            Capture.Status retrying = cap.status();
            assertEquals(Capture.State.RETRYING, retrying.state(), retrying.line());
            assertTrue(retrying.message().startsWith("image folder not found: " + dir + "; retry "), retrying.message());

            java.nio.file.Files.createDirectory(dir);
            javax.imageio.ImageIO.write(TestPictures.solid(64, 48, TestPictures.BLUE), "png", dir.resolve("b.png").toFile());
            Frame f = null;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline && (f == null || TestPictures.maxDiff(TestPictures.BLUE, TestPictures.rgbAt(f, 5, 5)) != 0)) {
                f = ex.take(100);
            }
            assertNotNull(f, "frames flow again once the folder is back");
            assertEquals(0, TestPictures.maxDiff(TestPictures.BLUE, TestPictures.rgbAt(f, 5, 5)));
            assertTrue(seen.stream().anyMatch(s -> s.state() == Capture.State.LIVE && s.message().startsWith("recovered after")),
                    seen.toString());
        } finally {
            cap.close();
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path p : files.toList()) {
                    java.nio.file.Files.delete(p);
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // deleted by the test
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    private static long captureThreadId() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("capture") && t.isAlive())
                .mapToLong(Thread::threadId).max().orElseThrow();
    }
}
