package io.tinyreid.app.track;

/** The face boxes found in one frame, in arrays allocated once and refilled every frame. */
public final class Detections {
    private final int[] x;
    private final int[] y;
    private final int[] w;
    private final int[] h;
    private final float[] score;
    private int count;

    /** Room for {@code capacity} boxes; more are ignored (the lowest-scoring ones should not be added). */
    public Detections(int capacity) {
        x = new int[capacity];
        y = new int[capacity];
        w = new int[capacity];
        h = new int[capacity];
        score = new float[capacity];
    }

    /** Forgets the previous frame's boxes. */
    public void clear() {
        count = 0;
    }

    /** Adds a box; returns false when full. */
    public boolean add(int bx, int by, int bw, int bh, float s) {
        if (count == x.length) {
            return false;
        }
        if (bw <= 0 || bh <= 0) {
            throw new IllegalArgumentException("empty box " + bw + "x" + bh);
        }
        x[count] = bx;
        y[count] = by;
        w[count] = bw;
        h[count] = bh;
        score[count] = s;
        count++;
        return true;
    }

    /** Bytes held by the box arrays. */
    public long sizeBytes() {
        return 4L * (x.length + y.length + w.length + h.length + score.length);
    }

    public int count() { return count; }

    public int capacity() { return x.length; }

    public int x(int i) { return x[i]; }

    public int y(int i) { return y[i]; }

    public int width(int i) { return w[i]; }

    public int height(int i) { return h[i]; }

    public float score(int i) { return score[i]; }

    /** Intersection over union of two boxes (0 when disjoint). */
    public static float iou(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh) {
        int ix = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
        int iy = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
        long inter = (long) ix * iy;
        long union = (long) aw * ah + (long) bw * bh - inter;
        return union <= 0 ? 0f : (float) inter / union;
    }
}
