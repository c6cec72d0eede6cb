package io.tinyreid.vision.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Encodes planes to PNG or JPEG through ImageIO (for annotated frames, snapshots, the web view). */
public final class ImageEncoder {
    private ImageEncoder() {}

    /** An RGB BufferedImage copy of the planes. */
    public static BufferedImage toBufferedImage(RgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        int w = img.width();
        int[] row = new int[w];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < w; x++) {
                row[x] = img.getRgb(x, y);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** A gray BufferedImage copy of the plane. */
    public static BufferedImage toBufferedImage(GrayImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        out.getRaster().setDataElements(0, 0, img.width(), img.height(), java.util.Arrays.copyOf(img.pixels(), img.width() * img.height()));
        return out;
    }

    /** Writes an RGB image as PNG or JPEG ("png", "jpg"). */
    public static void write(RgbImage img, String format, OutputStream out) throws IOException {
        if (!ImageIO.write(toBufferedImage(img), format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
    }

    /** Writes a gray image as PNG or JPEG. */
    public static void write(GrayImage img, String format, OutputStream out) throws IOException {
        if (!ImageIO.write(toBufferedImage(img), format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
    }

    /** Writes an RGB image to a file; the format comes from the extension (.png, .jpg, .jpeg). */
    public static void write(RgbImage img, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(img, formatOf(file), out);
        }
    }

    /** Writes a gray image to a file; the format comes from the extension (.png, .jpg, .jpeg, .pgm). */
    public static void write(GrayImage img, Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pgm")) {
            Pgm.write(img, file);
            return;
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(img, formatOf(file), out);
        }
    }

    private static String formatOf(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".png")) return "png";
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "jpg";
        throw new IllegalArgumentException(file + ": unknown image extension (use .png or .jpg)");
    }
}
