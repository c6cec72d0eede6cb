package io.tinyreid.app.photo;

import java.awt.image.BufferedImage;

/**
 * A photo decoded within {@link PhotoLimits}.
 *
 * @param image       the pixels (RGB or gray), possibly subsampled from the original
 * @param format      what the bytes were
 * @param width       original width declared by the file
 * @param height      original height declared by the file
 */
public record DecodedPhoto(BufferedImage image, PhotoFormat format, int width, int height) {}
