package io.tinyreid.app.source;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Synthetic pictures whose content is known exactly, for checking what the sources deliver. */
final class TestPictures {
    private TestPictures() {}

    static final int[] RED = {230, 30, 30};
    static final int[] GREEN = {30, 200, 40};
    static final int[] BLUE = {30, 40, 220};
    static final int[] WHITE = {240, 240, 240};

    /**
     * Quadrants red | green over blue | white, with a black square (a tenth of the width) in the
     * bottom band whose left edge moves by {@code width / 40} per frame index.
     */
    static byte[] quadrants(int w, int h, int index) {
        byte[] rgb = new byte[w * h * 3];
        int side = w / 10;
        int sx = w / 16 + index * (w / 40);
        int sy = h - side - h / 40;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = y < h / 2 ? (x < w / 2 ? RED : GREEN) : (x < w / 2 ? BLUE : WHITE);
                boolean square = x >= sx && x < sx + side && y >= sy && y < sy + side;
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (square ? 0 : c[0]);
                rgb[o + 1] = (byte) (square ? 0 : c[1]);
                rgb[o + 2] = (byte) (square ? 0 : c[2]);
            }
        }
        return rgb;
    }

    /** Left edge of the black square in frame {@code index} of a picture {@code w} wide. */
    static int squareLeft(int w, int index) {
        return w / 16 + index * (w / 40);
    }

    static BufferedImage solid(int w, int h, int[] c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(c[0], c[1], c[2]));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static int[] rgbAt(Frame f, int x, int y) {
        int c = f.rgb().getRgb(x, y);
        return new int[] {c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF};
    }

    static int grayAt(Frame f, int x, int y) {
        return f.gray().get(x, y);
    }

    /** Independent luma: the floating-point BT.601 formula, rounded. */
    static int luma(int[] c) {
        return (int) Math.round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
    }

    static int maxDiff(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
