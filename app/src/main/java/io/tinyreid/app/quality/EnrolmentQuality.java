package io.tinyreid.app.quality;

import java.awt.image.BufferedImage;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.Pictures;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.Resize;

/**
 * The quality check of an enrolment photo: the face's box made square, cut from the gray photo and
 * scaled to 128x128 (the crop FaceReID sees), measured with {@link FaceQuality}. A poor photo is
 * enrolled with a warning, never refused: gates measured on LFW dev cost more identifications than
 * they saved (BENCHMARKS, "Quality gates and visit descriptors"), so the owner decides.
 */
public final class EnrolmentQuality {
    private EnrolmentQuality() {}

    /** Smallest face side (pixels of the photo) without a warning. */
    public static final int MIN_SIDE = 48;
    /** Least sharpness without a warning (LFW dev: 5th percentile 0.010, median 0.027). */
    public static final double MIN_SHARPNESS = 0.010;
    /** Most asymmetry without a warning (LFW dev: 99th percentile 1.64, median 0.98). */
    public static final double MAX_ASYMMETRY = 1.64;
    private static final QualityGate WARN = new QualityGate(MIN_SIDE, MIN_SHARPNESS, MAX_ASYMMETRY);
    private static final int SIDE = 128;

    /** A warning for the owner when the face in {@code box} of {@code photo} is poor, else null. */
    public static String warning(BufferedImage photo, FaceBox box) {
        GrayImage gray = Pictures.gray(photo);
        int side = Math.min(Math.max(box.width(), box.height()), Math.min(gray.width(), gray.height()));
        if (side < 3) {
            return "the face is too small to use well (" + side + " px)";
        }
        int x0 = Math.clamp(box.x() + box.width() / 2 - side / 2, 0, gray.width() - side);
        int y0 = Math.clamp(box.y() + box.height() / 2 - side / 2, 0, gray.height() - side);
        GrayImage crop = gray.crop(x0, y0, side, side, new GrayImage(side, side));
        GrayImage scaled = Resize.bilinear(crop, new GrayImage(SIDE, SIDE));
        String why = WARN.failure(Math.max(box.width(), box.height()), FaceQuality.sharpness(scaled.pixels(), SIDE),
                FaceQuality.asymmetry(scaled.pixels(), SIDE));
        return why == null ? null : why + ": enrolled, but a sharper, frontal, closer photo will be recognised more reliably";
    }
}
