package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.FaceDetector;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.Resize;

/**
 * Faces in photos with the vision module's Haar detector (OpenCV's frontal-face cascade, the
 * reference's detector). A photo is area-downscaled until its longer side is at most
 * {@value #DETECT_SIDE} pixels (enrolment photos show big faces; this bounds time and scratch), and
 * the boxes are mapped back to the photo.
 */
public final class HaarFaceFinder implements FaceFinder {
    /** Longest side the detector sees. */
    public static final int DETECT_SIDE = 640;
    /** Smallest face looked for, in detector pixels. */
    public static final int MIN_FACE = 24;

    private final FaceDetector detector;
    private final Detections found = new Detections(256);
    private final DetectionParams params = new DetectionParams(1.1, 3, MIN_FACE, MIN_FACE, 0, 0);

    private HaarFaceFinder(FaceDetector detector) {
        this.detector = detector;
    }

    /** Loads OpenCV's default frontal-face cascade. */
    public static HaarFaceFinder load() throws IOException {
        return new HaarFaceFinder(FaceDetector.load(CascadeLibrary.DEFAULT_FACE, null, DETECT_SIDE, DETECT_SIDE));
    }

    @Override
    public synchronized List<FaceBox> find(BufferedImage photo) {
        GrayImage gray = Pictures.gray(photo);
        int w = gray.width();
        int h = gray.height();
        double scale = Math.max(1.0, Math.max(w, h) / (double) DETECT_SIDE);
        GrayImage seen = gray;
        if (scale > 1.0) {
            int sw = Math.max(1, Math.min(DETECT_SIDE, (int) Math.round(w / scale)));
            int sh = Math.max(1, Math.min(DETECT_SIDE, (int) Math.round(h / scale)));
            seen = Resize.area(gray, new GrayImage(sw, sh));
        }
        detector.detect(seen, params, found);
        List<FaceBox> boxes = new ArrayList<>(found.size());
        double sx = (double) w / seen.width();
        double sy = (double) h / seen.height();
        for (int i = 0; i < found.size(); i++) {
            int x = (int) Math.floor(found.x(i) * sx);
            int y = (int) Math.floor(found.y(i) * sy);
            int bw = Math.min(w - x, (int) Math.round(found.width(i) * sx));
            int bh = Math.min(h - y, (int) Math.round(found.height(i) * sy));
            if (bw > 0 && bh > 0) {
                boxes.add(new FaceBox(x, y, bw, bh, found.score(i)));
            }
        }
        return boxes;
    }
}
