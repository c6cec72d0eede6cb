package io.tinyreid.app.source;

/**
 * One video frame as the doorbell uses it: at most QVGA, gray for processing and RGB for display.
 *
 * <p>Frames are allocated once (a handful per capture) and refilled forever, so the steady-state
 * frame loop allocates nothing. The arrays are sized for the largest frame; {@link #width()} and
 * {@link #height()} say how much of them is in use (a 16:9 source gives 320x180).
 */
public final class Frame {
    /** Processing width limit (QVGA). */
    public static final int MAX_WIDTH = 320;
    /** Processing height limit (QVGA). */
    public static final int MAX_HEIGHT = 240;

    private final byte[] gray = new byte[MAX_WIDTH * MAX_HEIGHT];
    private final byte[] rgb = new byte[MAX_WIDTH * MAX_HEIGHT * 3];
    private int width;
    private int height;
    private long sequence;
    private long timestampMicros;

    /** Gray plane, row-major, {@code width} bytes per row (ITU-R BT.601 luma of {@link #rgb()}). */
    public byte[] gray() { return gray; }

    /** Interleaved RGB, row-major, {@code 3 * width} bytes per row. */
    public byte[] rgb() { return rgb; }

    public int width() { return width; }

    public int height() { return height; }

    /** Number of this frame in its capture, counting from 0 (dropped frames leave gaps). */
    public long sequence() { return sequence; }

    /** Presentation time from the source in microseconds (wall clock for live sources). */
    public long timestampMicros() { return timestampMicros; }

    /** Sets the size of the next picture; refuses anything larger than QVGA. */
    public void resize(int newWidth, int newHeight) {
        if (newWidth <= 0 || newHeight <= 0 || newWidth > MAX_WIDTH || newHeight > MAX_HEIGHT) {
            throw new IllegalArgumentException("frame size " + newWidth + "x" + newHeight
                    + " outside 1x1.." + MAX_WIDTH + "x" + MAX_HEIGHT);
        }
        width = newWidth;
        height = newHeight;
    }

    /** Stamps the frame once its pixels are in place. */
    public void stamp(long newSequence, long newTimestampMicros) {
        sequence = newSequence;
        timestampMicros = newTimestampMicros;
    }

    /** Recomputes the gray plane from the RGB plane (OpenCV's fixed-point BT.601 weights). */
    public void grayFromRgb() {
        int n = width * height;
        for (int i = 0, j = 0; i < n; i++, j += 3) {
            int r = rgb[j] & 0xFF;
            int g = rgb[j + 1] & 0xFF;
            int b = rgb[j + 2] & 0xFF;
            gray[i] = (byte) ((r * 4899 + g * 9617 + b * 1868 + 8192) >> 14);
        }
    }

    /** Copies pixels, size and stamp from another frame (no allocation). */
    public void copyFrom(Frame other) {
        width = other.width;
        height = other.height;
        sequence = other.sequence;
        timestampMicros = other.timestampMicros;
        int n = width * height;
        System.arraycopy(other.gray, 0, gray, 0, n);
        System.arraycopy(other.rgb, 0, rgb, 0, n * 3);
    }

    /** The largest size with the source's aspect ratio that fits in QVGA (never upscales). */
    public static int[] fitQvga(int sourceWidth, int sourceHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size " + sourceWidth + "x" + sourceHeight);
        }
        if (sourceWidth <= MAX_WIDTH && sourceHeight <= MAX_HEIGHT) {
            return new int[] {sourceWidth, sourceHeight};
        }
        // Compare aspect ratios in integers: w/h >= 320/240  <=>  w*240 >= h*320.
        if ((long) sourceWidth * MAX_HEIGHT >= (long) sourceHeight * MAX_WIDTH) {
            int h = (int) Math.max(1, Math.round((double) sourceHeight * MAX_WIDTH / sourceWidth));
            return new int[] {MAX_WIDTH, Math.min(h, MAX_HEIGHT)};
        }
        int w = (int) Math.max(1, Math.round((double) sourceWidth * MAX_HEIGHT / sourceHeight));
        return new int[] {Math.min(w, MAX_WIDTH), MAX_HEIGHT};
    }
}
