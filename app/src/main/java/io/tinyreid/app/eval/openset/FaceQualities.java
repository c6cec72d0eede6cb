package io.tinyreid.app.eval.openset;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tinyreid.app.eval.Progress;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceFinder;
import io.tinyreid.app.face.Pictures;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoException;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.app.quality.FaceQuality;
import io.tinyreid.app.quality.QualityGate;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.Resize;

/**
 * The quality measures of every image of a {@link FaceSet}, on the crop FaceReID sees (the largest
 * detected face's box made square, bilinear to 128x128; LFW's centred square without a detection):
 * face side in pixels, {@link FaceQuality#sharpness} and {@link FaceQuality#asymmetry}. Kept in a
 * file between runs (one line per image, keyed by file), like the descriptors.
 */
public record FaceQualities(int[] side, double[] sharpness, double[] asymmetry) {
    private static final int SIDE = 128;
    private static final double CENTRED_FRACTION = 0.44;

    /** True when image {@code i} passes {@code gate}. */
    public boolean passes(int i, QualityGate gate) {
        return gate.passes(side[i], sharpness[i], asymmetry[i]);
    }

    /** Measures every image of {@code set} under {@code dir} (cached in {@code cacheFile} when not null). */
    public static FaceQualities measure(FaceSet set, Path dir, FaceFinder finder, Path cacheFile, PrintStream log)
            throws IOException {
        Map<String, double[]> cached = read(cacheFile);
        int n = set.size();
        int[] side = new int[n];
        double[] sharp = new double[n];
        double[] asym = new double[n];
        int todo = 0;
        for (String f : set.files()) {
            todo += cached.containsKey(f) ? 0 : 1;
        }
        Progress progress = new Progress(log, "measuring face quality", todo);
        PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.DEFAULT);
        GrayImage crop = new GrayImage(SIDE, SIDE);
        GrayImage scaled = new GrayImage(SIDE, SIDE);
        List<String> fresh = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < n; i++) {
            String rel = set.files().get(i);
            double[] q = cached.get(rel);
            if (q == null) {
                BufferedImage img;
                try {
                    img = decoder.decode(rel, Files.readAllBytes(dir.resolve(rel))).image();
                } catch (PhotoException e) {
                    throw new IOException(rel + ": " + e.getMessage(), e);
                }
                FaceBox box = finder.find(img).stream().max(Comparator.comparingLong(FaceBox::area)).orElse(null);
                if (box == null) {
                    int s = (int) Math.round(Math.min(img.getWidth(), img.getHeight()) * CENTRED_FRACTION);
                    box = new FaceBox((img.getWidth() - s) / 2, (img.getHeight() - s) / 2, s, s, 0);
                }
                GrayImage gray = Pictures.gray(img);
                q = measure(gray, box.x(), box.y(), box.width(), box.height(), crop, scaled);
                fresh.add(String.format(Locale.ROOT, "%s\t%d\t%.6f\t%.6f%n", rel, (int) q[0], q[1], q[2]));
                if (cacheFile != null && fresh.size() >= 100) {
                    append(cacheFile, fresh);
                    fresh.clear();
                }
                progress.show(++done);
            }
            side[i] = (int) q[0];
            sharp[i] = q[1];
            asym[i] = q[2];
        }
        progress.finish();
        if (cacheFile != null && !fresh.isEmpty()) {
            append(cacheFile, fresh);
        }
        return new FaceQualities(side, sharp, asym);
    }

    /** Side, sharpness and asymmetry of box (x, y, w, h) of {@code gray} as FaceReID crops it. */
    static double[] measure(GrayImage gray, int x, int y, int w, int h, GrayImage crop, GrayImage scaled) {
        int side = Math.min(Math.max(w, h), Math.min(gray.width(), gray.height()));
        int x0 = Math.clamp(x + w / 2 - side / 2, 0, gray.width() - side);
        int y0 = Math.clamp(y + h / 2 - side / 2, 0, gray.height() - side);
        gray.crop(x0, y0, side, side, crop);
        Resize.bilinear(crop, scaled);
        return new double[] {Math.max(w, h), FaceQuality.sharpness(scaled.pixels(), SIDE),
                FaceQuality.asymmetry(scaled.pixels(), SIDE)};
    }

    private static Map<String, double[]> read(Path file) throws IOException {
        Map<String, double[]> out = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String s; (s = r.readLine()) != null; ) {
                String[] p = s.split("\t");
                if (p.length != 4) {
                    continue;
                }
                try {
                    out.put(p[0], new double[] {Integer.parseInt(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3])});
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": not a quality file (" + e.getMessage() + ")", e);
                }
            }
        }
        return out;
    }

    private static void append(Path file, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (String l : lines) {
                w.write(l);
            }
        }
    }
}
