package io.tinyreid.vision.image;

import java.util.Arrays;

/**
 * An 8-bit grayscale image: one row-major plane, {@code stride == width}.
 *
 * <p>Reusable: {@link #reshape} keeps the pixel array when the new size fits its capacity, so a
 * frame loop that refills the same image allocates nothing.
 */
public final class GrayImage {
    private byte[] pixels;
    private int width;
    private int height;

    /** A black image of the given size. */
    public GrayImage(int width, int height) {
        checkSize(width, height);
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height];
    }

    /** Wraps an existing row-major plane (not copied). */
    public GrayImage(int width, int height, byte[] pixels) {
        checkSize(width, height);
        if (pixels.length < width * height) {
            throw new IllegalArgumentException("pixel array holds " + pixels.length + " bytes, need " + width * height);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image too large: " + width + "x" + height);
        }
    }

    /** Width in pixels. */
    public int width() { return width; }

    /** Height in pixels. */
    public int height() { return height; }

    /** The backing plane (row-major, stride = width); may be longer than width*height. */
    public byte[] pixels() { return pixels; }

    /** Bytes held by the backing array. */
    public int capacity() { return pixels.length; }

    /** Changes the size, reallocating only when the new size exceeds the capacity. Contents are undefined. */
    public GrayImage reshape(int newWidth, int newHeight) {
        checkSize(newWidth, newHeight);
        int n = newWidth * newHeight;
        if (n > pixels.length) {
            pixels = new byte[n];
        }
        width = newWidth;
        height = newHeight;
        return this;
    }

    /** Pixel value 0..255. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }

    /** Sets a pixel (value clamped to 0..255). */
    public void set(int x, int y, int value) {
        pixels[y * width + x] = (byte) Math.max(0, Math.min(255, value));
    }

    /** Fills every pixel with one value. */
    public void fill(int value) {
        Arrays.fill(pixels, 0, width * height, (byte) value);
    }

    /** Copies this image into {@code dst} (reshaped to this size). */
    public GrayImage copyTo(GrayImage dst) {
        dst.reshape(width, height);
        System.arraycopy(pixels, 0, dst.pixels, 0, width * height);
        return dst;
    }

    /** A new image holding a copy of this one. */
    public GrayImage copy() {
        return copyTo(new GrayImage(width, height));
    }

    /**
     * Copies the rectangle (x, y, w, h) into {@code dst}; the rectangle must lie inside this image
     * (use {@link #cropClamped} for boxes that may stick out).
     */
    public GrayImage crop(int x, int y, int w, int h, GrayImage dst) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " is not inside the " + width + "x" + height + " image");
        }
        dst.reshape(w, h);
        for (int r = 0; r < h; r++) {
            System.arraycopy(pixels, (y + r) * width + x, dst.pixels, r * w, w);
        }
        return dst;
    }

    /** Copies the rectangle into {@code dst}; parts outside this image replicate the nearest edge pixel. */
    public GrayImage cropClamped(int x, int y, int w, int h, GrayImage dst) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("crop size must be positive: " + w + "x" + h);
        }
        dst.reshape(w, h);
        byte[] d = dst.pixels;
        for (int r = 0; r < h; r++) {
            int sy = Math.max(0, Math.min(height - 1, y + r));
            int row = sy * width;
            for (int c = 0; c < w; c++) {
                int sx = Math.max(0, Math.min(width - 1, x + c));
                d[r * w + c] = pixels[row + sx];
            }
        }
        return dst;
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + "]";
    }
}
