package io.tinyreid.app.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceEmbedder;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceFinder;
import io.tinyreid.app.face.FaceModel;

/**
 * A stand-in detector + network for store and gallery tests (never for the product): a photo is a
 * PNG whose centre square is painted in a colour, and the colour selects a descriptor registered
 * beforehand (e.g. a real FaceReID descriptor from ../shared). A white photo has no face; a photo
 * with two squares has two faces. The real detector and networks are tested with real photos.
 */
public final class ColourCodedEngine {
    private final FaceModel model;
    private final Map<Integer, Descriptor> byColour = new HashMap<>();
    private final AtomicInteger embedCalls = new AtomicInteger();

    public ColourCodedEngine(FaceModel model) {
        this.model = model;
    }

    /** Registers {@code d} for faces painted in {@code rgb}. */
    public ColourCodedEngine register(int rgb, Descriptor d) {
        byColour.put(rgb & 0xffffff, d);
        return this;
    }

    /** How many descriptors were computed. */
    public int embedCalls() {
        return embedCalls.get();
    }

    public FaceEngine engine() {
        FaceFinder finder = photo -> {
            int w = photo.getWidth();
            int h = photo.getHeight();
            int bg = photo.getRGB(w - 1, h - 1) & 0xffffff;
            int centre = photo.getRGB(w / 2, h / 2) & 0xffffff;
            if (centre == bg) {
                return List.of();
            }
            int side = Math.min(w, h) / 2;
            FaceBox main = new FaceBox(w / 2 - side / 2, h / 2 - side / 2, side, side, 3.0);
            int corner = photo.getRGB(w / 10, h / 10) & 0xffffff;
            if (corner != bg) {
                return List.of(main, new FaceBox(0, 0, side, side, 2.0));
            }
            return List.of(main);
        };
        FaceEmbedder embedder = new FaceEmbedder() {
            @Override
            public FaceModel model() {
                return model;
            }

            @Override
            public Descriptor embed(BufferedImage photo, FaceBox box) {
                embedCalls.incrementAndGet();
                int rgb = photo.getRGB(box.x() + box.width() / 2, box.y() + box.height() / 2) & 0xffffff;
                Descriptor d = byColour.get(rgb);
                if (d == null) {
                    throw new IllegalStateException("no descriptor registered for colour " + Integer.toHexString(rgb));
                }
                return d;
            }
        };
        return new FaceEngine(finder, embedder);
    }

    /** A PNG photo of {@code w}x{@code h} with one face painted in {@code rgb}. */
    public static byte[] photo(int rgb, int w, int h) {
        return png(w, h, rgb, false);
    }

    /** A PNG photo with no face. */
    public static byte[] noFace(int w, int h) {
        return png(w, h, -1, false);
    }

    /** A PNG with several faces of similar size. */
    public static byte[] group(int rgb, int w, int h) {
        return png(w, h, rgb, true);
    }

    private static byte[] png(int w, int h, int rgb, boolean group) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        if (rgb >= 0) {
            g.setColor(new Color(rgb));
            int side = Math.min(w, h) / 2;
            g.fillRect(w / 2 - side / 2 - 2, h / 2 - side / 2 - 2, side + 4, side + 4);
            if (group) {
                g.fillRect(0, 0, w / 5 + 2, h / 5 + 2);
            }
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
