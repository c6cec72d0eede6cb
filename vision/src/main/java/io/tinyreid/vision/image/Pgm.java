package io.tinyreid.vision.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Our own reader and writer for PGM (P5 binary and P2 text, 8 or 16 bits), the format of ORL and the device checks. */
public final class Pgm {
    private Pgm() {}

    /** True when the bytes start like a PGM file. */
    public static boolean looksLikePgm(byte[] data, int length) {
        return length >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '2');
    }

    /** Decodes a PGM held in {@code data[0..length)} into {@code dst}; 16-bit samples are scaled to 8 bits. */
    public static GrayImage decode(byte[] data, int length, ImageLimits limits, GrayImage dst, String what)
            throws ImageDecodeException {
        Cursor c = new Cursor(data, length, what);
        Header hd = header(c);
        boolean binary = data[1] == '5';
        long w = hd.width();
        long h = hd.height();
        long maxval = hd.maxval();
        limits.checkDimensions(w, h, what);
        int width = (int) w;
        int height = (int) h;
        int n = width * height;
        if (dst == null) {
            dst = new GrayImage(width, height);
        } else {
            dst.reshape(width, height);
        }
        byte[] p = dst.pixels();
        if (binary) {
            c.pos++; // exactly one whitespace byte after maxval
            int bps = maxval > 255 ? 2 : 1;
            long need = (long) n * bps;
            if (c.pos + need > length) {
                throw new ImageDecodeException(what + ": truncated PGM: " + width + "x" + height
                        + " needs " + need + " pixel bytes, file has " + Math.max(0, length - c.pos));
            }
            if (bps == 1 && maxval == 255) {
                System.arraycopy(data, c.pos, p, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    int v = bps == 1 ? data[c.pos + i] & 0xFF
                            : (data[c.pos + 2 * i] & 0xFF) << 8 | (data[c.pos + 2 * i + 1] & 0xFF);
                    p[i] = (byte) scale(v, maxval);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                long v = c.textInt("pixel " + i);
                if (v > maxval) {
                    throw new ImageDecodeException(what + ": PGM pixel " + i + " = " + v + " exceeds maxval " + maxval);
                }
                p[i] = (byte) scale((int) v, maxval);
            }
        }
        return dst;
    }

    /** The size fields of a PGM header. */
    record Header(long width, long height, long maxval) {}

    /** Parses only the header (for probing). */
    static Header header(byte[] data, int length, String what) throws ImageDecodeException {
        return header(new Cursor(data, length, what));
    }

    private static Header header(Cursor c) throws ImageDecodeException {
        if (!looksLikePgm(c.d, c.len)) {
            throw new ImageDecodeException(c.what + ": not a PGM file (no P5/P2 magic)");
        }
        return sizes(c);
    }

    /** Width, height and maxval after the two magic bytes (shared with {@link Ppm}). */
    static Header sizes(Cursor c) throws ImageDecodeException {
        c.pos = 2;
        long w = c.headerInt("width");
        long h = c.headerInt("height");
        long maxval = c.headerInt("maxval");
        if (maxval < 1 || maxval > 65535) {
            throw new ImageDecodeException(c.what + ": " + c.kind + " maxval " + maxval + " is outside 1..65535");
        }
        return new Header(w, h, maxval);
    }

    static int scale(int v, long maxval) {
        return maxval == 255 ? v : (int) ((v * 255L + maxval / 2) / maxval);
    }

    /** Writes a P5 PGM. */
    public static void write(GrayImage img, OutputStream out) throws IOException {
        out.write(("P5\n" + img.width() + " " + img.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        out.write(img.pixels(), 0, img.width() * img.height());
    }

    /** Writes a P5 PGM file. */
    public static void write(GrayImage img, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.width() * img.height() + 32);
        write(img, bytes);
        Files.write(file, bytes.toByteArray());
    }

    /** Reads the text parts of a PGM or PPM file. */
    static final class Cursor {
        final byte[] d;
        final int len;
        final String what;
        final String kind;
        int pos;

        Cursor(byte[] d, int len, String what) {
            this(d, len, what, "PGM");
        }

        Cursor(byte[] d, int len, String what, String kind) {
            this.d = d;
            this.len = len;
            this.what = what;
            this.kind = kind;
        }

        long headerInt(String field) throws ImageDecodeException {
            return textInt("header field " + field);
        }

        long textInt(String field) throws ImageDecodeException {
            while (pos < len) {
                int ch = d[pos];
                if (ch == '#') {
                    while (pos < len && d[pos] != '\n' && d[pos] != '\r') pos++;
                } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == 0x0B) {
                    pos++;
                } else {
                    break;
                }
            }
            if (pos >= len) {
                throw new ImageDecodeException(what + ": truncated " + kind + ": file ends before " + field);
            }
            long v = 0;
            int digits = 0;
            while (pos < len && d[pos] >= '0' && d[pos] <= '9') {
                v = v * 10 + (d[pos] - '0');
                pos++;
                if (++digits > 9) {
                    throw new ImageDecodeException(what + ": " + kind + " " + field + " has too many digits");
                }
            }
            if (digits == 0) {
                throw new ImageDecodeException(what + ": " + kind + " " + field + " is not a number (byte 0x"
                        + Integer.toHexString(d[pos] & 0xFF) + " at offset " + pos + ")");
            }
            return v;
        }
    }
}
