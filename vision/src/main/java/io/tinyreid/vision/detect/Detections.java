package io.tinyreid.vision.detect;

/**
 * A caller-owned, reusable list of detected boxes (plain arrays, so a frame loop allocates nothing).
 * Each box has a score (sum of stage margins of its best window), the number of raw windows merged
 * into it, and optionally two eye centres.
 */
public final class Detections {
    private final int capacity;
    private int count;
    private boolean truncated;
    final int[] x, y, w, h, neighbors;
    final float[] score;
    final float[] eyes; // lx, ly, rx, ry per box; NaN when not found
    final boolean[] hasEyes;

    /** A container holding at most {@code capacity} boxes. */
    public Detections(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
        x = new int[capacity];
        y = new int[capacity];
        w = new int[capacity];
        h = new int[capacity];
        neighbors = new int[capacity];
        score = new float[capacity];
        eyes = new float[4 * capacity];
        hasEyes = new boolean[capacity];
    }

    /** Maximum number of boxes. */
    public int capacity() { return capacity; }

    /** Number of boxes. */
    public int size() { return count; }

    /** True when more boxes (or raw windows) were found than fitted; the excess was dropped. */
    public boolean truncated() { return truncated; }

    /** Left edge of box i. */
    public int x(int i) { return x[check(i)]; }

    /** Top edge of box i. */
    public int y(int i) { return y[check(i)]; }

    /** Width of box i. */
    public int width(int i) { return w[check(i)]; }

    /** Height of box i. */
    public int height(int i) { return h[check(i)]; }

    /** Raw windows merged into box i. */
    public int neighbors(int i) { return neighbors[check(i)]; }

    /** Score of box i: the sum over stages of (stage sum - stage threshold) of its best window. */
    public float score(int i) { return score[check(i)]; }

    /** True when both eye centres of box i were found. */
    public boolean hasEyes(int i) { return hasEyes[check(i)]; }

    /** Eye centre coordinate: {@code k} = 0 left x, 1 left y, 2 right x, 3 right y (image pixels; left = smaller x). */
    public float eye(int i, int k) { return eyes[4 * check(i) + k]; }

    /** Bytes held. */
    public int sizeBytes() {
        return capacity * (6 * 4 + 4 * 4 + 1) + 16;
    }

    /** Empties the list (keeps the arrays). */
    public void clear() {
        count = 0;
        truncated = false;
    }

    /** Appends a box; returns false (and marks truncated) when full. */
    boolean add(int bx, int by, int bw, int bh, int n, float s) {
        if (count == capacity) {
            truncated = true;
            return false;
        }
        x[count] = bx;
        y[count] = by;
        w[count] = bw;
        h[count] = bh;
        neighbors[count] = n;
        score[count] = s;
        hasEyes[count] = false;
        eyes[4 * count] = eyes[4 * count + 1] = eyes[4 * count + 2] = eyes[4 * count + 3] = Float.NaN;
        count++;
        return true;
    }

    void markTruncated() {
        truncated = true;
    }

    void setEyes(int i, float lx, float ly, float rx, float ry) {
        eyes[4 * i] = lx;
        eyes[4 * i + 1] = ly;
        eyes[4 * i + 2] = rx;
        eyes[4 * i + 3] = ry;
        hasEyes[i] = true;
    }

    void removeLast() {
        count--;
    }

    private int check(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("box " + i + " of " + count);
        return i;
    }

    /** One box as a value (allocates; for reports and tests, not frame loops). */
    public record Box(int x, int y, int width, int height, int neighbors, float score) {}

    /** Box i as a value. */
    public Box box(int i) {
        check(i);
        return new Box(x[i], y[i], w[i], h[i], neighbors[i], score[i]);
    }
}
