package io.tinyreid.app.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The standard LFW pairs file ({@code pairs.txt}, View 2): a header {@code folds<TAB>n}, then per
 * fold {@code n} matched pairs {@code name i j} and {@code n} mismatched pairs {@code a i b j}.
 * Image {@code i} of {@code name} is {@code name/name_000i.jpg} under the images folder.
 */
public record LfwPairs(int folds, int perFold, List<Pair> pairs) {
    /** One pair: two image paths relative to the images folder, whether they are the same person, its fold. */
    public record Pair(String a, String b, boolean same, int fold) {}

    /** Reads and checks a pairs file; errors name the line. */
    public static LfwPairs read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("pairs file not found: " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty pairs file");
        }
        String[] h = lines.getFirst().trim().split("\\s+");
        int folds;
        int n;
        try {
            if (h.length != 2) {
                throw new NumberFormatException();
            }
            folds = Integer.parseInt(h[0]);
            n = Integer.parseInt(h[1]);
        } catch (NumberFormatException e) {
            throw new IOException(file + ":1: expected the header 'folds<TAB>pairs-per-fold', got '" + lines.getFirst() + "'");
        }
        if (folds < 2 || n < 1 || folds > 100 || n > 100_000) {
            throw new IOException(file + ":1: implausible header " + folds + " folds of " + n);
        }
        int need = 1 + folds * 2 * n;
        int have = (int) lines.stream().skip(1).filter(l -> !l.isBlank()).count() + 1;
        if (have != need) {
            throw new IOException(file + ": header promises " + folds + " folds x " + (2 * n) + " pairs = " + (need - 1)
                    + " lines, found " + (have - 1));
        }
        List<Pair> pairs = new ArrayList<>(folds * 2 * n);
        int ln = 1;
        for (int f = 0; f < folds; f++) {
            for (int k = 0; k < 2 * n; k++) {
                String line;
                do {
                    line = lines.get(ln++);
                } while (line.isBlank());
                String[] t = line.trim().split("\\s+");
                boolean same = k < n;
                try {
                    if (same && t.length == 3) {
                        pairs.add(new Pair(image(t[0], t[1]), image(t[0], t[2]), true, f));
                    } else if (!same && t.length == 4) {
                        pairs.add(new Pair(image(t[0], t[1]), image(t[2], t[3]), false, f));
                    } else {
                        throw new IOException(file + ":" + ln + ": expected a " + (same ? "matched pair 'name i j'" : "mismatched pair 'a i b j'")
                                + " (fold " + (f + 1) + "), got '" + line + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + ln + ": bad image number in '" + line + "'");
                }
            }
        }
        return new LfwPairs(folds, n, List.copyOf(pairs));
    }

    private static String image(String name, String index) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new NumberFormatException();
        }
        int i = Integer.parseInt(index);
        if (i < 1 || i > 9999) {
            throw new NumberFormatException();
        }
        return name + "/" + name + String.format("_%04d.jpg", i);
    }

    /** Every image the pairs use, each once, in first-use order. */
    public List<String> images() {
        Set<String> s = new LinkedHashSet<>();
        for (Pair p : pairs) {
            s.add(p.a());
            s.add(p.b());
        }
        return List.copyOf(s);
    }
}
