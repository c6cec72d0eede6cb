package io.tinyreid.app.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes RGB pictures to a video file (MPEG-4 Part 2 in an MP4 or AVI container) through FFmpeg.
 *
 * <p>Used to generate the demo's doorbell clip and test clips, so they take the same path through
 * FFmpeg that a user's video takes.
 */
public final class ClipWriter implements AutoCloseable {
    private final FFmpegFrameRecorder recorder;
    private final org.bytedeco.javacv.Frame frame;
    private final int width;
    private final int height;

    /** Opens {@code file} for writing {@code width x height} pictures at {@code fps}. */
    public ClipWriter(Path file, int width, int height, double fps) throws IOException {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("clip size must be positive and even, got " + width + "x" + height);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.width = width;
        this.height = height;
        FfmpegSource.quietFfmpeg();
        recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setVideoQuality(2); // MPEG-4 qscale 2: near-lossless, small enough for short clips
        recorder.setGopSize((int) Math.max(1, Math.round(fps)));
        String name = file.getFileName().toString();
        recorder.setFormat(name.endsWith(".avi") ? "avi" : "mp4");
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot write video " + file + ": " + e.getMessage(), e);
        }
        frame = new org.bytedeco.javacv.Frame(width, height, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
    }

    /** Appends one picture, {@code rgb} interleaved, {@code 3 * width} bytes per row. */
    public void write(byte[] rgb) throws IOException {
        if (rgb.length < width * height * 3) {
            throw new IllegalArgumentException("picture has " + rgb.length + " bytes, need " + width * height * 3);
        }
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < height; y++) {
            int row = y * stride;
            int src = y * width * 3;
            for (int x = 0; x < width; x++) {
                // JavaCV frames are BGR
                buf.put(row + 3 * x, rgb[src + 3 * x + 2]);
                buf.put(row + 3 * x + 1, rgb[src + 3 * x + 1]);
                buf.put(row + 3 * x + 2, rgb[src + 3 * x]);
            }
        }
        try {
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot encode frame: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish video: " + e.getMessage(), e);
        }
    }
}
