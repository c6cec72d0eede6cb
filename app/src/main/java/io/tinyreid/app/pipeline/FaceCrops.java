package io.tinyreid.app.pipeline;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.vision.image.RgbImage;

/** Cuts a face with some context out of a frame and encodes it, for strangers and enrolment from the live view. */
public final class FaceCrops {
    private FaceCrops() {}

    /** Faces in stored photos are enlarged to at least this many pixels so detectors find them again. */
    static final int MIN_STORED_FACE = 100;

    /**
     * The box enlarged {@code context} times around its centre (clamped to the frame), scaled up by
     * a whole factor until the face is at least {@link #MIN_STORED_FACE} pixels, as a PNG with the
     * face's box inside it.
     */
    public static FacePhoto facePhoto(RgbImage frame, int x, int y, int w, int h, double context) {
        int cw = (int) Math.round(w * context);
        int ch = (int) Math.round(h * context);
        int cx = x + w / 2 - cw / 2;
        int cy = y + h / 2 - ch / 2;
        int x0 = Math.max(0, cx);
        int y0 = Math.max(0, cy);
        int x1 = Math.min(frame.width(), cx + cw);
        int y1 = Math.min(frame.height(), cy + ch);
        int scale = Math.max(1, (MIN_STORED_FACE + Math.min(w, h) - 1) / Math.min(w, h));
        int ow = (x1 - x0) * scale;
        int oh = (y1 - y0) * scale;
        BufferedImage img = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        byte[] r = frame.red();
        byte[] g = frame.green();
        byte[] b = frame.blue();
        for (int yy = 0; yy < oh; yy++) {
            int sy = y0 + yy / scale;
            for (int xx = 0; xx < ow; xx++) {
                int i = sy * frame.width() + x0 + xx / scale;
                img.setRGB(xx, yy, (r[i] & 0xFF) << 16 | (g[i] & 0xFF) << 8 | (b[i] & 0xFF));
            }
        }
        int fx = (x - x0) * scale;
        int fy = (y - y0) * scale;
        int fw = Math.min(w * scale, ow - Math.max(0, fx));
        int fh = Math.min(h * scale, oh - Math.max(0, fy));
        return new FacePhoto(png(img), new FaceBox(Math.max(0, fx), Math.max(0, fy), fw, fh, 0));
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        return encode(img, "png");
    }

    /** JPEG bytes of an image. */
    public static byte[] jpeg(BufferedImage img) {
        return encode(img, "jpg");
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IOException("no " + format + " encoder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
