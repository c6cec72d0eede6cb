package io.tinyreid.app.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** Time that stands still until a test moves it, so time windows never depend on how fast the machine is. */
public final class ManualTime implements InstantSource {
    private final AtomicLong millis;

    /** Time standing at {@code start}. */
    public ManualTime(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** Moves time on by {@code d}. */
    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }
}
