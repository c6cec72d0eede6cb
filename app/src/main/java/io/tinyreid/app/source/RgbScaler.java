package io.tinyreid.app.source;

import java.awt.image.BufferedImage;

/** Area-average shrinking of a decoded picture into a {@link Frame}. */
final class RgbScaler {
    private RgbScaler() {}

    /** Resizes {@code img} to {@code w x h} by averaging the source pixels each target pixel covers. */
    static void areaResize(BufferedImage img, int w, int h, Frame into) {
        int sw = img.getWidth();
        int sh = img.getHeight();
        int[] src = img.getRGB(0, 0, sw, sh, null, 0, sw);
        into.resize(w, h);
        byte[] rr = into.rgb().red();
        byte[] gg = into.rgb().green();
        byte[] bb = into.rgb().blue();
        for (int y = 0; y < h; y++) {
            int y0 = (int) ((long) y * sh / h);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * sh / h));
            for (int x = 0; x < w; x++) {
                int x0 = (int) ((long) x * sw / w);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * sw / w));
                long r = 0;
                long g = 0;
                long b = 0;
                for (int yy = y0; yy < y1; yy++) {
                    int base = yy * sw;
                    for (int xx = x0; xx < x1; xx++) {
                        int p = src[base + xx];
                        r += (p >>> 16) & 0xFF;
                        g += (p >>> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                int o = y * w + x;
                rr[o] = (byte) ((r + n / 2) / n);
                gg[o] = (byte) ((g + n / 2) / n);
                bb[o] = (byte) ((b + n / 2) / n);
            }
        }
        into.grayFromRgb();
    }
}
