package io.tinyreid.app.eval;

import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.faceapi.Landmarks68;
import io.tinyreid.vision.align.DlibChip;
import io.tinyreid.vision.image.Affine;
import io.tinyreid.vision.image.RgbImage;

/**
 * Turns an image and its face into dlib-resnet's input, per thread: the 150x150 chip (aligned as
 * asked) as planar pixel values. Landmark alignment runs face-api's 68-point net on the face box;
 * a face without eyes (eye alignment) falls back to the box chip and is counted.
 */
final class DlibInput {
    /** How our Haar boxes relate to dlib's chip (measured on LFW dev, see BENCHMARKS.md). */
    static final DlibChip.BoxFit HAAR_FIT = new DlibChip.BoxFit(1.30, 0.06);
    /** The box given to the landmark net, relative to the detector's box (face-api's SSD boxes are a bit larger than Haar's). */
    static final double LANDMARK_BOX_SCALE = 1.2;

    private final Alignment alignment;
    private final Runner landmarks;
    private final RgbImage chip = new RgbImage(DlibChip.SIZE, DlibChip.SIZE);
    private final float[] lmOut = new float[136];
    private final float[] lmIn = new float[3 * FaceApiImporter.LANDMARK_SIZE * FaceApiImporter.LANDMARK_SIZE];
    private int fallbacks;

    DlibInput(Alignment alignment, Runner landmarks) {
        this.alignment = alignment;
        this.landmarks = landmarks;
    }

    /** Faces that had to use the box chip because their alignment cue was missing. */
    int fallbacks() {
        return fallbacks;
    }

    /** Fills {@code input} (3 x 150 x 150) with the chip of {@code face}. */
    void prepare(RgbImage img, FoundFace face, float[] input) {
        Affine toChip = switch (alignment) {
            case LANDMARKS -> DlibChip.fromLandmarks68(landmarks(img, face), DlibChip.SIZE, DlibChip.PADDING);
            case EYES -> {
                if (face.eyes() == null) {
                    fallbacks++;
                    yield box(face);
                }
                float[] e = face.eyes();
                yield DlibChip.fromEyes(e[0], e[1], e[2], e[3], DlibChip.SIZE, DlibChip.PADDING);
            }
            case BOX -> box(face);
        };
        DlibChip.extract(img, toChip, DlibChip.SIZE, chip);
        planar(chip, input);
    }

    private static Affine box(FoundFace f) {
        return DlibChip.fromBox(f.x(), f.y(), f.width(), f.height(), DlibChip.SIZE, HAAR_FIT);
    }

    /** 68 landmarks in image pixels: the landmark net on the (enlarged, clipped) face box. */
    float[][] landmarks(RgbImage img, FoundFace f) {
        double side = Math.max(f.width(), f.height()) * LANDMARK_BOX_SCALE;
        int x0 = (int) Math.round(f.x() + f.width() / 2.0 - side / 2);
        int y0 = (int) Math.round(f.y() + f.height() / 2.0 - side / 2);
        int x1 = Math.min(img.width(), (int) Math.round(x0 + side));
        int y1 = Math.min(img.height(), (int) Math.round(y0 + side));
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        int w = x1 - x0;
        int h = y1 - y0;
        byte[] rgb = new byte[w * h * 3];
        byte[] r = img.red();
        byte[] g = img.green();
        byte[] b = img.blue();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int s = (y0 + y) * img.width() + x0 + x;
                int d = (y * w + x) * 3;
                rgb[d] = r[s];
                rgb[d + 1] = g[s];
                rgb[d + 2] = b[s];
            }
        }
        FaceApiInput.prepare(rgb, w, h, FaceApiImporter.LANDMARK_SIZE, lmIn);
        landmarks.run(lmIn, lmOut);
        float[][] p = Landmarks68.decode(lmOut, w, h);
        for (float[] q : p) {
            q[0] += x0;
            q[1] += y0;
        }
        return p;
    }

    static void planar(RgbImage img, float[] out) {
        int n = img.width() * img.height();
        byte[] r = img.red();
        byte[] g = img.green();
        byte[] b = img.blue();
        for (int i = 0; i < n; i++) {
            out[i] = r[i] & 0xff;
            out[n + i] = g[i] & 0xff;
            out[2 * n + i] = b[i] & 0xff;
        }
    }
}
