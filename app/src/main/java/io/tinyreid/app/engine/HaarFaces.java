package io.tinyreid.app.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceFinder;
import io.tinyreid.app.pipeline.FrameDetector;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.track.Detections;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.PackedCascade;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.Resize;

/**
 * Vision's Haar cascade (OpenCV's frontal face, as on the reference device) for the frame loop
 * and for photos. The frame path allocates nothing; photos are shrunk to at most
 * {@link #PHOTO_SIDE} pixels a side for detection and the boxes scaled back.
 */
public final class HaarFaces implements FrameDetector, FaceFinder {
    /** Detection on photos runs at this resolution (faces in enrolment photos are large). */
    static final int PHOTO_SIDE = 640;
    /** OpenCV's defaults, with faces of at least 24 pixels (the cascade's window). */
    static final DetectionParams FRAME_PARAMS = new DetectionParams(1.1, 3, 24, 24, 0, 0);

    private final PackedCascade cascade;
    private final CascadeDetector frameDetector;
    private final io.tinyreid.vision.detect.Detections frameOut = new io.tinyreid.vision.detect.Detections(32);
    private final CascadeDetector photoDetector;
    private final io.tinyreid.vision.detect.Detections photoOut = new io.tinyreid.vision.detect.Detections(64);

    private HaarFaces(PackedCascade cascade) {
        this.cascade = cascade;
        this.frameDetector = new CascadeDetector(cascade, Frame.MAX_WIDTH, Frame.MAX_HEIGHT, 1024);
        this.photoDetector = new CascadeDetector(cascade, PHOTO_SIDE, PHOTO_SIDE, 4096);
    }

    /** Loads OpenCV's frontal face cascade (unpacked into the vision module at build time). */
    public static HaarFaces load() {
        try {
            return new HaarFaces(PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot load the face cascade: " + e.getMessage(), e);
        }
    }

    /** The packed cascade's size in bytes. */
    public int cascadeBytes() {
        return cascade.sizeBytes();
    }

    @Override
    public synchronized void detect(Frame frame, Detections out) {
        out.clear();
        frameDetector.detect(frame.gray(), FRAME_PARAMS, frameOut);
        for (int i = 0; i < frameOut.size() && i < out.capacity(); i++) {
            out.add(frameOut.x(i), frameOut.y(i), frameOut.width(i), frameOut.height(i), frameOut.score(i));
        }
    }

    @Override
    public synchronized List<FaceBox> find(BufferedImage photo) {
        int w = photo.getWidth();
        int h = photo.getHeight();
        GrayImage gray = new GrayImage(w, h);
        byte[] p = gray.pixels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = photo.getRGB(x, y);
                p[y * w + x] = (byte) ((((c >> 16) & 0xFF) * 4899 + ((c >> 8) & 0xFF) * 9617 + (c & 0xFF) * 1868 + 8192) >> 14);
            }
        }
        double scale = Math.min(1.0, (double) PHOTO_SIDE / Math.max(w, h));
        GrayImage small = gray;
        if (scale < 1.0) {
            small = new GrayImage(Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale)));
            Resize.area(gray, small);
        }
        photoDetector.detect(small, new DetectionParams(1.1, 3, 24, 24, 0, 0), photoOut);
        List<FaceBox> boxes = new ArrayList<>();
        double back = (double) w / small.width();
        for (int i = 0; i < photoOut.size(); i++) {
            int x = (int) Math.round(photoOut.x(i) * back);
            int y = (int) Math.round(photoOut.y(i) * back);
            int bw = Math.min(w - x, (int) Math.round(photoOut.width(i) * back));
            int bh = Math.min(h - y, (int) Math.round(photoOut.height(i) * back));
            if (bw > 0 && bh > 0) {
                boxes.add(new FaceBox(x, y, bw, bh, photoOut.score(i)));
            }
        }
        return boxes;
    }

}
