package io.tinyreid.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/** Test inputs: binary PGM files and LFW JPEGs turned into network-sized grey planes (values 0..255). */
public final class TestImages {
    private TestImages() {}

    /** Reads a binary (P5) 8-bit PGM, comments allowed; returns {width, height} in {@code size}. */
    public static int[] readPgm(Path file, int[] size) {
        try {
            byte[] b = Files.readAllBytes(file);
            int[] pos = {0};
            String magic = token(b, pos);
            if (!magic.equals("P5")) {
                throw new IllegalArgumentException(file + ": not a binary PGM");
            }
            int w = Integer.parseInt(token(b, pos));
            int h = Integer.parseInt(token(b, pos));
            int max = Integer.parseInt(token(b, pos));
            if (max > 255) {
                throw new IllegalArgumentException(file + ": 16-bit PGM");
            }
            int start = pos[0] + 1;
            int[] px = new int[w * h];
            for (int i = 0; i < px.length; i++) {
                px[i] = b[start + i] & 0xff;
            }
            size[0] = w;
            size[1] = h;
            return px;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(byte[] b, int[] pos) {
        int i = pos[0];
        while (true) {
            while (Character.isWhitespace(b[i])) {
                i++;
            }
            if (b[i] == '#') {
                while (b[i] != '\n') {
                    i++;
                }
            } else {
                break;
            }
        }
        int s = i;
        while (!Character.isWhitespace(b[i])) {
            i++;
        }
        pos[0] = i;
        return new String(b, s, i - s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A 128x128 PGM as floats 0..255. */
    public static float[] pgm128(Path file) {
        int[] size = new int[2];
        int[] px = readPgm(file, size);
        if (size[0] != 128 || size[1] != 128) {
            throw new IllegalArgumentException(file + " is " + size[0] + "x" + size[1] + ", expected 128x128");
        }
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            f[i] = px[i];
        }
        return f;
    }

    /** Any image ImageIO reads, converted to grey and area-resized to {@code n x n}, values 0..255 (rounded). */
    public static float[] grayResized(Path file, int n) {
        return grayCentreCrop(file, Integer.MAX_VALUE, n);
    }

    /**
     * The centred {@code crop x crop} square of an image (the whole image when larger), grey, area-resized
     * to {@code n x n}. On LFW's 250x250 deep-funneled images a 120-pixel crop is roughly the face box.
     */
    public static float[] grayCentreCrop(Path file, int crop, int n) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int w = Math.min(crop, img.getWidth());
        int h = Math.min(crop, img.getHeight());
        int left = (img.getWidth() - w) / 2;
        int top = (img.getHeight() - h) / 2;
        double[] g = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(left + x, top + y);
                g[y * w + x] = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
            }
        }
        float[] out = new float[n * n];
        for (int oy = 0; oy < n; oy++) {
            double y0 = (double) oy * h / n;
            double y1 = (double) (oy + 1) * h / n;
            for (int ox = 0; ox < n; ox++) {
                double x0 = (double) ox * w / n;
                double x1 = (double) (ox + 1) * w / n;
                double sum = 0;
                double area = 0;
                for (int y = (int) y0; y < Math.min(h, Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(w, Math.ceil(x1)); x++) {
                        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                        sum += g[y * w + x] * wx * wy;
                        area += wx * wy;
                    }
                }
                out[oy * n + ox] = Math.round(sum / area);
            }
        }
        return out;
    }

    /** The first {@code count} LFW dev images in sorted order (one per person first, for variety). */
    public static List<Path> lfwFaces(int count) {
        Path root = SharedData.require("data/lfw-dev/images");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.sorted().toList()) {
                try (Stream<Path> imgs = Files.list(person)) {
                    imgs.sorted().findFirst().ifPresent(out::add);
                }
                if (out.size() == count) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Little-endian int16 values of a binary file (device descriptors). */
    public static short[] readInt16(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            short[] s = new short[b.length / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image's pixels as interleaved R, G, B bytes, row by row. */
    public static byte[] rgbBytes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return rgb;
    }

    /** Cosine similarity. */
    public static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
