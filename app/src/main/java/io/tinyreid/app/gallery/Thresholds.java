package io.tinyreid.app.gallery;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.tinyreid.app.face.DistanceMetric;
import io.tinyreid.app.face.FaceModel;

/**
 * Default per-model thresholds: the built-in {@code thresholds.properties}, optionally overlaid by a
 * file of the same shape (a data directory's {@code thresholds.properties}, or an evaluation's output).
 */
public final class Thresholds {
    private final Map<String, Threshold> byModel;

    private Thresholds(Map<String, Threshold> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    /** The thresholds shipped with TinyReID. */
    public static Thresholds builtIn() {
        try (InputStream in = Thresholds.class.getResourceAsStream("thresholds.properties")) {
            if (in == null) {
                throw new IllegalStateException("thresholds.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return new Thresholds(parse(p, "built-in thresholds.properties"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in thresholds", e);
        }
    }

    /** These thresholds with the entries of {@code file} (if it exists) taking precedence. */
    public Thresholds overlay(Path file) {
        if (!Files.isRegularFile(file)) {
            return this;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read thresholds file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Threshold> merged = new HashMap<>(byModel);
        merged.putAll(parse(p, file.toString()));
        return new Thresholds(merged);
    }

    /** The threshold for {@code model}, if one is known. */
    public Optional<Threshold> find(String modelId) {
        return Optional.ofNullable(byModel.get(modelId));
    }

    /** The threshold for {@code model}; refuses a model without one, or one whose metric disagrees. */
    public Threshold forModel(FaceModel model) {
        Threshold t = byModel.get(model.id());
        if (t == null) {
            throw new IllegalArgumentException("no accept threshold is known for model '" + model.id()
                    + "'; set one with the setting threshold." + model.id());
        }
        if (t.metric() != model.metric()) {
            throw new IllegalArgumentException("threshold for '" + model.id() + "' is for metric " + t.metric().id()
                    + " but the model compares with " + model.metric().id());
        }
        return t;
    }

    private static Map<String, Threshold> parse(Properties p, String where) {
        Map<String, Threshold> out = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.endsWith(".accept")) {
                continue;
            }
            String model = key.substring(0, key.length() - ".accept".length());
            try {
                double accept = Double.parseDouble(p.getProperty(key).trim());
                String metric = p.getProperty(model + ".metric");
                if (metric == null) {
                    throw new IllegalArgumentException("missing " + model + ".metric");
                }
                out.put(model, new Threshold(model, DistanceMetric.parse(metric), accept,
                        p.getProperty(model + ".source", where),
                        Boolean.parseBoolean(p.getProperty(model + ".provisional", "false"))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": bad threshold for '" + model + "': " + e.getMessage(), e);
            }
        }
        return out;
    }
}
