package io.tinyreid.app.photo;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A photo decoded within {@link PhotoLimits}.
 *
 * @param image       the pixels (RGB or gray), possibly subsampled from the original
 * @param format      what the bytes were
 * @param width       original width declared by the file
 * @param height      original height declared by the file
 * @param length      bytes of the encoded image itself; anything after it was not part of the photo
 */
public record DecodedPhoto(BufferedImage image, PhotoFormat format, int width, int height, int length) {
    /** {@code encoded} (the bytes this was decoded from) without what followed the image. */
    public byte[] imageBytes(byte[] encoded) {
        return length == encoded.length ? encoded : Arrays.copyOf(encoded, length);
    }
}
