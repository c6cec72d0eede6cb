package io.tinyreid.app.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTSP, the usual doorbell camera's protocol, against a real RTSP server on loopback (Debian's
 * GStreamer RTSP server, {@code rtsp_camera.py}): frames arrive in the camera's colour; the server is
 * killed mid-stream (a camera rebooting), the capture reports it and retries with backoff, and when
 * the server is back (another colour, so the frames are certainly new) the capture says it recovered.
 */
class RtspCameraTest {
    static final int[] GREEN = {0x20, 0xC0, 0x40};
    static final int[] BLUE = {0x30, 0x40, 0xE0};
    /** Debian's python, where python3-gi lives (a pyenv or venv python3 on the PATH lacks it). */
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void anRtspCameraIsWatchedAndAServerRestartIsRetriedAndReported() throws Exception {
        Path script = dir.resolve("rtsp_camera.py");
        try (InputStream in = RtspCameraTest.class.getResourceAsStream("rtsp_camera.py")) {
            Files.copy(in, script);
        }
        requireGstreamer(script);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<Capture.Status> seen = Collections.synchronizedList(new ArrayList<>());
        FrameExchange ex = new FrameExchange(false);
        Process camera = start(script, port, "20C040");
        Process again = null;
        try (Capture cap = new Capture(SourceSpec.parse("rtsp://127.0.0.1:" + port + "/door", false), SourceOpener.DEFAULT, ex,
                new Backoff(200, 1000), true, seen::add).start()) {
            assertTrue(framesOf(ex, GREEN, 5), "green frames from the camera: " + seen);
            assertEquals(Capture.State.LIVE, cap.status().state(), seen.toString());

            camera.destroy(); // the camera reboots
            assertTrue(camera.waitFor(30, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (seen.stream().noneMatch(s -> s.state() == Capture.State.RETRYING)) {
                assertTrue(System.nanoTime() < deadline, "the lost camera is reported: " + seen);
                ex.take(200);
            }
            Capture.Status retrying = seen.stream().filter(s -> s.state() == Capture.State.RETRYING).findFirst().orElseThrow();
            assertTrue(retrying.message().contains("; retry 1 in "), retrying.message());

            again = start(script, port, "3040E0");
            assertTrue(framesOf(ex, BLUE, 5), "frames from the restarted camera: " + seen);
            assertTrue(seen.stream().anyMatch(s -> s.state() == Capture.State.LIVE && s.message().startsWith("recovered after")),
                    seen.toString());
            assertEquals(Capture.State.LIVE, cap.status().state());
        } finally {
            camera.destroyForcibly();
            if (again != null) {
                again.destroyForcibly();
            }
        }
    }

    /** True once {@code count} frames of colour {@code c} arrived (other frames are skipped), within a minute. */
    private static boolean framesOf(FrameExchange ex, int[] c, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int matching = 0;
        while (matching < count && System.nanoTime() < deadline) {
            Frame f = ex.take(500);
            if (f != null && TestPictures.maxDiff(c, TestPictures.rgbAt(f, f.width() / 2, f.height() / 2)) <= 16) {
                matching++;
            }
        }
        return matching >= count;
    }

    private static Process start(Path script, int port, String colour) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port), colour)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // "ready" once it listens (the script flushes it), or why not
        assertEquals("ready", line, "the RTSP server did not start");
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (out.readLine() != null) {
                    // drain, so a chatty server never blocks on a full pipe
                }
            } catch (IOException ignored) {
                // the server was stopped
            }
        });
        return p;
    }

    /** The server needs python3-gi and GStreamer's RTSP server: skip without them, fail in CI. */
    private static void requireGstreamer(Path script) throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0');"
                + " from gi.repository import GstRtspServer").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            String msg = "RTSP test needs Debian's GStreamer RTSP server for python3 (scripts/setup.d/45-rtsp-server.sh "
                    + "installs it as root): " + out.strip();
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }
}
