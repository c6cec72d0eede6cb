package io.tinyreid.app.engine;

import java.io.IOException;

import io.tinyreid.app.pipeline.FrameDetector;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.track.Detections;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.FaceDetector;

/**
 * Vision's Haar cascade (OpenCV's frontal face, as on the reference device) on the frame loop's
 * QVGA gray pictures. Scratch is sized for QVGA once; {@link #detect} allocates nothing.
 * (Photos go through the store's {@code HaarFaceFinder}.)
 */
public final class HaarFrameDetector implements FrameDetector {
    /** OpenCV's defaults, with faces of at least 24 pixels (the cascade's window). */
    public static final DetectionParams PARAMS = new DetectionParams(1.1, 3, 24, 24, 0, 0);

    private final FaceDetector detector;
    private final io.tinyreid.vision.detect.Detections found = new io.tinyreid.vision.detect.Detections(32);

    private HaarFrameDetector(FaceDetector detector) {
        this.detector = detector;
    }

    /** Loads OpenCV's frontal face cascade (unpacked into the vision module at build time). */
    public static HaarFrameDetector load() {
        try {
            return new HaarFrameDetector(FaceDetector.load(CascadeLibrary.DEFAULT_FACE, null, Frame.MAX_WIDTH, Frame.MAX_HEIGHT));
        } catch (IOException e) {
            throw new IllegalStateException("cannot load the face cascade: " + e.getMessage(), e);
        }
    }

    @Override
    public void detect(Frame frame, Detections out) {
        out.clear();
        detector.detect(frame.gray(), PARAMS, found);
        for (int i = 0; i < found.size() && i < out.capacity(); i++) {
            out.add(found.x(i), found.y(i), found.width(i), found.height(i), found.score(i));
        }
    }
}
