package io.tinyreid.app.source;

/** Exponential retry delays: {@code initial}, doubled per failure, capped at {@code max}. */
public record Backoff(long initialMillis, long maxMillis) {
    /** Half a second, doubling up to thirty seconds. */
    public static final Backoff DEFAULT = new Backoff(500, 30_000);

    public Backoff {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initialMillis + ", " + maxMillis);
        }
    }

    /** Delay before retry number {@code failures} (1-based). */
    public long delayMillis(int failures) {
        long d = initialMillis;
        for (int i = 1; i < failures && d < maxMillis; i++) {
            d *= 2;
        }
        return Math.min(d, maxMillis);
    }
}
