package io.tinyreid.app.source;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Cameras, network streams and video files through JavaCV's FFmpeg grabber.
 *
 * <p>FFmpeg's scaler shrinks each picture straight to its QVGA-fitting size in RGB, so the
 * full-resolution frame never reaches the Java heap; rows are copied into the reused
 * {@link Frame} without allocating.
 */
public final class FfmpegSource implements FrameSource {
    /** Socket read timeout for network streams: a stalled stream fails instead of hanging. */
    static final long NETWORK_TIMEOUT_MICROS = 5_000_000;

    static {
        quietFfmpeg();
    }

    /** FFmpeg prints every decoder hiccup and stream dump to stderr; our status reports what matters. */
    static void quietFfmpeg() {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    private final FFmpegFrameGrabber grabber;
    private final String description;
    private final boolean live;
    private final boolean loop;
    private final byte[] row = new byte[Frame.MAX_WIDTH * 3];
    private long loopOffsetMicros;
    private long lastTimestampMicros;

    private FfmpegSource(FFmpegFrameGrabber grabber, String description, boolean live, boolean loop) {
        this.grabber = grabber;
        this.description = description;
        this.live = live;
        this.loop = loop;
    }

    /** Opens a camera, stream or video file. */
    public static FfmpegSource open(SourceSpec spec) throws SourceException {
        FFmpegFrameGrabber g;
        boolean live;
        boolean loop = false;
        switch (spec) {
            case SourceSpec.Camera c -> {
                checkCamera(c.device());
                g = new FFmpegFrameGrabber(c.device().toString());
                g.setFormat("video4linux2");
                live = true;
            }
            case SourceSpec.StreamUrl s -> {
                g = new FFmpegFrameGrabber(s.uri().toString());
                String scheme = s.uri().getScheme().toLowerCase(java.util.Locale.ROOT);
                if (scheme.startsWith("rtsp")) {
                    g.setOption("rtsp_transport", "tcp");
                    g.setOption("timeout", Long.toString(NETWORK_TIMEOUT_MICROS));
                } else {
                    g.setOption("rw_timeout", Long.toString(NETWORK_TIMEOUT_MICROS));
                }
                live = true;
            }
            case SourceSpec.VideoFile f -> {
                if (!Files.isRegularFile(f.file())) {
                    throw new SourceException("video file not found: " + f.file(), true);
                }
                if (!Files.isReadable(f.file())) {
                    throw new SourceException("video file not readable: " + f.file(), true);
                }
                g = new FFmpegFrameGrabber(f.file().toFile());
                live = false;
                loop = f.loop();
            }
            case SourceSpec.ImageFolder i -> throw new IllegalArgumentException("image folders are read by ImageFolderSource: " + i.describe());
        }
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        g.setImageScalingFlags(swscale.SWS_AREA);
        FfmpegSource source = new FfmpegSource(g, spec.describe(), live, loop);
        source.start();
        return source;
    }

    private void start() throws SourceException {
        try {
            grabber.setImageWidth(0);
            grabber.setImageHeight(0);
            grabber.start();
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            if (w <= 0 || h <= 0) {
                grabber.close();
                throw new SourceException(description + " has no video stream", true);
            }
            int[] fit = Frame.fitQvga(w, h);
            grabber.setImageWidth(fit[0]);
            grabber.setImageHeight(fit[1]);
        } catch (FrameGrabber.Exception e) {
            closeQuietly();
            throw new SourceException("cannot open " + description + ": " + clean(e.getMessage()), false, e);
        }
    }

    /** Fails with a clear message (listing the cameras that do exist) when the device is missing. */
    static void checkCamera(Path device) throws SourceException {
        if (Files.exists(device)) {
            if (!Files.isReadable(device)) {
                throw new SourceException("camera " + device + " exists but is not readable (add the user to the 'video' group)", true);
            }
            return;
        }
        String present;
        try (Stream<Path> devs = Files.list(Path.of("/dev"))) {
            present = String.join(", ", devs.map(Path::toString).filter(p -> p.startsWith("/dev/video")).sorted().toList());
        } catch (java.io.IOException | SecurityException e) {
            present = "";
        }
        throw new SourceException("camera " + device + " not found; "
                + (present.isEmpty() ? "no cameras (/dev/video*) on this machine" : "cameras present: " + present), true);
    }

    @Override
    public boolean read(Frame into) throws SourceException {
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                org.bytedeco.javacv.Frame f = grabber.grabImage();
                if (f == null) {
                    if (live) {
                        throw new SourceException(description + " ended", false);
                    }
                    if (!loop || attempt > 0) {
                        return false;
                    }
                    loopOffsetMicros = lastTimestampMicros + frameIntervalMicros();
                    grabber.restart();
                    continue;
                }
                copy(f, into);
                long ts = live ? System.nanoTime() / 1000 : loopOffsetMicros + grabber.getTimestamp();
                lastTimestampMicros = ts;
                into.stamp(into.sequence(), ts);
                return true;
            }
            return false;
        } catch (FrameGrabber.Exception e) {
            throw new SourceException(description + ": " + clean(e.getMessage()), false, e);
        }
    }

    private long frameIntervalMicros() {
        double rate = frameRate();
        return rate > 0 ? (long) (1_000_000 / rate) : 40_000;
    }

    private void copy(org.bytedeco.javacv.Frame f, Frame into) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        into.resize(w, h);
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        byte[] r = into.rgb().red();
        byte[] g = into.rgb().green();
        byte[] b = into.rgb().blue();
        for (int y = 0; y < h; y++) {
            buf.get(y * stride, row, 0, w * 3);
            int o = y * w;
            for (int x = 0, j = 0; x < w; x++, j += 3) {
                r[o + x] = row[j];
                g[o + x] = row[j + 1];
                b[o + x] = row[j + 2];
            }
        }
        into.grayFromRgb();
    }

    @Override
    public boolean live() { return live; }

    @Override
    public double frameRate() {
        double r = grabber.getFrameRate();
        return Double.isFinite(r) && r > 0 && r < 1000 ? r : 0;
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // closing a broken grabber can fail again; there is nothing left to release
        }
    }

    /** FFmpeg messages end with hints for programmers; keep the first sentence. */
    static String clean(String message) {
        if (message == null) {
            return "unknown FFmpeg error";
        }
        int hint = message.indexOf(" (Has setFormat()");
        return hint > 0 ? message.substring(0, hint) : message;
    }
}
