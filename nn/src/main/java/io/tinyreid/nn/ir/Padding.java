package io.tinyreid.nn.ir;

/** Zero padding around a feature map, in rows/columns on each side. */
public record Padding(int top, int left, int bottom, int right) {
    /** No padding. */
    public static final Padding NONE = new Padding(0, 0, 0, 0);

    public Padding {
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            throw new IllegalArgumentException("negative padding");
        }
    }

    /** The same padding on all four sides. */
    public static Padding same(int p) {
        return new Padding(p, p, p, p);
    }

    /** Output extent of a window of size {@code k} and stride {@code s} over {@code n} padded by {@code before}/{@code after}. */
    static int outExtent(int n, int before, int after, int k, int s) {
        int span = n + before + after - k;
        if (span < 0) {
            throw new IllegalArgumentException("window " + k + " larger than padded input " + (n + before + after));
        }
        return span / s + 1;
    }
}
