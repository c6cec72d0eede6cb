package io.tinyreid.app.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

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
 */
final class LiveEncoder {
    /** An encoded frame with its faces as JSON. */
    record Encoded(long sequence, byte[] jpeg, String facesJson) {}

    private final LiveView view;
    private final LiveView.Snapshot snapshot = new LiveView.Snapshot();
    private final Annotator annotator = new Annotator(2);
    private Encoded latest = new Encoded(0, null, "[]");

    LiveEncoder(LiveView view) {
        this.view = view;
    }

    /** The newest frame after {@code afterSequence}, waiting up to {@code timeoutMillis}; null on time-out. */
    synchronized Encoded newer(long afterSequence, long timeoutMillis) throws InterruptedException, IOException {
        if (latest.jpeg() != null && latest.sequence() > afterSequence && latest.sequence() == view.sequence()) {
            return latest;
        }
        if (!view.copyNewer(afterSequence, timeoutMillis, snapshot)) {
            return latest.jpeg() != null && latest.sequence() > afterSequence ? latest : null;
        }
        latest = new Encoded(snapshot.sequence, jpeg(), facesJson());
        return latest;
    }

    /** The newest encoded frame without waiting (null before the first). */
    synchronized Encoded latest() throws InterruptedException, IOException {
        Encoded e = newer(latest.sequence() > 0 ? latest.sequence() - 1 : 0, 0);
        return e != null ? e : (latest.jpeg() != null ? latest : null);
    }

    private byte[] jpeg() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 * 1024);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.8f);
            writer.write(null, new IIOImage(annotator.render(snapshot), null, null), p);
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
