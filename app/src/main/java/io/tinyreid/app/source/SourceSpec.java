package io.tinyreid.app.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Where frames come from: the closed set of source kinds the doorbell understands. */
public sealed interface SourceSpec {

    /** Human-readable description for logs, status and the UI. */
    String describe();

    /** A V4L2 camera such as {@code /dev/video0}. */
    record Camera(Path device) implements SourceSpec {
        public String describe() { return "camera " + device; }
    }

    /** A network stream: RTSP, or HTTP(S) serving MJPEG or any container FFmpeg reads. */
    record StreamUrl(URI uri) implements SourceSpec {
        public String describe() { return "stream " + redacted(uri); }
    }

    /** A video file, optionally played in a loop. */
    record VideoFile(Path file, boolean loop) implements SourceSpec {
        public String describe() { return "video " + file + (loop ? " (loop)" : ""); }
    }

    /** A folder of still images played in name order at {@code framesPerSecond}. */
    record ImageFolder(Path folder, double framesPerSecond, boolean loop) implements SourceSpec {
        public ImageFolder {
            if (!(framesPerSecond > 0 && framesPerSecond <= 120)) {
                throw new IllegalArgumentException("image folder rate must be in (0, 120] frames/s, got " + framesPerSecond);
            }
        }

        public String describe() { return "images in " + folder + " at " + framesPerSecond + " fps" + (loop ? " (loop)" : ""); }
    }

    /** URL schemes handed to FFmpeg as network streams. */
    Set<String> STREAM_SCHEMES = Set.of("rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp");

    /**
     * Reads what a user typed: {@code /dev/video0} or a bare camera number, a stream URL, a
     * folder of images, or a video file. Files and folders must exist.
     *
     * @throws IllegalArgumentException with a message that says what was expected
     */
    static SourceSpec parse(String text, boolean loop) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no source given: use /dev/videoN, a stream URL (rtsp://, http://), a video file or a folder of images");
        }
        String t = text.strip();
        if (t.matches("\\d{1,3}")) {
            return new Camera(Path.of("/dev/video" + Integer.parseInt(t)));
        }
        if (t.startsWith("/dev/video")) {
            return new Camera(Path.of(t));
        }
        int colon = t.indexOf("://");
        if (colon > 0) {
            String scheme = t.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!STREAM_SCHEMES.contains(scheme)) {
                throw new IllegalArgumentException("unsupported stream scheme '" + scheme + "' in " + t
                        + " (supported: " + String.join(", ", STREAM_SCHEMES.stream().sorted().toList()) + ")");
            }
            try {
                URI uri = new URI(t);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("stream URL has no host: " + t);
                }
                return new StreamUrl(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a valid stream URL: " + t + " (" + e.getReason() + ")");
            }
        }
        Path p = Path.of(t).toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            return new ImageFolder(p, 5, loop);
        }
        if (Files.isRegularFile(p)) {
            return new VideoFile(p, loop);
        }
        throw new IllegalArgumentException("source not found: " + t
                + " is neither a camera (/dev/videoN), a stream URL, an existing video file nor a folder of images");
    }

    /** The URI with any password hidden, for messages. */
    static String redacted(URI uri) {
        String info = uri.getUserInfo();
        if (info == null) {
            return uri.toString();
        }
        String user = info.contains(":") ? info.substring(0, info.indexOf(':')) + ":***" : info;
        return uri.toString().replace(info + "@", user + "@");
    }
}
