package io.tinyreid.app.web;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.javalin.config.JavalinConfig;
import io.tinyreid.app.pipeline.LiveView;

/**
 * A camera that never delivers a frame (unplugged, dead stream) and viewers who ask for the live
 * view and walk away: the rest of the UI must keep answering.
 */
class DeadCameraTest {
    static final String[] LIVE_PATHS = {"/live/frame.jpg?after=0", "/api/live", "/live/stream.mjpeg"};

    @TempDir
    Path dir;
    WebServer server;
    final List<Socket> abandoned = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        LiveView neverPublished = new LiveView();
        server = new WebServer(new AdminPassword(dir.resolve("admin-password"), 1000), new WebServer.Backend() {
            @Override public LiveView liveView() { return neverPublished; }

            @Override public String statusLine() { return "camera: no frames"; }

            @Override public void registerPages(JavalinConfig config, Pages pages) {}
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : abandoned) {
            s.close();
        }
        server.close();
    }

    @Test
    void fiveHundredAbandonedLiveRequestsLeaveLoginAnswering() throws Exception {
        WebClient admin = WebClient.admin(server, "correct horse");
        for (int i = 0; i < 500; i++) {
            // Sent and never read: the client has gone away as far as the server can tell.
            Socket s = new Socket("127.0.0.1", server.port());
            abandoned.add(s);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + LIVE_PATHS[i % LIVE_PATHS.length] + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nCookie: " + admin.cookie + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        Thread.sleep(1000); // let the server pick them all up

        // The machine is shared and busy: the best of three tries must be fast. A stuck server
        // (every thread waiting for the camera) makes all three slow.
        long loginMillis = Long.MAX_VALUE;
        for (int i = 0; i < 3 && loginMillis >= 1000; i++) {
            WebClient visitor = new WebClient(server.port());
            visitor.timeout = java.time.Duration.ofSeconds(5);
            long t0 = System.nanoTime();
            try {
                assertEquals(200, visitor.get("/login").statusCode());
            } catch (java.net.http.HttpTimeoutException e) {
                // counted as slow below
            }
            loginMillis = Math.min(loginMillis, (System.nanoTime() - t0) / 1_000_000);
        }
        assertTrue(loginMillis < 1000, "GET /login took " + loginMillis + " ms with 500 abandoned live requests");

        long t0;
        admin.timeout = java.time.Duration.ofSeconds(5);
        t0 = System.nanoTime();
        HttpResponse<String> live = admin.get("/api/live");
        long liveMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("\"faces\":[]"), live.body());
        assertTrue(liveMillis < 1000, "GET /api/live took " + liveMillis + " ms: it must never wait for the camera");

        HttpResponse<String> frame = admin.get("/live/frame.jpg?after=0");
        assertTrue(frame.statusCode() == 204 || frame.statusCode() == 503, "no frame: nothing or busy, got "
                + frame.statusCode());
        if (frame.statusCode() == 503) {
            assertTrue(frame.headers().firstValue("Retry-After").isPresent(), "busy answers say when to retry");
        }
    }
}
