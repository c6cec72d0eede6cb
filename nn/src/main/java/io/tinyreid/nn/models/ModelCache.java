package io.tinyreid.nn.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where fetched model files live (outside the source tree, default {@code ~/.cache/tinyreid}) and
 * what they must be: every file TinyReID reads is listed with its size and SHA-256 in
 * {@code model-files.tsv}, so a truncated or substituted download is refused by name.
 */
public final class ModelCache {
    /** The sets of files {@code tinyreid models fetch} provides. */
    public enum ModelSet {
        /** The npm package {@code @vladmandic/face-api@1.7.15} (dlib ResNet and 68-point landmark net). */
        FACE_API("face-api-1.7.15"),
        /** GreenWaves' FaceReID quantised JSON layers (the reference network). */
        FACEREID("facereid");

        private final String folder;

        ModelSet(String folder) {
            this.folder = folder;
        }

        /** The set's folder under the cache root. */
        public String folder() {
            return folder;
        }
    }

    /** One expected file: where, how big, which digest. */
    public record ExpectedFile(ModelSet set, String path, long size, String sha256) {}

    private final Path root;

    /** A cache rooted at {@code root}. */
    public ModelCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The cache from {@code -Dtinyreid.cache}, else {@code $TINYREID_CACHE}, else {@code ~/.cache/tinyreid}. */
    public static ModelCache standard() {
        String prop = System.getProperty("tinyreid.cache");
        if (prop != null && !prop.isBlank()) {
            return new ModelCache(Path.of(prop));
        }
        String env = System.getenv("TINYREID_CACHE");
        if (env != null && !env.isBlank()) {
            return new ModelCache(Path.of(env));
        }
        return new ModelCache(Path.of(System.getProperty("user.home"), ".cache", "tinyreid"));
    }

    /** The cache root. */
    public Path root() {
        return root;
    }

    /** The folder of one model set. */
    public Path dir(ModelSet set) {
        return root.resolve(set.folder());
    }

    /** face-api's FaceRecognitionNet manifest (dlib ResNet). */
    public Path faceRecognitionManifest() {
        return dir(ModelSet.FACE_API).resolve("model/face_recognition_model-weights_manifest.json");
    }

    /** face-api's FaceLandmark68Net manifest. */
    public Path landmarkManifest() {
        return dir(ModelSet.FACE_API).resolve("model/face_landmark_68_model-weights_manifest.json");
    }

    /** The FaceReID {@code quantized_model} folder. */
    public Path facereidLayers() {
        return dir(ModelSet.FACEREID).resolve("quantized_model");
    }

    /** The files expected in one set. */
    public static List<ExpectedFile> expected(ModelSet set) {
        List<ExpectedFile> out = new ArrayList<>();
        for (ExpectedFile f : all()) {
            if (f.set() == set) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<ExpectedFile> all() {
        List<ExpectedFile> out = new ArrayList<>();
        try (InputStream in = ModelCache.class.getResourceAsStream("model-files.tsv")) {
            if (in == null) {
                throw new IllegalStateException("model-files.tsv missing from the nn jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                ModelSet set = null;
                for (ModelSet s : ModelSet.values()) {
                    if (s.folder().equals(f[0])) {
                        set = s;
                    }
                }
                if (set == null || f.length != 4) {
                    throw new IllegalStateException("model-files.tsv: bad line: " + line);
                }
                out.add(new ExpectedFile(set, f[1], Long.parseLong(f[2]), f[3]));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model-files.tsv", e);
        }
        return out;
    }

    /** Checks one file against its expected size and digest; returns a problem or null. */
    public static String check(Path file, ExpectedFile want) throws IOException {
        if (!Files.isRegularFile(file)) {
            return file + ": missing";
        }
        long size = Files.size(file);
        if (size != want.size()) {
            return file + ": " + size + " bytes, expected " + want.size() + " (truncated or wrong version)";
        }
        String sha = sha256(file);
        if (!sha.equals(want.sha256())) {
            return file + ": SHA-256 " + sha + ", expected " + want.sha256() + " (corrupt or substituted)";
        }
        return null;
    }

    /** Verifies every file of a set, returning the problems (empty when the set is complete and intact). */
    public List<String> verify(ModelSet set) throws IOException {
        List<String> problems = new ArrayList<>();
        for (ExpectedFile f : expected(set)) {
            String p = check(dir(set).resolve(f.path()), f);
            if (p != null) {
                problems.add(p);
            }
        }
        return problems;
    }

    /** Throws with every problem named when a set is missing or damaged. */
    public void requireVerified(ModelSet set) throws IOException {
        List<String> problems = verify(set);
        if (!problems.isEmpty()) {
            throw new IOException("model files " + set.folder() + " in " + root + " are not usable (run ./tinyreid models fetch):\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
