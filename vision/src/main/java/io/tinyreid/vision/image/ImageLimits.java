package io.tinyreid.vision.image;

/**
 * Limits checked before any pixel is decoded: the pixel count comes from the file header, so an
 * absurdly large image is refused without allocating for it.
 *
 * @param maxPixels largest accepted width*height
 * @param maxBytes  largest accepted encoded size in bytes
 */
public record ImageLimits(long maxPixels, long maxBytes) {
    /** 40 megapixels, 64 MiB encoded: any camera photo, not a decompression bomb. */
    public static final ImageLimits DEFAULT = new ImageLimits(40_000_000L, 64L << 20);

    /** Validates the limits. */
    public ImageLimits {
        if (maxPixels <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxPixels + " pixels, " + maxBytes + " bytes");
        }
    }

    /** Throws when a header's size breaks these limits. */
    void checkDimensions(long width, long height, String what) throws ImageDecodeException {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(what + ": zero-size image (" + width + "x" + height + ")");
        }
        if (width * height > maxPixels) {
            throw new ImageDecodeException(what + ": image is " + width + "x" + height + " = "
                    + (width * height) + " pixels, over the limit of " + maxPixels + " pixels");
        }
    }
}
