package io.tinyreid.vision.detect;

/**
 * OpenCV's {@code groupRectangles}: raw windows are partitioned into classes of similar rectangles
 * (corners within {@code eps * (min width + min height) / 2}, transitively), each class with more than
 * {@code groupThreshold} members is averaged, and classes lying inside a larger, better-supported
 * class are dropped. Works in place on the candidate arrays (no allocation).
 */
final class CandidateGrouping {
    private CandidateGrouping() {}

    static void group(short[] x, short[] y, short[] w, short[] h, float[] score, short[] lab, int n,
                      int groupThreshold, double eps, int imgW, int imgH, Detections out) {
        if (groupThreshold <= 0) {
            for (int i = 0; i < n; i++) {
                emit(out, x[i], y[i], w[i], h[i], 1, score[i], imgW, imgH);
            }
            return;
        }
        if (n == 0) return;
        // Union-find; a root is always the smallest index of its class.
        for (int i = 0; i < n; i++) lab[i] = (short) i;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (similar(x[i], y[i], w[i], h[i], x[j], y[j], w[j], h[j], eps)) {
                    int ri = find(lab, i), rj = find(lab, j);
                    if (ri != rj) {
                        if (ri < rj) lab[rj] = (short) ri;
                        else lab[ri] = (short) rj;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) lab[i] = lab[lab[i]]; // parents precede children: one pass flattens
        // Class ids in order of first appearance, written over the root pointers.
        int nclasses = 0;
        for (int i = 0; i < n; i++) {
            int r = lab[i];
            lab[i] = r == i ? (short) nclasses++ : lab[r];
        }
        // Class c's members all have index >= c, so its average can be written into slot c.
        for (int cl = 0; cl < nclasses; cl++) {
            int sx = 0, sy = 0, sw = 0, sh = 0, cnt = 0;
            float best = Float.NEGATIVE_INFINITY;
            for (int i = cl; i < n; i++) {
                if (lab[i] == cl) {
                    sx += x[i];
                    sy += y[i];
                    sw += w[i];
                    sh += h[i];
                    cnt++;
                    best = Math.max(best, score[i]);
                }
            }
            float s = 1.f / cnt;
            x[cl] = (short) Math.rint(sx * s);
            y[cl] = (short) Math.rint(sy * s);
            w[cl] = (short) Math.rint(sw * s);
            h[cl] = (short) Math.rint(sh * s);
            score[cl] = best;
            lab[cl] = (short) cnt;
        }
        for (int i = 0; i < nclasses; i++) {
            int n1 = lab[i];
            if (n1 <= groupThreshold) continue;
            boolean inside = false;
            for (int j = 0; j < nclasses && !inside; j++) {
                int n2 = lab[j];
                if (j == i || n2 <= groupThreshold) continue;
                int dx = (int) Math.rint(w[j] * eps);
                int dy = (int) Math.rint(h[j] * eps);
                inside = x[i] >= x[j] - dx && y[i] >= y[j] - dy
                        && x[i] + w[i] <= x[j] + w[j] + dx && y[i] + h[i] <= y[j] + h[j] + dy
                        && (n2 > Math.max(3, n1) || n1 < 3);
            }
            if (!inside) emit(out, x[i], y[i], w[i], h[i], n1, score[i], imgW, imgH);
        }
    }

    /** Adds the box clipped to the image (OpenCV's clipObjects); empty boxes are dropped. */
    private static void emit(Detections out, int bx, int by, int bw, int bh, int n, float s, int imgW, int imgH) {
        int x0 = Math.max(bx, 0), y0 = Math.max(by, 0);
        int x1 = Math.min(bx + bw, imgW), y1 = Math.min(by + bh, imgH);
        if (x1 > x0 && y1 > y0) out.add(x0, y0, x1 - x0, y1 - y0, n, s);
    }

    private static int find(short[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    static boolean similar(int x1, int y1, int w1, int h1, int x2, int y2, int w2, int h2, double eps) {
        double delta = eps * (Math.min(w1, w2) + Math.min(h1, h2)) * 0.5;
        return Math.abs(x1 - x2) <= delta && Math.abs(y1 - y2) <= delta
                && Math.abs(x1 + w1 - x2 - w2) <= delta && Math.abs(y1 + h1 - y2 - h2) <= delta;
    }
}
