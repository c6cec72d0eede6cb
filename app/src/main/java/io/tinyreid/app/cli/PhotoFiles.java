package io.tinyreid.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.photo.PhotoLimits;

/** Reads photo arguments: files, or folders of .jpg/.jpeg/.png/.pgm files; too big or missing ones are refused. */
final class PhotoFiles {
    /** A file that could not even be read, with the reason. */
    record Refused(String label, String reason) {}

    final List<PhotoInput> inputs = new ArrayList<>();
    final List<Refused> refused = new ArrayList<>();

    static PhotoFiles read(List<Path> args, PhotoLimits limits) {
        PhotoFiles out = new PhotoFiles();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).filter(PhotoFiles::looksLikePhoto).sorted().forEach(f -> out.add(f, limits));
                } catch (IOException e) {
                    out.refused.add(new Refused(p.toString(), "cannot list the folder: " + e.getMessage()));
                }
            } else {
                out.add(p, limits);
            }
        }
        return out;
    }

    private void add(Path p, PhotoLimits limits) {
        String label = p.toString();
        try {
            if (!Files.exists(p)) {
                refused.add(new Refused(label, "no such file"));
                return;
            }
            long size = Files.size(p);
            if (size > limits.maxBytes()) {
                refused.add(new Refused(label, String.format(Locale.ROOT, "%.1f MiB is larger than the %d MiB limit for a photo",
                        size / 1048576.0, limits.maxBytes() >> 20)));
                return;
            }
            inputs.add(new PhotoInput(label, Files.readAllBytes(p)));
        } catch (IOException e) {
            refused.add(new Refused(label, "cannot read: " + e.getMessage()));
        }
    }

    private static boolean looksLikePhoto(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".pgm");
    }
}
