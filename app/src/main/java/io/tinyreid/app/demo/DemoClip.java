package io.tinyreid.app.demo;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.tinyreid.app.source.ClipWriter;

/**
 * Writes the demo's doorbell clip: a front door seen from the bell; each visitor walks up (their
 * portrait grows and drifts a little), waits, and leaves; then the next one.
 */
public final class DemoClip {
    static final int FPS = 10;
    static final int WIDTH = 320;
    static final int HEIGHT = 240;

    private DemoClip() {}

    /** Writes one round of visits to {@code file}; returns the number of frames. */
    public static int write(Path file, List<DemoCast.Visitor> visitors) throws IOException {
        int frames = 0;
        BufferedImage canvas = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        byte[] rgb = new byte[WIDTH * HEIGHT * 3];
        try (ClipWriter out = new ClipWriter(file, WIDTH, HEIGHT, FPS)) {
            for (DemoCast.Visitor v : visitors) {
                int visit = 4 * FPS;
                for (int i = 0; i < FPS; i++, frames++) {
                    out.write(pixels(draw(canvas, null, 0), rgb));
                }
                for (int i = 0; i < visit; i++, frames++) {
                    out.write(pixels(draw(canvas, v.portrait(), (double) i / visit), rgb));
                }
            }
            for (int i = 0; i < FPS; i++, frames++) {
                out.write(pixels(draw(canvas, null, 0), rgb));
            }
        }
        return frames;
    }

    /** The door, and the visitor at {@code t} (0..1) of their visit. */
    static BufferedImage draw(BufferedImage canvas, BufferedImage portrait, double t) {
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setPaint(new GradientPaint(0, 0, new Color(0xd9, 0xd4, 0xc8), 0, HEIGHT, new Color(0xb8, 0xb0, 0xa0)));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(new Color(0x6b, 0x4a, 0x2f));
        g.fillRect(70, 10, 180, 230);
        g.setColor(new Color(0x55, 0x3a, 0x24));
        g.fillRect(85, 25, 65, 90);
        g.fillRect(170, 25, 65, 90);
        g.fillRect(85, 130, 65, 100);
        g.fillRect(170, 130, 65, 100);
        g.setColor(new Color(0xc9, 0xa2, 0x27));
        g.fillOval(228, 120, 10, 10);
        if (portrait != null) {
            // walk up during the first third, stand, then sway a little
            double approach = Math.min(1, t * 3);
            int size = (int) (130 + 70 * approach);
            int x = (WIDTH - size) / 2 + (int) (12 * Math.sin(t * Math.PI * 2));
            int y = HEIGHT - size - 10 + (int) (4 * Math.sin(t * Math.PI * 4));
            g.drawImage(portrait, x, y, size, size, null);
        }
        g.dispose();
        return canvas;
    }

    private static byte[] pixels(BufferedImage img, byte[] rgb) {
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int c = img.getRGB(x, y);
                int o = (y * WIDTH + x) * 3;
                rgb[o] = (byte) (c >> 16);
                rgb[o + 1] = (byte) (c >> 8);
                rgb[o + 2] = (byte) c;
            }
        }
        return rgb;
    }
}
