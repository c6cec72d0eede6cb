package io.tinyreid.app.quality;

/**
 * Cheap quality measures of a square gray face crop (the network's 128x128 input), computed in
 * place without allocation so the frame loop can gate and weight every described face:
 * <ul>
 * <li>{@link #sharpness}: variance of the 4-neighbour Laplacian over the crop's interior divided by
 * the variance of the pixels (contrast-normalised: a dim or low-contrast face that is in focus does
 * not read as blurred, a brightened blurred one does not read as sharp);</li>
 * <li>{@link #asymmetry}: mean absolute difference between the crop and its left-right mirror,
 * divided by the pixels' mean absolute deviation: a frontal face is nearly mirror-symmetric, a turned
 * one is not (a pose proxy for the MCU path, which runs no landmark network);</li>
 * <li>{@link #yaw}: head yaw from 68-point landmarks (where they exist: the dlib-resnet path).</li>
 * </ul>
 */
public final class FaceQuality {
    private FaceQuality() {}

    /** Contrast-normalised Laplacian variance of a {@code side x side} crop (0 for a flat crop). */
    public static double sharpness(byte[] px, int side) {
        if (side < 3 || px.length < side * side) {
            throw new IllegalArgumentException("crop of side " + side + " with " + px.length + " pixels");
        }
        long sum = 0;
        long sumSq = 0;
        for (int i = 0; i < side * side; i++) {
            int v = px[i] & 0xFF;
            sum += v;
            sumSq += (long) v * v;
        }
        double n = (double) side * side;
        double var = sumSq / n - (sum / n) * (sum / n);
        if (var < 1e-6) {
            return 0;
        }
        long lSum = 0;
        long lSq = 0;
        for (int y = 1; y < side - 1; y++) {
            int row = y * side;
            for (int x = 1; x < side - 1; x++) {
                int i = row + x;
                int l = (px[i - 1] & 0xFF) + (px[i + 1] & 0xFF) + (px[i - side] & 0xFF) + (px[i + side] & 0xFF)
                        - 4 * (px[i] & 0xFF);
                lSum += l;
                lSq += (long) l * l;
            }
        }
        double m = (double) (side - 2) * (side - 2);
        double lVar = lSq / m - (lSum / m) * (lSum / m);
        return lVar / var;
    }

    /** Mirror asymmetry of a {@code side x side} crop: 0 for a mirror-symmetric crop, about 1 for unrelated halves. */
    public static double asymmetry(byte[] px, int side) {
        if (side < 2 || px.length < side * side) {
            throw new IllegalArgumentException("crop of side " + side + " with " + px.length + " pixels");
        }
        long sum = 0;
        for (int i = 0; i < side * side; i++) {
            sum += px[i] & 0xFF;
        }
        double mean = (double) sum / (side * side);
        double dev = 0;
        long diff = 0;
        for (int y = 0; y < side; y++) {
            int row = y * side;
            for (int x = 0; x < side; x++) {
                int v = px[row + x] & 0xFF;
                dev += Math.abs(v - mean);
                diff += Math.abs(v - (px[row + side - 1 - x] & 0xFF));
            }
        }
        return dev < 1e-6 ? 0 : diff / dev;
    }

    /**
     * Yaw from 68-point landmarks ({@code points[i] = {x, y}}, iBUG order): the nose tip's offset from
     * the midpoint of the outer eye corners, in units of that eye distance. 0 frontal; positive when
     * the nose points to the image's right (the person turned to their left), about +-0.5 at 60 degrees.
     */
    public static double yaw(float[][] points) {
        if (points.length != 68) {
            throw new IllegalArgumentException("68 landmarks expected, got " + points.length);
        }
        float[] left = points[36];  // outer corner of the eye on the image's left
        float[] right = points[45]; // outer corner of the eye on the image's right
        float[] nose = points[30];  // nose tip
        double ex = right[0] - left[0];
        double ey = right[1] - left[1];
        double eye2 = ex * ex + ey * ey;
        if (eye2 < 1e-12) {
            return 0;
        }
        // along the eye line, so that a tilted (rolled) head reads no yaw
        return ((nose[0] - (left[0] + right[0]) / 2) * ex + (nose[1] - (left[1] + right[1]) / 2) * ey) / eye2;
    }
}
