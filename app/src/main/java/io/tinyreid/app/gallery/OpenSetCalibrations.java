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

    /** The calibration of {@code modelId}, if one is shipped. */
    public Optional<OpenSetCalibration> find(String modelId) {
        return Optional.ofNullable(OpenSetCalibration.load(properties, modelId, where));
    }
}
