package io.tinyreid.app.eval.openset;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.tinyreid.app.eval.Progress;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.EmbeddingView;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.gallery.UnitVectors;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoException;
import io.tinyreid.app.photo.PhotoLimits;

/**
 * Describes every image of an LFW-style folder ({@code DIR/PERSON/*.jpg}) with the product's own
 * photo engine (the detector and network {@code tinyreid people add} uses), once per image: the
 * largest face, or LFW's centred square when none is found (counted). With a descriptor file the
 * descriptors are kept between runs (keyed by model and file; stale or foreign lines are redone).
 */
public final class FaceSetReader {
    private static final double CENTRED_FRACTION = 0.44;

    private final FaceEngine engine;
    private final PrintStream log;
    private final PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.DEFAULT);

    /** A reader embedding with {@code engine}, reporting progress on {@code log}. */
    public FaceSetReader(FaceEngine engine, PrintStream log) {
        this.engine = engine;
        this.log = log;
    }

    /** The images of {@code dir} (people sorted by name, files by name). */
    public static List<Path> images(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("images folder not found: " + dir);
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> people = Files.list(dir)) {
            for (Path p : people.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(f -> {
                        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return Files.isRegularFile(f) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
                    }).sorted(Comparator.comparing(Path::toString)).forEach(out::add);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no images under " + dir + " (expected PERSON/NAME.jpg)");
        }
        return out;
    }

    /** The people and files of {@code files} (under {@code dir}), not yet described. */
    public FaceSet index(Path dir, List<Path> files) {
        List<String> people = new ArrayList<>();
        Map<String, Integer> personIndex = new HashMap<>();
        int n = files.size();
        int[] identity = new int[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = files.get(i);
            names.add(dir.relativize(f).toString().replace('\\', '/'));
            identity[i] = personIndex.computeIfAbsent(f.getParent().getFileName().toString(), k -> {
                people.add(k);
                return people.size() - 1;
            });
        }
        return new FaceSet(engine.model().id(), List.copyOf(people), identity, List.copyOf(names), new short[n][],
                new boolean[n]);
    }

    /**
     * Describes the images of {@code set} (under {@code dir}) that {@code needed} marks (null: all) and
     * are not described yet, through the embedder's plain view; {@code cacheFile} may be null.
     */
    public void describe(FaceSet set, Path dir, boolean[] needed, Path cacheFile) throws IOException {
        describe(set, dir, needed, cacheFile, List.of(EmbeddingView.PLAIN));
    }

    /**
     * Describes the images of {@code set} that {@code needed} marks (null: all) through the first of
     * {@code views} into the set, and through every view into {@code cacheFile} (one detection per
     * image for all views, so one pass over a folder fills the file for several variants).
     */
    public void describe(FaceSet set, Path dir, boolean[] needed, Path cacheFile, List<EmbeddingView> views)
            throws IOException {
        String model = engine.model().id();
        List<Map<String, Line>> cached = new ArrayList<>();
        Map<String, List<Line>> fileLines = cacheFile != null ? readCache(cacheFile) : Map.of();
        for (EmbeddingView v : views) {
            Map<String, Line> byFile = new HashMap<>();
            for (Line l : fileLines.getOrDefault(key(model, v), List.of())) {
                byFile.put(l.file(), l);
            }
            cached.add(byFile);
        }
        int todo = 0;
        for (int i = 0; i < set.size(); i++) {
            todo += (needed == null || needed[i]) && set.unit()[i] == null ? 1 : 0;
        }
        List<String> fresh = new ArrayList<>();
        Progress progress = new Progress(log, "describing " + model + " (" + views.stream().map(EmbeddingView::id)
                .reduce((a, b) -> a + ", " + b).orElse("") + ")", todo);
        int done = 0;
        for (int i = 0; i < set.size(); i++) {
            if (needed != null && !needed[i] || set.unit()[i] != null) {
                continue;
            }
            String rel = set.files().get(i);
            Line[] lines = new Line[views.size()];
            boolean missing = false;
            for (int v = 0; v < views.size(); v++) {
                lines[v] = cached.get(v).get(rel);
                missing |= lines[v] == null;
            }
            if (missing) {
                Face face = find(dir.resolve(rel), rel);
                for (int v = 0; v < views.size(); v++) {
                    if (lines[v] == null) {
                        lines[v] = describe(face, rel, views.get(v));
                        fresh.add(format(key(model, views.get(v)), lines[v]));
                    }
                }
                if (cacheFile != null && fresh.size() >= 50) { // kept as we go: a long run stopped keeps its work
                    appendCache(cacheFile, fresh);
                    fresh.clear();
                }
            }
            set.unit()[i] = lines[0].unit();
            set.detected()[i] = lines[0].detected();
            progress.show(++done);
        }
        progress.finish();
        if (cacheFile != null && !fresh.isEmpty()) {
            appendCache(cacheFile, fresh);
        }
    }

    /** The descriptor file key of {@code model} seen through {@code view}: the model id, "+view" unless plain. */
    static String key(String model, EmbeddingView view) {
        return view.equals(EmbeddingView.PLAIN) ? model : model + "+" + view.id();
    }

    private record Line(String file, boolean detected, short[] unit) {}

    private record Face(BufferedImage image, FaceBox box, boolean detected) {}

    private Face find(Path f, String rel) throws IOException {
        BufferedImage img;
        try {
            img = decoder.decode(rel, Files.readAllBytes(f)).image();
        } catch (PhotoException e) {
            throw new IOException(rel + ": " + e.getMessage(), e);
        }
        List<FaceBox> faces = engine.finder().find(img);
        FaceBox box = faces.stream().max(Comparator.comparingLong(FaceBox::area)).orElse(null);
        boolean found = box != null;
        if (!found) {
            int side = (int) Math.round(Math.min(img.getWidth(), img.getHeight()) * CENTRED_FRACTION);
            box = new FaceBox((img.getWidth() - side) / 2, (img.getHeight() - side) / 2, side, side, 0);
        }
        return new Face(img, box, found);
    }

    private Line describe(Face face, String rel, EmbeddingView view) {
        Descriptor d = engine.embedder().embed(face.image(), face.box(), view);
        short[] u = new short[d.dimension()];
        switch (d) {
            case Descriptor.Int16 x -> UnitVectors.fromInt16(x.values(), u);
            case Descriptor.Float32 x -> UnitVectors.fromFloat(x.values(), u);
        }
        return new Line(rel, face.detected(), u);
    }

    // Cache lines: key (model[+view]) TAB file TAB 1|0 (detected) TAB comma-separated Q14 components.
    private static Map<String, List<Line>> readCache(Path file) throws IOException {
        Map<String, List<Line>> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String s; (s = r.readLine()) != null; ) {
                String[] parts = s.split("\t");
                if (parts.length != 4) {
                    continue;
                }
                String[] vs = parts[3].split(",");
                short[] u = new short[vs.length];
                try {
                    for (int i = 0; i < vs.length; i++) {
                        u[i] = Short.parseShort(vs[i]);
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": not a descriptor file (" + e.getMessage() + ")", e);
                }
                out.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(new Line(parts[1], parts[2].equals("1"), u));
            }
        }
        return out;
    }

    private static String format(String key, Line l) {
        StringBuilder sb = new StringBuilder().append(key).append('\t').append(l.file()).append('\t')
                .append(l.detected() ? '1' : '0').append('\t');
        for (int i = 0; i < l.unit().length; i++) {
            sb.append(i == 0 ? "" : ",").append(l.unit()[i]);
        }
        return sb.append('\n').toString();
    }

    private static void appendCache(Path file, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            for (String l : lines) {
                w.write(l);
            }
        }
    }
}
