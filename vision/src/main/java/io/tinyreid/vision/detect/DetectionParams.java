package io.tinyreid.vision.detect;

/**
 * The parameters of OpenCV's {@code detectMultiScale}.
 *
 * @param scaleFactor  pyramid step, > 1 (OpenCV default 1.1)
 * @param minNeighbors raw windows a group needs beyond itself to be reported (0 = no grouping)
 * @param minWidth     smallest face width in pixels (0 = the window)
 * @param minHeight    smallest face height in pixels
 * @param maxWidth     largest face width (0 = the image)
 * @param maxHeight    largest face height (0 = the image)
 */
public record DetectionParams(double scaleFactor, int minNeighbors, int minWidth, int minHeight, int maxWidth, int maxHeight) {
    /** OpenCV's defaults: 1.1, 3 neighbours, no size limits. */
    public static final DetectionParams DEFAULT = new DetectionParams(1.1, 3, 0, 0, 0, 0);

    /** Validates the parameters. */
    public DetectionParams {
        if (!(scaleFactor > 1.0) || scaleFactor > 10 || Double.isNaN(scaleFactor)) {
            throw new IllegalArgumentException("scale factor must be in (1, 10], got " + scaleFactor);
        }
        if (minNeighbors < 0) throw new IllegalArgumentException("min neighbours must be >= 0, got " + minNeighbors);
        if (minWidth < 0 || minHeight < 0 || maxWidth < 0 || maxHeight < 0) {
            throw new IllegalArgumentException("sizes must be >= 0");
        }
    }

    /** The same parameters with a square minimum size. */
    public DetectionParams withMinSize(int size) {
        return new DetectionParams(scaleFactor, minNeighbors, size, size, maxWidth, maxHeight);
    }
}
