package io.tinyreid.app.source;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** An HTTP MJPEG camera that stalls, then drops the connection: the capture reports and recovers. */
class MjpegStreamTest {
    @Test
    void stalledAndDroppedStreamIsRetriedAndRecovers() throws Exception {
        byte[] jpeg = jpeg(TestPictures.solid(640, 480, TestPictures.GREEN));
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stream", exchange -> {
            int n = connections.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace;boundary=frame");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 15; i++) {
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(20);
                }
                if (n == 1) {
                    Thread.sleep(FfmpegSource.NETWORK_TIMEOUT_MICROS / 1000 + 2000); // stall past the timeout
                }
                // later connections just hang up: the camera "disappears"
            } catch (IOException | InterruptedException e) {
                // client gave up on the stalled stream: that is the point
            }
        });
        server.start();
        List<Capture.Status> seen = Collections.synchronizedList(new ArrayList<>());
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/stream";
        FrameExchange ex = new FrameExchange(false);
        try (Capture cap = new Capture(SourceSpec.parse(url, false), SourceOpener.DEFAULT, ex,
                new Backoff(100, 200), true, seen::add).start()) {
            int frames = 0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (connections.get() < 3 && System.nanoTime() < deadline) {
                Frame f = ex.take(1000);
                if (f != null) {
                    assertEquals(320, f.width());
                    assertEquals(240, f.height());
                    assertTrue(TestPictures.maxDiff(TestPictures.GREEN, TestPictures.rgbAt(f, 160, 120)) <= 12);
                    frames++;
                }
            }
            assertTrue(connections.get() >= 3, "reconnected after the stall and after the hang-up");
            assertTrue(frames >= 20, "frames from several connections, got " + frames);
            List<Capture.State> states = seen.stream().map(Capture.Status::state).toList();
            assertEquals(Capture.State.LIVE, states.get(0));
            assertTrue(states.contains(Capture.State.RETRYING), states.toString());
            assertTrue(seen.stream().anyMatch(s -> s.message().startsWith("recovered after")), seen.toString());
        } finally {
            server.stop(0);
        }
    }

    static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
