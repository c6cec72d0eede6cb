package io.tinyreid.vision.detect;

import java.util.ArrayList;
import java.util.List;

import io.tinyreid.vision.cascade.Cascade;
import io.tinyreid.vision.cascade.Cascade.HaarFeature;
import io.tinyreid.vision.cascade.Cascade.LbpFeature;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.LinearResizer;
import io.tinyreid.vision.image.Resize;

/**
 * An obviously-correct reference detector, written separately from {@link CascadeDetector}: the float
 * cascade straight from the XML model, whole-image integral images in longs, a tilted integral summed
 * from its definition, double-precision stage sums (as OpenCV), and a plain grouping. Slow; tests only.
 */
final class NaiveCascadeDetector {
    private final Cascade c;

    NaiveCascadeDetector(Cascade c) {
        this.c = c;
    }

    /** Raw accepted windows (x, y, w, h) of one scale, before grouping. */
    List<int[]> windows(GrayImage img, float sc) {
        List<int[]> out = new ArrayList<>();
        int lw = (int) Math.rint(img.width() / sc), lh = (int) Math.rint(img.height() / sc);
        if (lw < c.windowWidth() || lh < c.windowHeight()) return out;
        GrayImage level = Resize.bilinear(img, new GrayImage(lw, lh), new LinearResizer(LinearResizer.Mode.LINEAR_EXACT));
        long[][] s = new long[lh + 1][lw + 1], q = new long[lh + 1][lw + 1];
        for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
                long p = level.get(x, y);
                s[y + 1][x + 1] = s[y][x + 1] + s[y + 1][x] - s[y][x] + p;
                q[y + 1][x + 1] = q[y][x + 1] + q[y + 1][x] - q[y][x] + p * p;
            }
        }
        long[][] t = c.hasTiltedFeatures() ? tilted(level) : null;
        int step = sc >= 2 ? 1 : 2;
        int ww = (int) Math.rint(c.windowWidth() * sc), wh = (int) Math.rint(c.windowHeight() * sc);
        for (int y = 0; y + c.windowHeight() <= lh; y += step) {
            for (int x = 0; x + c.windowWidth() <= lw; x += step) {
                int r = evaluate(s, q, t, x, y);
                if (r > 0) out.add(new int[] {(int) Math.rint(x * sc), (int) Math.rint(y * sc), ww, wh});
                if (r == 0) x += step;
            }
        }
        return out;
    }

    /** Tilted integral from its definition: T(X,Y) = sum of p(x,y) for y < Y and |x - (X-1)| <= Y-1-y. */
    static long[][] tilted(GrayImage img) {
        int w = img.width(), h = img.height();
        long[][] rowPrefix = new long[h][w + 1];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rowPrefix[y][x + 1] = rowPrefix[y][x] + img.get(x, y);
        long[][] t = new long[h + 1][w + 1];
        for (int yy = 0; yy <= h; yy++) {
            for (int xx = 0; xx <= w; xx++) {
                long acc = 0;
                for (int y = 0; y < yy; y++) {
                    int d = yy - 1 - y;
                    int x0 = Math.max(0, xx - 1 - d), x1 = Math.min(w - 1, xx - 1 + d);
                    if (x1 >= x0) acc += rowPrefix[y][x1 + 1] - rowPrefix[y][x0];
                }
                t[yy][xx] = acc;
            }
        }
        return t;
    }

    private int evaluate(long[][] s, long[][] q, long[][] t, int x, int y) {
        float vnf = 1f;
        if (c.type() == Cascade.FeatureType.HAAR) {
            int nx = x + 1, ny = y + 1, nw = c.windowWidth() - 2, nh = c.windowHeight() - 2;
            long sum = s[ny + nh][nx + nw] - s[ny][nx + nw] - s[ny + nh][nx] + s[ny][nx];
            long sq = q[ny + nh][nx + nw] - q[ny][nx + nw] - q[ny + nh][nx] + q[ny][nx];
            double area = (double) nw * nh;
            double nf = area * sq - (double) sum * sum;
            if (nf <= 0) return -1;
            vnf = (float) (1.0 / Math.sqrt(nf));
            if (!(area * vnf < 0.1)) return -1;
        }
        for (int si = 0; si < c.stages().size(); si++) {
            Cascade.Stage st = c.stages().get(si);
            double acc = 0;
            for (Cascade.Tree tree : st.trees()) {
                int idx = 0;
                do {
                    Cascade.Node n = tree.nodes().get(idx);
                    boolean left;
                    if (c.type() == Cascade.FeatureType.HAAR) {
                        HaarFeature f = (HaarFeature) c.features().get(n.feature());
                        float v = 0;
                        for (int r = 0; r < f.count(); r++) {
                            int[] rc = f.rects();
                            int rx = x + rc[4 * r], ry = y + rc[4 * r + 1], rw = rc[4 * r + 2], rh = rc[4 * r + 3];
                            long area = f.tilted()
                                    ? t[ry][rx] - t[ry + rh][rx - rh] - t[ry + rw][rx + rw] + t[ry + rw + rh][rx + rw - rh]
                                    : s[ry + rh][rx + rw] - s[ry][rx + rw] - s[ry + rh][rx] + s[ry][rx];
                            v += f.weights()[r] * area;
                        }
                        left = (double) (v * vnf) < n.threshold();
                    } else {
                        LbpFeature f = (LbpFeature) c.features().get(n.feature());
                        long[] b = new long[9];
                        for (int by = 0; by < 3; by++) {
                            for (int bx = 0; bx < 3; bx++) {
                                int x0 = x + f.x() + bx * f.w(), y0 = y + f.y() + by * f.h();
                                b[by * 3 + bx] = s[y0 + f.h()][x0 + f.w()] - s[y0][x0 + f.w()] - s[y0 + f.h()][x0] + s[y0][x0];
                            }
                        }
                        int[] order = {0, 1, 2, 5, 8, 7, 6, 3}; // clockwise from the top-left block, bit 7 first
                        int code = 0;
                        for (int k = 0; k < 8; k++) if (b[order[k]] >= b[4]) code |= 1 << (7 - k);
                        left = (n.subset()[code >> 5] & (1 << (code & 31))) != 0;
                    }
                    idx = left ? n.left() : n.right();
                } while (idx > 0);
                acc += tree.leaves()[-idx];
            }
            if (acc < st.threshold() - 1e-5f) return -si;
        }
        return 1;
    }

    /** All raw windows over OpenCV's scale list. */
    List<int[]> allWindows(GrayImage img, DetectionParams p) {
        List<int[]> out = new ArrayList<>();
        int maxW = p.maxWidth() == 0 || p.maxHeight() == 0 ? img.width() : p.maxWidth();
        int maxH = p.maxWidth() == 0 || p.maxHeight() == 0 ? img.height() : p.maxHeight();
        for (double f = 1; ; f *= p.scaleFactor()) {
            int ww = (int) Math.rint(c.windowWidth() * f), wh = (int) Math.rint(c.windowHeight() * f);
            if (ww > maxW || wh > maxH || ww > img.width() || wh > img.height()) break;
            if (ww < p.minWidth() || wh < p.minHeight()) continue;
            for (int[] r : windows(img, (float) f)) {
                // detectMultiScale clips its boxes to the image (rounding can push a window 1 px out).
                int x0 = Math.max(0, r[0]), y0 = Math.max(0, r[1]);
                int x1 = Math.min(img.width(), r[0] + r[2]), y1 = Math.min(img.height(), r[1] + r[3]);
                if (x1 > x0 && y1 > y0) out.add(new int[] {x0, y0, x1 - x0, y1 - y0});
            }
        }
        return out;
    }
}
