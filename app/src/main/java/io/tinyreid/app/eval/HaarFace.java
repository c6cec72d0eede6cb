package io.tinyreid.app.eval;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.FaceDetector;
import io.tinyreid.vision.image.GrayImage;

/**
 * Our Haar detector (OpenCV's frontal-face cascade, scale 1.1, 3 neighbours, faces at least 40 px)
 * with eye centres from the eye cascade inside the box. LFW images show one centred subject: of
 * several detections the one nearest the image centre is taken; none gives the centred fallback.
 */
public final class HaarFace implements FaceLocator {
    /** Detection parameters used for evaluation and alignment. */
    public static final DetectionParams PARAMS = DetectionParams.DEFAULT.withMinSize(40);

    private FaceDetector detector;
    private int maxWidth;
    private int maxHeight;
    private final Detections found = new Detections(64);

    /** A detector with scratch for images up to {@code maxWidth x maxHeight} (grown for larger ones). */
    public HaarFace(int maxWidth, int maxHeight) {
        load(maxWidth, maxHeight);
    }

    private void load(int w, int h) {
        try {
            detector = FaceDetector.load(CascadeLibrary.DEFAULT_FACE, CascadeLibrary.DEFAULT_EYE, w, h);
            maxWidth = w;
            maxHeight = h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public FoundFace locate(GrayImage gray) {
        if (gray.width() > maxWidth || gray.height() > maxHeight) {
            load(Math.max(maxWidth, gray.width()), Math.max(maxHeight, gray.height()));
        }
        detector.detect(gray, PARAMS, found);
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < found.size(); i++) {
            double dx = found.x(i) + found.width(i) / 2.0 - gray.width() / 2.0;
            double dy = found.y(i) + found.height(i) / 2.0 - gray.height() / 2.0;
            double d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        if (best < 0) {
            return FoundFace.centred(gray.width(), gray.height(), CentredFace.FRACTION);
        }
        float[] eyes = found.hasEyes(best)
                ? new float[] {found.eye(best, 0), found.eye(best, 1), found.eye(best, 2), found.eye(best, 3)} : null;
        return new FoundFace(found.x(best), found.y(best), found.width(best), found.height(best), eyes, true);
    }
}
