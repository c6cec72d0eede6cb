package io.tinyreid.vision.detect;

import java.io.IOException;

import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.image.GrayImage;

/**
 * Faces, and optionally eye centres, in gray frames: a face cascade over the frame, then an eye
 * cascade inside the upper part of each face box. Allocation-free per frame after construction;
 * one instance per thread.
 */
public final class FaceDetector {
    private final CascadeDetector faces;
    private final CascadeDetector eyes;
    private final Detections eyeHits = new Detections(32);

    /** Wraps a face detector and an optional eye detector (null: no eyes). */
    public FaceDetector(CascadeDetector faces, CascadeDetector eyes) {
        this.faces = faces;
        this.eyes = eyes;
    }

    /**
     * Loads cascades by name or path ({@link CascadeLibrary}) with scratch for frames up to
     * {@code maxWidth x maxHeight}; {@code eyeCascade} may be null.
     */
    public static FaceDetector load(String faceCascade, String eyeCascade, int maxWidth, int maxHeight) throws IOException {
        CascadeDetector f = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(faceCascade)), maxWidth, maxHeight, 1024);
        CascadeDetector e = null;
        if (eyeCascade != null) {
            // Eyes are searched in at most the upper 60% of a face no larger than the frame.
            e = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(eyeCascade)), maxWidth, maxHeight * 6 / 10 + 1, 256);
        }
        return new FaceDetector(f, e);
    }

    /** The reference setup: OpenCV's frontal-face Haar cascade and its eye cascade, for QVGA frames. */
    public static FaceDetector qvgaDefault() throws IOException {
        return load(CascadeLibrary.DEFAULT_FACE, CascadeLibrary.DEFAULT_EYE, 320, 240);
    }

    /** True when eye centres are searched. */
    public boolean findsEyes() {
        return eyes != null;
    }

    /** The face detector. */
    public CascadeDetector faceDetector() {
        return faces;
    }

    /** Detects faces (and eyes when configured) into {@code out}. */
    public void detect(GrayImage frame, DetectionParams p, Detections out) {
        faces.detect(frame, p, out);
        if (eyes == null) return;
        for (int i = 0; i < out.size(); i++) {
            findEyes(frame, out, i);
        }
    }

    private void findEyes(GrayImage frame, Detections out, int i) {
        int fx = out.x[i], fy = out.y[i], fw = out.w[i], fh = out.h[i];
        int ry = fy + fh / 8;
        int rh = Math.min(frame.height() - ry, fh * 6 / 10 - fh / 8);
        int ew = eyes.cascade().windowWidth();
        if (rh < eyes.cascade().windowHeight() || fw < 2 * ew) return;
        int minEye = Math.max(ew, fw / 8);
        eyes.detect(frame, fx, ry, fw, rh, 1.1, 2, minEye, minEye, fw / 2, fw / 2, eyeHits);
        float cx = fx + fw * 0.5f;
        int left = -1, right = -1;
        for (int k = 0; k < eyeHits.size(); k++) {
            float ex = eyeHits.x[k] + eyeHits.w[k] * 0.5f;
            if (ex < cx) {
                if (left < 0 || eyeHits.score[k] > eyeHits.score[left]) left = k;
            } else {
                if (right < 0 || eyeHits.score[k] > eyeHits.score[right]) right = k;
            }
        }
        if (left >= 0 && right >= 0) {
            out.setEyes(i, eyeHits.x[left] + eyeHits.w[left] * 0.5f, eyeHits.y[left] + eyeHits.h[left] * 0.5f,
                    eyeHits.x[right] + eyeHits.w[right] * 0.5f, eyeHits.y[right] + eyeHits.h[right] * 0.5f);
        }
    }

    /** Bytes held, for the memory plan; {@code results} may be null. */
    public MemoryReport memory(Detections results) {
        return new MemoryReport(faces.cascade().sizeBytes(), faces.scratchBytes(),
                eyes == null ? 0 : eyes.cascade().sizeBytes(), eyes == null ? 0 : eyes.scratchBytes() + eyeHits.sizeBytes(),
                results == null ? 0 : results.sizeBytes());
    }
}
