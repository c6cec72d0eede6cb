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

    /** The resource name of {@code modelId}'s stranger cohort (written by {@code eval openset --write-cohort}). */
    public static String cohortResource(String modelId) {
        return "openset-cohort-" + modelId + ".bin";
    }

    /**
     * The stranger cohort {@code cal} was measured with: none for a calibration of plain distances,
     * else the shipped one of {@code cal}'s model, which must hold as many faces as {@code cal} says.
     */
    public Optional<StrangerCohort> cohortFor(OpenSetCalibration cal) {
        if (cal.cohortSize() == 0) {
            return Optional.empty();
        }
        StrangerCohort c = COHORTS.computeIfAbsent(cal.modelId(), OpenSetCalibrations::readCohort);
        if (c.size() != cal.cohortSize()) {
            throw new IllegalStateException(cohortResource(cal.modelId()) + " holds " + c.size() + " faces; the calibration was made"
                    + " with " + cal.cohortSize() + " (re-run scripts/calibrate-openset)");
        }
        return Optional.of(c);
    }

    // The shipped cohorts, read once per JVM (a gallery reloads on every change of the household).
    private static final java.util.Map<String, StrangerCohort> COHORTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static StrangerCohort readCohort(String modelId) {
        String name = cohortResource(modelId);
        try (InputStream in = OpenSetCalibrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the open-set calibration of " + modelId + " asks for a stranger cohort but "
                        + name + " is missing from the build");
            }
            StrangerCohort c = StrangerCohort.read(in, name);
            if (!c.modelId().equals(modelId)) {
                throw new IllegalStateException(name + " holds faces of " + c.modelId() + ", not " + modelId);
            }
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in stranger cohort " + name + ": " + e.getMessage(), e);
        }
    }

    /** The calibration of {@code modelId} for two-photo templates (the evaluated household), if shipped. */
    public Optional<OpenSetCalibration> find(String modelId) {
        return find(modelId, 2);
    }
}
