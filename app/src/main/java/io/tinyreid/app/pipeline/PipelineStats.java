package io.tinyreid.app.pipeline;

import java.util.Locale;

/** Counters and rates of the frame loop, for the status line and the CLI's report. */
public final class PipelineStats {
    private volatile long frames;
    private volatile double fps;
    private double intervalSeconds;
    private volatile double detectMillis;
    private volatile double frameMillis;
    private volatile long identifications;
    private volatile long splits;
    private volatile long descriptions;
    private volatile long skippedSmall;
    private volatile long skippedPoor;
    private long lastNanos;

    void frame(long startNanos, long detectedNanos, long endNanos) {
        frames++;
        double f = (endNanos - startNanos) / 1e6;
        double d = (detectedNanos - startNanos) / 1e6;
        frameMillis = frames == 1 ? f : frameMillis * 0.9 + f * 0.1;
        detectMillis = frames == 1 ? d : detectMillis * 0.9 + d * 0.1;
        if (lastNanos != 0) {
            // Average the interval, not its inverse: bursts of frames must not inflate the rate.
            double interval = (endNanos - lastNanos) / 1e9;
            intervalSeconds = intervalSeconds == 0 ? interval : intervalSeconds * 0.9 + interval * 0.1;
            fps = intervalSeconds > 0 ? 1 / intervalSeconds : 0;
        }
        lastNanos = endNanos;
    }

    void identified() {
        identifications++;
    }

    void split() {
        splits++;
    }

    void described() {
        descriptions++;
    }

    void skipSmall() {
        skippedSmall++;
    }

    void skipPoor() {
        skippedPoor++;
    }

    /** Faces not identified in a frame because they were smaller than the pipeline's minimum face size. */
    public long skippedSmall() { return skippedSmall; }

    /** Faces not identified in a frame because their crop failed the sharpness or pose gate. */
    public long skippedPoor() { return skippedPoor; }

    public long frames() { return frames; }

    public double fps() { return fps; }

    public double detectMillis() { return detectMillis; }

    public double frameMillis() { return frameMillis; }

    public long identifications() { return identifications; }

    /** Faces described by the network: identifications, and the appearance checks after a track's votes. */
    public long descriptions() { return descriptions; }

    /** Tracks ended because another face took their place (see {@code IouTracker.split}). */
    public long splits() { return splits; }

    /** "9.8 fps, detect 21 ms/frame". */
    public String line() {
        String line = String.format(Locale.ROOT, "%.1f fps processed, detection %.0f ms, frame %.0f ms", fps, detectMillis,
                frameMillis);
        long small = skippedSmall;
        long poor = skippedPoor;
        return small + poor == 0 ? line
                : line + String.format(Locale.ROOT, ", faces skipped: %d too small, %d blurred or turned", small, poor);
    }
}
