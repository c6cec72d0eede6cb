package io.tinyreid.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password guessing: after three failures from one address, each further attempt must wait
 * twice as long as the last (up to five minutes). Bounded memory; forgets addresses after an hour.
 */
public final class LoginThrottle {
    static final int FREE_ATTEMPTS = 3;
    static final long MAX_WAIT_MILLIS = 5 * 60_000;
    private static final long FORGET_MILLIS = 3600_000;
    private static final int MAX_ADDRESSES = 4096;

    private record Failures(int count, long last) {}

    private final Map<String, Failures> failures = new LinkedHashMap<>(64, 0.75f, true);

    /** Milliseconds {@code address} must still wait before trying again (0 = may try now). */
    public synchronized long waitMillis(String address, long now) {
        Failures f = failures.get(address);
        if (f == null || f.count < FREE_ATTEMPTS) {
            return 0;
        }
        if (now - f.last > FORGET_MILLIS) {
            failures.remove(address);
            return 0;
        }
        long wait = Math.min(MAX_WAIT_MILLIS, 1000L << Math.min(20, f.count - FREE_ATTEMPTS));
        return Math.max(0, f.last + wait - now);
    }

    /** Records a wrong password. */
    public synchronized void failed(String address, long now) {
        Failures f = failures.get(address);
        failures.put(address, new Failures(f == null ? 1 : f.count + 1, now));
        if (failures.size() > MAX_ADDRESSES) {
            failures.remove(failures.keySet().iterator().next());
        }
    }

    /** Clears the record after a successful login. */
    public synchronized void succeeded(String address) {
        failures.remove(address);
    }
}
