package io.tinyreid.app.gallery;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * The shipped open-set calibrations ({@code openset-calibration.properties}, written by
 * {@code scripts/calibrate-openset} from {@code tinyreid eval openset --write-calibration} on LFW dev).
 */
public final class OpenSetCalibrations {
    private final Properties properties;
    private final String where;

    private OpenSetCalibrations(Properties properties, String where) {
        this.properties = properties;
        this.where = where;
    }

    /** The calibrations shipped with TinyReID. */
    public static OpenSetCalibrations builtIn() {
        Properties p = new Properties();
        try (InputStream in = OpenSetCalibrations.class.getResourceAsStream("openset-calibration.properties")) {
            if (in == null) {
                throw new IllegalStateException("openset-calibration.properties is missing from the build");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in open-set calibration", e);
        }
        return new OpenSetCalibrations(p, "built-in openset-calibration.properties");
    }

    /** Most photos per person calibrated: a template of more photos uses this one's calibration. */
    public static final int MAX_PHOTOS = 4;

    /**
     * The properties key of {@code modelId}'s calibration for templates of {@code photos} photos: a
     * mean of more photos lies nearer the middle of face space, so strangers come closer to it and
     * each photo count has its own calibration.
     */
    public static String key(String modelId, int photos) {
        return modelId + ".k" + photos;
    }

    /** The calibration of {@code modelId} for templates of {@code photos} photos (capped at {@link #MAX_PHOTOS}), if shipped. */
    public Optional<OpenSetCalibration> find(String modelId, int photos) {
        int k = Math.clamp(photos, 1, MAX_PHOTOS);
        return Optional.ofNullable(OpenSetCalibration.load(properties, modelId, key(modelId, k), where));
    }

    /** The calibration of {@code modelId} for two-photo templates (the evaluated household), if shipped. */
    public Optional<OpenSetCalibration> find(String modelId) {
        return find(modelId, 2);
    }
}
