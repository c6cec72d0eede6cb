package io.tinyreid.app.doorbell;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import io.tinyreid.app.source.ClipWriter;
import io.tinyreid.testing.SharedData;

/** Doorbell clips made of real LFW photos: each visitor stands in front of the camera for a while. */
final class DoorClips {
    private DoorClips() {}

    /** The {@code n}-th photo (from 1, in name order) of {@code person} in the LFW dev set. */
    static Path lfw(String person, int n) throws IOException {
        Path dir = SharedData.require("data/lfw-dev/images/" + person);
        try (var files = java.nio.file.Files.list(dir)) {
            List<Path> sorted = files.sorted().toList();
            if (n < 1 || n > sorted.size()) {
                throw new IllegalArgumentException(person + " has " + sorted.size() + " photos, not " + n);
            }
            return sorted.get(n - 1);
        }
    }

    /** One visit: photos of one person, each held for {@code framesEach} frames. */
    record Visit(List<Path> photos, int framesEach) {}

    /**
     * Writes a 320x240 clip at 10 fps: before each visit {@code gap} empty frames (a door), then the
     * visitor's photos, 200 pixels tall, drifting slowly as a person would.
     */
    static void write(Path file, int gap, List<Visit> visits) throws IOException {
        try (ClipWriter out = new ClipWriter(file, 320, 240, 10)) {
            byte[] rgb = new byte[320 * 240 * 3];
            BufferedImage canvas = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            for (Visit v : visits) {
                for (int i = 0; i < gap; i++) {
                    draw(canvas, null, 0);
                    out.write(toRgb(canvas, rgb));
                }
                int k = 0;
                for (Path p : v.photos()) {
                    BufferedImage face = ImageIO.read(p.toFile());
                    for (int i = 0; i < v.framesEach(); i++) {
                        draw(canvas, face, k++);
                        out.write(toRgb(canvas, rgb));
                    }
                }
            }
            for (int i = 0; i < gap; i++) {
                draw(canvas, null, 0);
                out.write(toRgb(canvas, rgb));
            }
        }
    }

    /** Paints a door and, when given, a visitor's photo (drifting with {@code k}) onto the canvas. */
    static BufferedImage draw(BufferedImage canvas, BufferedImage face, int k) {
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(0x5a, 0x4a, 0x3c)); // a wooden door
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(0x6b, 0x58, 0x47));
        g.fillRect(40, 0, 240, 240);
        if (face != null) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(face, 60 + (k % 10), 20, 200, 200, null);
        }
        g.dispose();
        return canvas;
    }

    private static byte[] toRgb(BufferedImage img, byte[] rgb) {
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int c = img.getRGB(x, y);
                int o = (y * 320 + x) * 3;
                rgb[o] = (byte) (c >> 16);
                rgb[o + 1] = (byte) (c >> 8);
                rgb[o + 2] = (byte) c;
            }
        }
        return rgb;
    }
}
