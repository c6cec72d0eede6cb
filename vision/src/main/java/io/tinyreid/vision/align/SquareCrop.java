package io.tinyreid.vision.align;

import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.LinearResizer;
import io.tinyreid.vision.image.Resize;

/**
 * The reference FaceReID input: the detector's box made square (centred, side = the longer side),
 * cut out (edge pixels repeated where it leaves the frame) and scaled bilinearly to the net's side in
 * gray. No alignment, as on the device.
 */
public final class SquareCrop {
    private final GrayImage cut = new GrayImage(1, 1);
    private final LinearResizer resizer = new LinearResizer();

    /** Crops box {@code (x, y, w, h)} of {@code frame} into {@code dst} (reshaped to size x size). */
    public GrayImage crop(GrayImage frame, int x, int y, int w, int h, int size, GrayImage dst) {
        int side = Math.max(w, h);
        int sx = x + (w - side) / 2;
        int sy = y + (h - side) / 2;
        frame.cropClamped(sx, sy, side, side, cut);
        dst.reshape(size, size);
        return Resize.bilinear(cut, dst, resizer);
    }
}
