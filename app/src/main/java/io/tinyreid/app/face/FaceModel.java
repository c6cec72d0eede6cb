package io.tinyreid.app.face;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the gallery needs to know about a descriptor network: an id under which its descriptors are
 * stored (e.g. {@code facereid}, {@code dlib-resnet}), their dimension and format, and the metric.
 */
public record FaceModel(String id, int dimension, DescriptorFormat format, DistanceMetric metric) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public FaceModel {
        Objects.requireNonNull(format);
        Objects.requireNonNull(metric);
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("model id '" + id + "' must be 1-64 characters of a-z 0-9 . _ -");
        }
        if (dimension <= 0 || dimension > 4096) {
            throw new IllegalArgumentException("descriptor dimension " + dimension + " out of range 1..4096");
        }
    }

    // equals and hashCode written out: the frame loop compares models on every identification, and a
    // record's generated ones go through method handles that allocate now and then as they re-profile.
    @Override
    public boolean equals(Object o) {
        return o instanceof FaceModel m && dimension == m.dimension && format == m.format && metric == m.metric
                && id.equals(m.id);
    }

    @Override
    public int hashCode() {
        return ((id.hashCode() * 31 + dimension) * 31 + format.hashCode()) * 31 + metric.hashCode();
    }

    /** True when {@code d} was plausibly made by this model (same dimension and format). */
    public boolean accepts(Descriptor d) {
        return d.dimension() == dimension && d.format() == format;
    }

    /** The reference network: 512 int16 Q10 values compared by squared L2 (DESIGN.md section 1). */
    public static final FaceModel FACEREID = new FaceModel("facereid", 512, DescriptorFormat.INT16, DistanceMetric.SQUARED_L2);

    /** dlib's ResNet via face-api: 128 floats compared by Euclidean distance (DESIGN.md section 4). */
    public static final FaceModel DLIB_RESNET = new FaceModel("dlib-resnet", 128, DescriptorFormat.FLOAT32, DistanceMetric.L2);
}
