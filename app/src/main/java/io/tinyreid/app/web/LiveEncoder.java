package io.tinyreid.app.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Semaphore;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.tinyreid.app.display.Annotator;
import io.tinyreid.app.display.Scores;
import io.tinyreid.app.json.JsonString;
import io.tinyreid.app.pipeline.LiveView;

/**
 * Turns the live view into what browsers fetch: an annotated JPEG and a JSON list of the faces on
 * it. One encoding per published frame is shared by every viewer; viewers ask for "a frame newer
 * than the one I have" and wait for it, so nothing queues and a slow phone just sees fewer frames.
 *
 * <p>A dead camera publishes nothing, so viewers wait: they wait holding no lock (only the short
 * copy-and-encode is serialised), for at most {@link #MAX_WAIT_MILLIS}, and at most
 * {@link #MAX_WAITERS} at a time; the next viewer gets a "busy, retry" answer at once instead of
 * a server thread.
 */
final class LiveEncoder {
    /** An encoded frame with its faces as JSON. */
    record Encoded(long sequence, byte[] jpeg, String facesJson) {}

    /** Most requests waiting for a frame at once (live pages, streams between frames). */
    static final int MAX_WAITERS = 16;
    /** Longest a request waits for a frame. */
    static final long MAX_WAIT_MILLIS = 5000;

    private final LiveView view;
    private final LiveView.Snapshot snapshot = new LiveView.Snapshot();
    private final Annotator annotator = new Annotator(2);
    private final Semaphore waiters = new Semaphore(MAX_WAITERS);
    private final Object encoding = new Object();
    private volatile Encoded latest = new Encoded(0, null, "[]");
    private volatile byte[] waiting;

    LiveEncoder(LiveView view) {
        this.view = view;
    }

    /**
     * The newest frame after {@code afterSequence}, waiting up to {@code timeoutMillis} (capped);
     * null on time-out.
     *
     * @throws UserError 503 when {@link #MAX_WAITERS} requests are already waiting
     */
    Encoded newer(long afterSequence, long timeoutMillis) throws InterruptedException, IOException {
        Encoded e = encoded(afterSequence);
        if (e != null || timeoutMillis <= 0) {
            return e;
        }
        if (!waiters.tryAcquire()) {
            throw new UserError(503, "Too many viewers are waiting for the camera; retrying shortly.", 1);
        }
        boolean arrived;
        try {
            arrived = view.awaitNewer(afterSequence, Math.min(timeoutMillis, MAX_WAIT_MILLIS));
        } finally {
            waiters.release();
        }
        return arrived ? encoded(afterSequence) : null;
    }

    /** The newest encoded frame without waiting (null before the first). */
    Encoded latest() throws IOException {
        return encoded(-1);
    }

    /** The newest frame encoded (encoding the published one first if needed) when newer than {@code after}. */
    private Encoded encoded(long after) throws IOException {
        synchronized (encoding) { // never waits for the camera: one copy and one JPEG at most
            if (view.sequence() > latest.sequence()) {
                try {
                    if (view.copyNewer(latest.sequence(), 0, snapshot)) {
                        latest = new Encoded(snapshot.sequence, jpeg(), facesJson());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a zero time-out does not wait; keep the old frame
                }
            }
            Encoded l = latest;
            return l.jpeg() != null && l.sequence() > after ? l : null;
        }
    }

    /** A "waiting for the camera" picture, sent to stream viewers while no frame comes (so a gone viewer is noticed). */
    byte[] waitingJpeg() throws IOException {
        byte[] w = waiting;
        if (w == null) {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setColor(new Color(0x22, 0x26, 0x2b));
                g.fillRect(0, 0, img.getWidth(), img.getHeight());
                g.setColor(new Color(0xcc, 0xcc, 0xcc));
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.drawString("Waiting for the camera...", 80, 124);
            } finally {
                g.dispose();
            }
            waiting = w = encode(img);
        }
        return w;
    }

    private byte[] jpeg() throws IOException {
        return encode(annotator.render(snapshot));
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 * 1024);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.8f);
            writer.write(null, new IIOImage(image, null, null), p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private String facesJson() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < snapshot.count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"track\":").append(snapshot.track[i])
                    .append(",\"x\":").append(snapshot.x[i]).append(",\"y\":").append(snapshot.y[i])
                    .append(",\"w\":").append(snapshot.w[i]).append(",\"h\":").append(snapshot.h[i])
                    .append(",\"kind\":\"").append(snapshot.kind[i].name().toLowerCase(Locale.ROOT)).append('"')
                    .append(",\"label\":").append(JsonString.quote(Annotator.tag(snapshot, i)))
                    .append(",\"name\":").append(JsonString.quote(snapshot.label[i]))
                    .append(",\"score\":").append(JsonString.quote(Scores.format(snapshot.distance[i])))
                    .append('}');
        }
        return sb.append(']').toString();
    }
}
