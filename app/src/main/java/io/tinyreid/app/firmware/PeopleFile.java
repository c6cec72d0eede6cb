package io.tinyreid.app.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;

/**
 * The household a firmware is built for, as text: one person a line, {@code NAME PHOTO [PHOTO...]}
 * (whitespace-separated; photo paths relative to the file; {@code #} starts a comment line).
 */
public record PeopleFile(List<Entry> people) {
    /** One person and their photos. */
    public record Entry(String name, List<Path> photos) {}

    /** Reads and checks a people file (every photo must exist). */
    public static PeopleFile read(Path file) throws IOException {
        List<Entry> people = new ArrayList<>();
        Path base = file.toAbsolutePath().getParent();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 2) {
                throw new IllegalArgumentException(file + ":" + n + ": want NAME PHOTO [PHOTO...]");
            }
            List<Path> photos = Arrays.stream(f, 1, f.length).map(base::resolve).toList();
            for (Path p : photos) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(file + ":" + n + ": no such photo " + p);
                }
            }
            people.add(new Entry(f[0], photos));
        }
        if (people.isEmpty()) {
            throw new IllegalArgumentException(file + " names nobody");
        }
        return new PeopleFile(List.copyOf(people));
    }

    /** Enrols everyone into {@code gallery} with the product's photo path; fails naming a person none of whose photos has a face. */
    public void enrol(Gallery gallery, FaceEngine engine) throws IOException {
        for (Entry e : people) {
            List<PhotoInput> in = new ArrayList<>();
            for (Path p : e.photos()) {
                in.add(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p)));
            }
            if (gallery.enrol(engine, e.name(), in, Progress.NONE).acceptedCount() == 0) {
                throw new IllegalArgumentException("no face was found in the photos of " + e.name());
            }
        }
    }
}
