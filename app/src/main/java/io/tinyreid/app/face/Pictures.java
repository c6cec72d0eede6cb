package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.RgbImage;

/** Converts decoded photos (JDK images) to the vision module's planes. */
public final class Pictures {
    private Pictures() {}

    /** The photo's pixels as RGB planes. */
    public static RgbImage rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        RgbImage out = new RgbImage(w, h);
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return out.setFromGray(gray(img));
        }
        byte[] r = out.red();
        byte[] g = out.green();
        byte[] b = out.blue();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int i = y * w + x;
                r[i] = (byte) (p >> 16);
                g[i] = (byte) (p >> 8);
                b[i] = (byte) p;
            }
        }
        return out;
    }

    /** The photo as 8-bit gray (OpenCV's BT.601 weights for colour photos, the samples as is for gray ones). */
    public static GrayImage gray(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            return new GrayImage(img.getWidth(), img.getHeight(), data.clone());
        }
        return rgb(img).toGray(new GrayImage(img.getWidth(), img.getHeight()));
    }
}
