package io.tinyreid.app.face;

import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.faceapi.Landmarks68;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.vision.align.DlibChip;
import io.tinyreid.vision.image.RgbImage;

/**
 * dlib-resnet's alignment, one implementation for photos ({@link DlibResnetEmbedder}) and the frame
 * loop ({@code DlibResnetFrames}) so that gallery and frames see the same pixels: face-api's 68
 * landmark net on the detector's box enlarged {@value #LANDMARK_BOX_SCALE}x (clipped to the image,
 * read in place from the RGB planes, face-api's pad-to-square and resize to 112), dlib's 150x150
 * chip fitted to the landmarks and warped out of the image, then the chip as the recognition net's
 * planar input. Allocation-free after construction; not thread-safe (one per network pair).
 */
public final class DlibAlignment {
    /** The face box is enlarged this much for the landmark net (as the LFW evaluation does). */
    public static final double LANDMARK_BOX_SCALE = 1.2;
    /** The landmark net's input side. */
    public static final int LANDMARK_SIDE = FaceApiImporter.LANDMARK_SIZE;
    /** Values the landmark net puts out (68 points, x and y). */
    public static final int LANDMARK_OUTPUTS = 136;

    private final float[] landmarkInput = new float[3 * LANDMARK_SIDE * LANDMARK_SIDE];
    private final float[] landmarkOutput = new float[LANDMARK_OUTPUTS];
    private final float[][] points = new float[68][2];
    private final DlibChip.Fitter fitter = new DlibChip.Fitter(DlibChip.SIZE, DlibChip.PADDING);
    private final RgbImage chip = new RgbImage(DlibChip.SIZE, DlibChip.SIZE);
    private final float[] chipInput = new float[3 * DlibChip.SIZE * DlibChip.SIZE];
    // the landmark net's window of the image, from the last landmarkInput()
    private int windowX;
    private int windowY;
    private int windowW;
    private int windowH;

    /**
     * The landmark net's input for the face in box (x, y, w, h) of {@code img}: the box enlarged
     * {@value #LANDMARK_BOX_SCALE}x, clipped to the image, padded to a square and resized to 112 as
     * face-api does (planar RGB 0..255; the returned array is reused by the next call).
     */
    public float[] landmarkInput(RgbImage img, int x, int y, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("empty face box " + w + "x" + h);
        }
        double side = Math.max(w, h) * LANDMARK_BOX_SCALE;
        int x0 = (int) Math.round(x + w / 2.0 - side / 2);
        int y0 = (int) Math.round(y + h / 2.0 - side / 2);
        int x1 = Math.min(img.width(), (int) Math.round(x0 + side));
        int y1 = Math.min(img.height(), (int) Math.round(y0 + side));
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        int cw = x1 - x0;
        int ch = y1 - y0;
        if (cw <= 0 || ch <= 0) {
            throw new IllegalArgumentException("face box " + w + "x" + h + " at " + x + "," + y + " lies outside the "
                    + img.width() + "x" + img.height() + " image");
        }
        FaceApiInput.prepare(img.red(), img.green(), img.blue(), img.width(), x0, y0, cw, ch, LANDMARK_SIDE, landmarkInput);
        windowX = x0;
        windowY = y0;
        windowW = cw;
        windowH = ch;
        return landmarkInput;
    }

    /**
     * The 68 landmarks of the face in box (x, y, w, h) of {@code img}, in image pixels, by
     * {@code landmarkNet} (float or integer); the returned array is reused by the next call.
     */
    public float[][] landmarks(RgbImage img, int x, int y, int w, int h, CompiledModel landmarkNet) {
        landmarkNet.embed(landmarkInput(img, x, y, w, h), landmarkOutput);
        Landmarks68.decode(landmarkOutput, windowW, windowH, points);
        for (float[] q : points) {
            q[0] += windowX;
            q[1] += windowY;
        }
        return points;
    }

    /**
     * Aligns the face in box (x, y, w, h) of {@code img}: landmarks, chip, and the chip as planar
     * RGB 0..255, the recognition net's input (the returned array is reused by the next call).
     */
    public float[] align(RgbImage img, int x, int y, int w, int h, CompiledModel landmarkNet) {
        fitter.fit(landmarks(img, x, y, w, h, landmarkNet));
        fitter.extract(img, chip);
        int n = DlibChip.SIZE * DlibChip.SIZE;
        byte[] r = chip.red();
        byte[] g = chip.green();
        byte[] b = chip.blue();
        float[] in = chipInput;
        for (int i = 0; i < n; i++) {
            in[i] = r[i] & 0xff;
            in[n + i] = g[i] & 0xff;
            in[2 * n + i] = b[i] & 0xff;
        }
        return in;
    }

    /** The chip of the last {@link #align} (150x150 RGB). */
    public RgbImage chip() {
        return chip;
    }

    /** Bytes of the chip's pixels (what a device holds between cutting it and the recognition net's input). */
    public static long chipBytes() {
        return 3L * DlibChip.SIZE * DlibChip.SIZE;
    }

    /** Bytes of the landmark points and the fitted chip map, kept from the landmark net to the chip (float32 points, 6 doubles). */
    public static long pointsBytes() {
        return 68L * 2 * Float.BYTES + 6L * Double.BYTES;
    }
}
