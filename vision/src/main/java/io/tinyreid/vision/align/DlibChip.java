package io.tinyreid.vision.align;

import io.tinyreid.vision.image.Affine;
import io.tinyreid.vision.image.AffineWarp;
import io.tinyreid.vision.image.RgbImage;

/**
 * dlib's canonical face chip, the crop its ResNet was trained on: a similarity transform that puts
 * the face's landmarks on dlib's mean face ({@code get_face_chip_details}, 150x150 with padding
 * 0.25 in dlib's face recognition example). Three ways to get it:
 * <ul>
 * <li>{@link #fromLandmarks68}: a least-squares fit of 68-point landmarks (points 27..54 and 60..64,
 * as dlib: no jaw, eyebrows or lower lip);</li>
 * <li>{@link #fromEyes}: the exact similarity putting two eye centres on the mean face's eye
 * centres (rotation included);</li>
 * <li>{@link #fromBox}: the fallback without landmarks, the square a detector box implies.</li>
 * </ul>
 */
public final class DlibChip {
    /** The chip side for dlib's ResNet. */
    public static final int SIZE = 150;
    /** The padding around the mean face in dlib's example. */
    public static final double PADDING = 0.25;

    /** dlib's mean face: positions of landmarks 17..67 in the unit square (shape_predictor_68 convention). */
    private static final double[] MEAN_X = {
        0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
        0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
        0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
        0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
        0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
        0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
        0.553364, 0.490127, 0.42689};
    private static final double[] MEAN_Y = {
        0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
        0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
        0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
        0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
        0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
        0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
        0.784792, 0.824182, 0.831803, 0.824182};

    private DlibChip() {}

    /** Whether dlib's fit uses landmark {@code i} (0..67). */
    static boolean used(int i) {
        return i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65 && i <= 67);
    }

    /** Landmark {@code i}'s position in the chip. */
    static double chipX(int i, int size, double padding) {
        return (padding + MEAN_X[i - 17]) / (2 * padding + 1) * size;
    }

    static double chipY(int i, int size, double padding) {
        return (padding + MEAN_Y[i - 17]) / (2 * padding + 1) * size;
    }

    /** The mean-face centre of landmarks {@code from..to-1} in the chip, {x, y}. */
    static double[] chipCentre(int from, int to, int size, double padding) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += chipX(i, size, padding);
            y += chipY(i, size, padding);
        }
        return new double[] {x / (to - from), y / (to - from)};
    }

    /** Image-to-chip map from 68 landmarks ({@code pts[i] = {x, y}} in image pixels). */
    public static Affine fromLandmarks68(float[][] pts, int size, double padding) {
        if (pts.length != 68) {
            throw new IllegalArgumentException("expected 68 landmarks, got " + pts.length);
        }
        int n = 0;
        for (int i = 0; i < 68; i++) {
            if (used(i)) {
                n++;
            }
        }
        double[] from = new double[2 * n];
        double[] to = new double[2 * n];
        int k = 0;
        for (int i = 0; i < 68; i++) {
            if (used(i)) {
                from[2 * k] = pts[i][0];
                from[2 * k + 1] = pts[i][1];
                to[2 * k] = chipX(i, size, padding);
                to[2 * k + 1] = chipY(i, size, padding);
                k++;
            }
        }
        return Affine.similarity(from, to);
    }

    /**
     * Image-to-chip map putting the eye centres on the mean face's (landmarks 36..41 and 42..47):
     * {@code (lx, ly)} is the eye on the image's left, {@code (rx, ry)} the one on its right.
     */
    public static Affine fromEyes(double lx, double ly, double rx, double ry, int size, double padding) {
        double[] l = chipCentre(36, 42, size, padding);
        double[] r = chipCentre(42, 48, size, padding);
        return Affine.similarity(new double[] {lx, ly, rx, ry}, new double[] {l[0], l[1], r[0], r[1]});
    }

    /**
     * Image-to-chip map from a face box alone: the chip is the square of side {@code fit.scale * w}
     * centred {@code fit.shiftY * h} below the box centre (no rotation).
     */
    public static Affine fromBox(double x, double y, double w, double h, int size, BoxFit fit) {
        double side = fit.scale() * w;
        // Pixel centres are at integer coordinates: the box's centre is x + (w - 1) / 2.
        double cx = x + (w - 1) / 2.0;
        double cy = y + (h - 1) / 2.0 + fit.shiftY() * h;
        double s = size / side;
        return Affine.scaleTranslate(s, s, (size - 1) / 2.0 - s * cx, (size - 1) / 2.0 - s * cy);
    }

    /** How a detector's box relates to the chip: side over box width, and the centre's downward shift in box heights. */
    public record BoxFit(double scale, double shiftY) {}

    /**
     * {@link #fromLandmarks68} and {@link #extract} for a loop that must not allocate: the same
     * least-squares fit and the same warp, bit for bit, into buffers held here. Not thread-safe.
     */
    public static final class Fitter {
        private final int size;
        private final double[] from;
        private final double[] to;
        private final double[] toChip = new double[6];
        private final double[] toImage = new double[6];

        /** A fitter for chips of {@code size} pixels with dlib's {@code padding}. */
        public Fitter(int size, double padding) {
            this.size = size;
            int n = 0;
            for (int i = 0; i < 68; i++) {
                if (used(i)) {
                    n++;
                }
            }
            from = new double[2 * n];
            to = new double[2 * n];
            int k = 0;
            for (int i = 0; i < 68; i++) {
                if (used(i)) {
                    to[2 * k] = chipX(i, size, padding);
                    to[2 * k + 1] = chipY(i, size, padding);
                    k++;
                }
            }
        }

        /** Fits the image-to-chip map to 68 landmarks ({@code pts[i] = {x, y}} in image pixels). */
        public void fit(float[][] pts) {
            if (pts.length != 68) {
                throw new IllegalArgumentException("expected 68 landmarks, got " + pts.length);
            }
            int k = 0;
            for (int i = 0; i < 68; i++) {
                if (used(i)) {
                    from[2 * k] = pts[i][0];
                    from[2 * k + 1] = pts[i][1];
                    k++;
                }
            }
            Affine.similarity(from, to, toChip);
            Affine.invert(toChip[0], toChip[1], toChip[2], toChip[3], toChip[4], toChip[5], toImage);
        }

        /** Warps the last fitted chip out of {@code src} into {@code dst} (reshaped to size x size), black outside the image. */
        public RgbImage extract(RgbImage src, RgbImage dst) {
            dst.reshape(size, size);
            double[] m = toImage;
            AffineWarp.warpPlane(src.red(), src.width(), src.height(), dst.red(), size, size, m[0], m[1], m[2], m[3], m[4], m[5],
                    AffineWarp.Border.CONSTANT, 0);
            AffineWarp.warpPlane(src.green(), src.width(), src.height(), dst.green(), size, size, m[0], m[1], m[2], m[3], m[4],
                    m[5], AffineWarp.Border.CONSTANT, 0);
            AffineWarp.warpPlane(src.blue(), src.width(), src.height(), dst.blue(), size, size, m[0], m[1], m[2], m[3], m[4], m[5],
                    AffineWarp.Border.CONSTANT, 0);
            return dst;
        }
    }

    /** Warps the chip out of {@code src} into {@code dst} (reshaped to size x size), black outside the image. */
    public static RgbImage extract(RgbImage src, Affine imageToChip, int size, RgbImage dst) {
        dst.reshape(size, size);
        return AffineWarp.warp(src, dst, imageToChip, AffineWarp.Border.CONSTANT, 0);
    }
}
