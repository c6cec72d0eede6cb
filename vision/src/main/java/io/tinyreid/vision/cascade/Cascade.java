package io.tinyreid.vision.cascade;

import java.util.List;

/**
 * A boosted cascade as OpenCV's files describe it (float values, shared features), before packing.
 * Evaluation uses {@link PackedCascade}; this form is what the XML reader produces and tests compare.
 *
 * @param name         where it came from (file or resource name)
 * @param type         Haar or LBP features
 * @param windowWidth  detection window width in pixels
 * @param windowHeight detection window height in pixels
 * @param stages       the stages in evaluation order
 * @param features     the features nodes refer to by index
 */
public record Cascade(String name, FeatureType type, int windowWidth, int windowHeight,
                      List<Stage> stages, List<Feature> features) {

    /** The two feature families OpenCV's cascades use. */
    public enum FeatureType { HAAR, LBP }

    /** A stage: its trees' leaf values are summed and compared with {@code threshold} (as written in the file). */
    public record Stage(float threshold, List<Tree> trees) {}

    /** A decision tree: internal nodes and leaf values; a child index {@code <= 0} means leaf {@code -index}. */
    public record Tree(List<Node> nodes, float[] leaves) {}

    /**
     * An internal node. Haar: go left when the normalised feature value is below {@code threshold}.
     * LBP: go left when bit {@code code} of {@code subset} (8 ints, 256 bits) is set.
     */
    public record Node(int left, int right, int feature, float threshold, int[] subset) {}

    /** A feature: Haar rectangles or an LBP block. */
    public sealed interface Feature permits HaarFeature, LbpFeature {}

    /**
     * Up to three weighted rectangles; {@code rects} holds x, y, w, h per rectangle. Tilted features
     * use 45-degree rotated rectangles (OpenCV's tilted integral).
     */
    public record HaarFeature(int[] rects, float[] weights, boolean tilted) implements Feature {
        /** Number of rectangles (2 or 3). */
        public int count() {
            return weights.length;
        }
    }

    /** An LBP feature: a 3x3 grid of blocks, each {@code w x h}, with its top-left block at (x, y). */
    public record LbpFeature(int x, int y, int w, int h) implements Feature {}

    /** Total number of trees (weak classifiers). */
    public int treeCount() {
        return stages.stream().mapToInt(s -> s.trees().size()).sum();
    }

    /** Total number of internal nodes. */
    public int nodeCount() {
        return stages.stream().flatMap(s -> s.trees().stream()).mapToInt(t -> t.nodes().size()).sum();
    }

    /** True when any feature is tilted. */
    public boolean hasTiltedFeatures() {
        return features.stream().anyMatch(f -> f instanceof HaarFeature h && h.tilted());
    }
}
