package io.tinyreid.app.face;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the gallery needs to know about a descriptor network: its id (e.g. {@code facereid},
 * {@code dlib-resnet}), their dimension and format, the metric, and the version of the product's
 * descriptors ({@code view}: how the engines look at a face, e.g. {@code flip} for the network also
 * run on the mirrored input). Descriptors are stored under {@link #descriptorKey()}, so those of an
 * older view are never compared with the new ones: they are re-embedded from the stored photos.
 */
public record FaceModel(String id, int dimension, DescriptorFormat format, DistanceMetric metric, String view) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern VIEW = Pattern.compile("[a-z0-9.+]{0,32}");

    public FaceModel {
        Objects.requireNonNull(format);
        Objects.requireNonNull(metric);
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("model id '" + id + "' must be 1-64 characters of a-z 0-9 . _ -");
        }
        if (view == null || !VIEW.matcher(view).matches()) {
            throw new IllegalArgumentException("descriptor view '" + view + "' must be 0-32 characters of a-z 0-9 . +");
        }
        if (dimension <= 0 || dimension > 4096) {
            throw new IllegalArgumentException("descriptor dimension " + dimension + " out of range 1..4096");
        }
    }

    /** A model whose descriptors have no view suffix (stored under its id). */
    public FaceModel(String id, int dimension, DescriptorFormat format, DistanceMetric metric) {
        this(id, dimension, format, metric, "");
    }

    /** The key its descriptors are stored under: the id, then {@code @view} when the view is not the first one. */
    public String descriptorKey() {
        return view.isEmpty() ? id : id + "@" + view;
    }

    // equals and hashCode written out: the frame loop compares models on every identification, and a
    // record's generated ones go through method handles that allocate now and then as they re-profile.
    @Override
    public boolean equals(Object o) {
        return o instanceof FaceModel m && dimension == m.dimension && format == m.format && metric == m.metric
                && id.equals(m.id) && view.equals(m.view);
    }

    @Override
    public int hashCode() {
        return (((id.hashCode() * 31 + dimension) * 31 + format.hashCode()) * 31 + metric.hashCode()) * 31 + view.hashCode();
    }

    /** True when {@code d} was plausibly made by this model (same dimension and format). */
    public boolean accepts(Descriptor d) {
        return d.dimension() == dimension && d.format() == format;
    }

    /**
     * The reference network: 512 int16 Q10 values compared by squared L2 (DESIGN.md section 1), each the
     * mean of the crop's and its mirror's outputs (view {@code flip}: BENCHMARKS.md, open-set identification).
     */
    public static final FaceModel FACEREID = new FaceModel("facereid", 512, DescriptorFormat.INT16, DistanceMetric.SQUARED_L2,
            "flip");

    /**
     * dlib's ResNet via face-api: 128 floats compared by Euclidean distance (DESIGN.md section 4), each the
     * mean of the chip's and its mirror's outputs (view {@code flip}).
     */
    public static final FaceModel DLIB_RESNET = new FaceModel("dlib-resnet", 128, DescriptorFormat.FLOAT32, DistanceMetric.L2,
            "flip");
}
