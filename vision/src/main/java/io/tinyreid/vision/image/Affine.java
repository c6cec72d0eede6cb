package io.tinyreid.vision.image;

/**
 * A 2-D affine map {@code x' = a*x + b*y + c, y' = d*x + e*y + f} (pixel centres at integer coordinates,
 * as in OpenCV's {@code warpAffine}).
 */
public record Affine(double a, double b, double c, double d, double e, double f) {
    /** The identity map. */
    public static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

    /** Scale about the origin then translate. */
    public static Affine scaleTranslate(double sx, double sy, double tx, double ty) {
        return new Affine(sx, 0, tx, 0, sy, ty);
    }

    /** Rotation by {@code radians} (counter-clockwise in a y-down image is clockwise on screen) and uniform scale, then translation. */
    public static Affine rotateScale(double radians, double scale, double tx, double ty) {
        double cs = Math.cos(radians) * scale, sn = Math.sin(radians) * scale;
        return new Affine(cs, -sn, tx, sn, cs, ty);
    }

    /**
     * The least-squares similarity (rotation, uniform scale, translation; no reflection) taking
     * each {@code from[i]} to {@code to[i]}; points are {@code x0, y0, x1, y1, ...}, at least two.
     */
    public static Affine similarity(double[] from, double[] to) {
        double[] m = new double[6];
        similarity(from, to, m);
        return new Affine(m[0], m[1], m[2], m[3], m[4], m[5]);
    }

    /**
     * As {@link #similarity(double[], double[])}, the coefficients {@code a, b, c, d, e, f} written
     * into {@code out} (allocation-free, for the frame loop).
     */
    public static void similarity(double[] from, double[] to, double[] out) {
        if (from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("need at least two point pairs as x,y arrays of equal length");
        }
        int n = from.length / 2;
        double mfx = 0, mfy = 0, mtx = 0, mty = 0;
        for (int i = 0; i < n; i++) {
            mfx += from[2 * i];
            mfy += from[2 * i + 1];
            mtx += to[2 * i];
            mty += to[2 * i + 1];
        }
        mfx /= n; mfy /= n; mtx /= n; mty /= n;
        double sxx = 0, sxy = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double fx = from[2 * i] - mfx, fy = from[2 * i + 1] - mfy;
            double tx = to[2 * i] - mtx, ty = to[2 * i + 1] - mty;
            sxx += fx * tx + fy * ty;   // cos component
            sxy += fx * ty - fy * tx;   // sin component
            norm += fx * fx + fy * fy;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("source points coincide");
        }
        double ca = sxx / norm, sa = sxy / norm;
        out[0] = ca;
        out[1] = -sa;
        out[2] = mtx - (ca * mfx - sa * mfy);
        out[3] = sa;
        out[4] = ca;
        out[5] = mty - (sa * mfx + ca * mfy);
    }

    /** Applies the map to x. */
    public double mapX(double x, double y) { return a * x + b * y + c; }

    /** Applies the map to y. */
    public double mapY(double x, double y) { return d * x + e * y + f; }

    /** The inverse map; fails for a singular matrix. */
    public Affine invert() {
        double[] m = new double[6];
        invert(a, b, c, d, e, f, m);
        return new Affine(m[0], m[1], m[2], m[3], m[4], m[5]);
    }

    /** The inverse of the map {@code a..f} written into {@code out} (allocation-free); fails for a singular matrix. */
    public static void invert(double a, double b, double c, double d, double e, double f, double[] out) {
        double det = a * e - b * d;
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("affine map is singular: " + new Affine(a, b, c, d, e, f));
        }
        double ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
        out[0] = ia;
        out[1] = ib;
        out[2] = -(ia * c + ib * f);
        out[3] = id;
        out[4] = ie;
        out[5] = -(id * c + ie * f);
    }

    /** This map followed by {@code next}. */
    public Affine then(Affine next) {
        return new Affine(
                next.a * a + next.b * d, next.a * b + next.b * e, next.a * c + next.b * f + next.c,
                next.d * a + next.e * d, next.d * b + next.e * e, next.d * c + next.e * f + next.f);
    }
}
