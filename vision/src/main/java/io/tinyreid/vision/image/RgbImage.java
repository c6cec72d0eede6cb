package io.tinyreid.vision.image;

/**
 * An 8-bit colour image as three planes (red, green, blue), each row-major with stride = width.
 *
 * <p>Reusable like {@link GrayImage}: {@link #reshape} reallocates only when the size grows past capacity.
 */
public final class RgbImage {
    private byte[] r;
    private byte[] g;
    private byte[] b;
    private int width;
    private int height;

    /** A black image of the given size. */
    public RgbImage(int width, int height) {
        GrayImage.checkSize(width, height);
        this.width = width;
        this.height = height;
        int n = width * height;
        r = new byte[n];
        g = new byte[n];
        b = new byte[n];
    }

    /** Width in pixels. */
    public int width() { return width; }

    /** Height in pixels. */
    public int height() { return height; }

    /** Red plane. */
    public byte[] red() { return r; }

    /** Green plane. */
    public byte[] green() { return g; }

    /** Blue plane. */
    public byte[] blue() { return b; }

    /** Bytes held by the three planes. */
    public int capacity() { return r.length * 3; }

    /** Changes the size, reallocating only when the new size exceeds the capacity. Contents are undefined. */
    public RgbImage reshape(int newWidth, int newHeight) {
        GrayImage.checkSize(newWidth, newHeight);
        int n = newWidth * newHeight;
        if (n > r.length) {
            r = new byte[n];
            g = new byte[n];
            b = new byte[n];
        }
        width = newWidth;
        height = newHeight;
        return this;
    }

    /** Packed 0xRRGGBB value of a pixel. */
    public int getRgb(int x, int y) {
        int i = y * width + x;
        return (r[i] & 0xFF) << 16 | (g[i] & 0xFF) << 8 | (b[i] & 0xFF);
    }

    /** Sets a pixel from a packed 0xRRGGBB value. */
    public void setRgb(int x, int y, int rgb) {
        int i = y * width + x;
        r[i] = (byte) (rgb >> 16);
        g[i] = (byte) (rgb >> 8);
        b[i] = (byte) rgb;
    }

    /** Fills the image with one colour (0xRRGGBB). */
    public void fill(int rgb) {
        int n = width * height;
        java.util.Arrays.fill(r, 0, n, (byte) (rgb >> 16));
        java.util.Arrays.fill(g, 0, n, (byte) (rgb >> 8));
        java.util.Arrays.fill(b, 0, n, (byte) rgb);
    }

    /**
     * Converts to gray into {@code dst} with OpenCV's fixed-point BT.601 weights
     * ({@code (R*4899 + G*9617 + B*1868 + 8192) >> 14}), the same as {@code cvtColor(..., RGB2GRAY)}.
     */
    public GrayImage toGray(GrayImage dst) {
        dst.reshape(width, height);
        byte[] d = dst.pixels();
        int n = width * height;
        for (int i = 0; i < n; i++) {
            d[i] = (byte) (((r[i] & 0xFF) * 4899 + (g[i] & 0xFF) * 9617 + (b[i] & 0xFF) * 1868 + 8192) >> 14);
        }
        return dst;
    }

    /** Copies a gray image into all three planes of this one. */
    public RgbImage setFromGray(GrayImage src) {
        reshape(src.width(), src.height());
        int n = width * height;
        System.arraycopy(src.pixels(), 0, r, 0, n);
        System.arraycopy(src.pixels(), 0, g, 0, n);
        System.arraycopy(src.pixels(), 0, b, 0, n);
        return this;
    }

    /** Copies this image into {@code dst} (reshaped to this size). */
    public RgbImage copyTo(RgbImage dst) {
        dst.reshape(width, height);
        int n = width * height;
        System.arraycopy(r, 0, dst.r, 0, n);
        System.arraycopy(g, 0, dst.g, 0, n);
        System.arraycopy(b, 0, dst.b, 0, n);
        return dst;
    }

    /** Copies the rectangle (x, y, w, h), which must lie inside this image, into {@code dst}. */
    public RgbImage crop(int x, int y, int w, int h, RgbImage dst) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " is not inside the " + width + "x" + height + " image");
        }
        dst.reshape(w, h);
        for (int row = 0; row < h; row++) {
            int s = (y + row) * width + x;
            int d = row * w;
            System.arraycopy(r, s, dst.r, d, w);
            System.arraycopy(g, s, dst.g, d, w);
            System.arraycopy(b, s, dst.b, d, w);
        }
        return dst;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
