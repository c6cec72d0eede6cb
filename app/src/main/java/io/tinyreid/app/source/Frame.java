package io.tinyreid.app.source;

import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.RgbImage;

/**
 * One video frame as the doorbell uses it: at most QVGA, gray for processing and RGB for display.
 *
 * <p>Frames are allocated once (a handful per capture) and refilled forever, so the steady-state
 * frame loop allocates nothing. The images have QVGA capacity and are reshaped to each frame's
 * size (a 16:9 source gives 320x180).
 */
public final class Frame {
    /** Processing width limit (QVGA). */
    public static final int MAX_WIDTH = 320;
    /** Processing height limit (QVGA). */
    public static final int MAX_HEIGHT = 240;

    private final GrayImage gray = new GrayImage(MAX_WIDTH, MAX_HEIGHT);
    private final RgbImage rgb = new RgbImage(MAX_WIDTH, MAX_HEIGHT);
    private int width = MAX_WIDTH;
    private int height = MAX_HEIGHT;
    private long sequence;
    private long timestampMicros;

    /** The gray picture (OpenCV's BT.601 luma of {@link #rgb()}), what the detector sees. */
    public GrayImage gray() { return gray; }

    /** The colour picture, for display and colour networks. */
    public RgbImage rgb() { return rgb; }

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
        gray.reshape(newWidth, newHeight);
        rgb.reshape(newWidth, newHeight);
    }

    /** Stamps the frame once its pixels are in place. */
    public void stamp(long newSequence, long newTimestampMicros) {
        sequence = newSequence;
        timestampMicros = newTimestampMicros;
    }

    /** Recomputes the gray picture from the colour one (OpenCV's fixed-point BT.601 weights). */
    public void grayFromRgb() {
        rgb.toGray(gray);
    }

    /** Copies pixels, size and stamp from another frame (no allocation). */
    public void copyFrom(Frame other) {
        width = other.width;
        height = other.height;
        sequence = other.sequence;
        timestampMicros = other.timestampMicros;
        other.gray.copyTo(gray);
        other.rgb.copyTo(rgb);
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
