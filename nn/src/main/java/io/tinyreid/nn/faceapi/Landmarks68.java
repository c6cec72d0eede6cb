package io.tinyreid.nn.faceapi;

/**
 * Decodes FaceLandmark68Net's 136 outputs (x,y interleaved, relative to the padded square input)
 * into 68 points in the pixel coordinates of the crop the net was given, exactly as face-api's
 * {@code FaceLandmark68NetBase.postProcess} and {@code FaceLandmarks} do.
 */
public final class Landmarks68 {
    private Landmarks68() {}

    /** Points {@code [68][2]} in crop pixels for a crop of {@code width x height}. */
    public static float[][] decode(float[] out, int width, int height) {
        return decode(out, width, height, new float[68][2]);
    }

    /** As {@link #decode(float[], int, int)}, into {@code p} ({@code [68][2]}, returned; allocation-free). */
    public static float[][] decode(float[] out, int width, int height, float[][] p) {
        if (p.length != 68) {
            throw new IllegalArgumentException("expected room for 68 points, got " + p.length);
        }
        if (out.length != 136) {
            throw new IllegalArgumentException("expected 136 landmark outputs, got " + out.length);
        }
        int size = FaceApiImporter.LANDMARK_SIZE;
        // face-api: the input scaled so its longer side is the net size, padding half the difference.
        double scale = (double) size / Math.max(width, height);
        double sw = width * scale;
        double sh = height * scale;
        double padX = sw < sh ? Math.abs(sw - sh) / 2 : 0;
        double padY = sh < sw ? Math.abs(sw - sh) / 2 : 0;
        for (int i = 0; i < 68; i++) {
            float rx = (float) ((float) ((float) out[2 * i] * (float) size - (float) padX) / (float) sw);
            float ry = (float) ((float) ((float) out[2 * i + 1] * (float) size - (float) padY) / (float) sh);
            p[i][0] = rx * width;
            p[i][1] = ry * height;
        }
        return p;
    }

    /** Mean of points {@code from..to-1} (e.g. 36..41 the left eye in image terms, 42..47 the right). */
    public static float[] centre(float[][] pts, int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += pts[i][0];
            y += pts[i][1];
        }
        return new float[] {(float) (x / (to - from)), (float) (y / (to - from))};
    }
}
