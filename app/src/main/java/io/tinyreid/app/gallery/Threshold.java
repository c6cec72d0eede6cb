package io.tinyreid.app.gallery;

import io.tinyreid.app.face.DistanceMetric;

/**
 * An accept threshold for one model: a match needs {@code distance < accept}.
 *
 * @param source      where the number comes from (shown to users)
 * @param provisional true while it is a documented reference value, not our own LFW calibration
 */
public record Threshold(String modelId, DistanceMetric metric, double accept, String source, boolean provisional) {
    public Threshold {
        if (!(accept > 0) || Double.isInfinite(accept)) {
            throw new IllegalArgumentException("threshold for " + modelId + " must be a positive number, not " + accept);
        }
    }

    /** True when {@code distance} is close enough to accept. */
    public boolean accepts(double distance) {
        return distance < accept;
    }
}
