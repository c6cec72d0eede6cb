package io.tinyreid.app.gallery;

import java.util.List;
import java.util.Locale;

/**
 * How a person's enrolled photos become the descriptors the door compares against. Measured by
 * {@code tinyreid eval openset} (BENCHMARKS.md, open-set identification).
 */
public enum TemplateRule {
    /** One template per person: the mean of the photos' unit descriptors, scaled to unit length again. */
    MEAN("mean"),
    /** Every photo's unit descriptor is compared; the nearest wins. */
    NEAREST("nearest");

    private final String id;

    TemplateRule(String id) {
        this.id = id;
    }

    /** The name used on the command line and in calibration files. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}. */
    public static TemplateRule parse(String s) {
        for (TemplateRule r : values()) {
            if (r.id.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("template rule must be mean or nearest, not '" + s + "'");
    }

    /** Gallery descriptors kept for a person with {@code photos} enrolled photos. */
    public int descriptorsFor(int photos) {
        return photos == 0 ? 0 : this == MEAN ? 1 : photos;
    }

    /** The person's templates (Q14 unit vectors) from the photos' Q14 unit descriptors. */
    public List<short[]> templates(List<short[]> photos) {
        if (this == NEAREST || photos.size() <= 1) {
            return photos.stream().map(short[]::clone).toList();
        }
        int dim = photos.getFirst().length;
        float[] sum = new float[dim];
        for (short[] p : photos) {
            for (int i = 0; i < dim; i++) {
                sum[i] += p[i];
            }
        }
        short[] t = new short[dim];
        UnitVectors.fromFloat(sum, t);
        return List.of(t);
    }
}
