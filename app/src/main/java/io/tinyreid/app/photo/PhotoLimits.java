package io.tinyreid.app.photo;

/**
 * Limits applied before a photo is decoded, so a hostile or absurd file cannot exhaust memory.
 *
 * @param maxBytes    largest encoded file accepted
 * @param maxPixels   largest width x height declared by the header
 * @param maxSide     decoded photos are subsampled while decoding until their longer side is at most this
 */
public record PhotoLimits(long maxBytes, long maxPixels, int maxSide) {
    public PhotoLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide < 64) {
            throw new IllegalArgumentException("bad photo limits");
        }
    }

    /** Defaults: 32 MiB, 64 megapixels, decoded to at most 2048 pixels a side (plenty for a face). */
    public static final PhotoLimits DEFAULT = new PhotoLimits(32L << 20, 64_000_000L, 2048);
}
