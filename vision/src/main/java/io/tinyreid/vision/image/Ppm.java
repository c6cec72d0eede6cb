package io.tinyreid.vision.image;

/** Our own reader for PPM (P6 binary and P3 text, 8 or 16 bits per sample), the colour sibling of {@link Pgm}. */
public final class Ppm {
    private Ppm() {}

    /** True when the bytes start like a PPM file. */
    public static boolean looksLikePpm(byte[] data, int length) {
        return length >= 2 && data[0] == 'P' && (data[1] == '6' || data[1] == '3');
    }

    /** Decodes a PPM held in {@code data[0..length)} into {@code dst} (null allocates); 16-bit samples are scaled to 8 bits. */
    public static RgbImage decode(byte[] data, int length, ImageLimits limits, RgbImage dst, String what)
            throws ImageDecodeException {
        if (!looksLikePpm(data, length)) {
            throw new ImageDecodeException(what + ": not a PPM file (no P6/P3 magic)");
        }
        Pgm.Cursor c = new Pgm.Cursor(data, length, what, "PPM");
        Pgm.Header hd = Pgm.sizes(c);
        limits.checkDimensions(hd.width(), hd.height(), what);
        int width = (int) hd.width();
        int height = (int) hd.height();
        long maxval = hd.maxval();
        int n = width * height;
        dst = dst == null ? new RgbImage(width, height) : dst.reshape(width, height);
        byte[][] planes = {dst.red(), dst.green(), dst.blue()};
        if (data[1] == '6') {
            c.pos++; // exactly one whitespace byte after maxval
            int bps = maxval > 255 ? 2 : 1;
            long need = 3L * n * bps;
            if (c.pos + need > length) {
                throw new ImageDecodeException(what + ": truncated PPM: " + width + "x" + height
                        + " needs " + need + " pixel bytes, file has " + Math.max(0, length - c.pos));
            }
            for (int i = 0; i < 3 * n; i++) {
                int v = bps == 1 ? data[c.pos + i] & 0xFF
                        : (data[c.pos + 2 * i] & 0xFF) << 8 | (data[c.pos + 2 * i + 1] & 0xFF);
                planes[i % 3][i / 3] = (byte) Pgm.scale(v, maxval);
            }
        } else {
            for (int i = 0; i < 3 * n; i++) {
                long v = c.textInt("sample " + i);
                if (v > maxval) {
                    throw new ImageDecodeException(what + ": PPM sample " + i + " = " + v + " exceeds maxval " + maxval);
                }
                planes[i % 3][i / 3] = (byte) Pgm.scale((int) v, maxval);
            }
        }
        return dst;
    }
}
