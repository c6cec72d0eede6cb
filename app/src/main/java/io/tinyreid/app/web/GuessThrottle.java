package io.tinyreid.app.web;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows guessing (passwords, setup codes): after three failures under one key (a client address,
 * a session), each further attempt must wait twice as long as the last (up to five minutes).
 * Bounded memory; forgets a key an hour after its last failure.
 */
public final class GuessThrottle {
    static final int FREE_ATTEMPTS = 3;
    static final long MAX_WAIT_MILLIS = 5 * 60_000;
    private static final long FORGET_MILLIS = 3600_000;
    private static final int MAX_KEYS = 4096;

    private record Failures(int count, long last) {}

    private final Map<String, Failures> failures = new LinkedHashMap<>(64, 0.75f, true);
    private final InstantSource clock;

    /** A throttle that reads the time from {@code clock} (tests drive it; the server uses the system clock). */
    public GuessThrottle(InstantSource clock) {
        this.clock = clock;
    }

    /** Milliseconds {@code key} must still wait before trying again (0 = may try now). */
    public synchronized long waitMillis(String key) {
        long now = clock.millis();
        Failures f = failures.get(key);
        if (f == null || f.count < FREE_ATTEMPTS) {
            return 0;
        }
        if (now - f.last > FORGET_MILLIS) {
            failures.remove(key);
            return 0;
        }
        long wait = Math.min(MAX_WAIT_MILLIS, 1000L << Math.min(20, f.count - FREE_ATTEMPTS));
        return Math.max(0, f.last + wait - now);
    }

    /** Records a wrong guess. */
    public synchronized void failed(String key) {
        long now = clock.millis();
        Failures f = failures.get(key);
        failures.put(key, new Failures(f == null ? 1 : f.count + 1, now));
        if (failures.size() > MAX_KEYS) {
            failures.remove(failures.keySet().iterator().next());
        }
    }

    /** Clears the record after a right guess. */
    public synchronized void succeeded(String key) {
        failures.remove(key);
    }
}
