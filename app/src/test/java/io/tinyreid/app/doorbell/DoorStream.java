package io.tinyreid.app.doorbell;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP MJPEG "doorbell camera" on loopback for tests: it loops over visits (photos held for a
 * while in front of a door) at 10 frames per second, forever.
 */
final class DoorStream implements AutoCloseable {
    private final HttpServer server;
    private final List<byte[]> frames = new ArrayList<>();

    DoorStream(List<DoorClips.Visit> visits, int gap) throws IOException {
        BufferedImage canvas = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (DoorClips.Visit v : visits) {
            for (int i = 0; i < gap; i++) {
                frames.add(jpeg(DoorClips.draw(canvas, null, 0)));
            }
            int k = 0;
            for (Path p : v.photos()) {
                BufferedImage face = ImageIO.read(p.toFile());
                for (int i = 0; i < v.framesEach(); i++) {
                    frames.add(jpeg(DoorClips.draw(canvas, face, k++)));
                }
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/door.mjpeg", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace;boundary=f");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (long n = 0; ; n++) {
                    byte[] j = frames.get((int) (n % frames.size()));
                    out.write(("--f\r\nContent-Type: image/jpeg\r\nContent-Length: " + j.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(j);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // viewer left or server stopping
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "door-stream");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/door.mjpeg";
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
