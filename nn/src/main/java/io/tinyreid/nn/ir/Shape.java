package io.tinyreid.nn.ir;

/** A feature map's shape, channels x height x width (a vector is {@code n x 1 x 1}). */
public record Shape(int channels, int height, int width) {
    public Shape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape must be positive: " + channels + "x" + height + "x" + width);
        }
    }

    /** A vector of {@code n} values. */
    public static Shape vector(int n) {
        return new Shape(n, 1, 1);
    }

    /** Number of elements. */
    public int size() {
        return channels * height * width;
    }

    /** Elements in one channel plane. */
    public int plane() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
