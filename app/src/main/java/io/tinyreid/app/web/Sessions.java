package io.tinyreid.app.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side sessions keyed by a random cookie token. Every visitor gets one (it carries the
 * CSRF token the login form needs); logging in replaces it with a fresh authenticated session so
 * a token planted before login is worthless. Bounded: the least recently used are evicted.
 */
public final class Sessions {
    /** Authenticated sessions end after this much inactivity. */
    static final long IDLE_MILLIS = 12L * 3600 * 1000;
    /** ... and after this long in any case. */
    static final long ABSOLUTE_MILLIS = 7L * 24 * 3600 * 1000;
    static final int MAX_SESSIONS = 512;

    /** One browser's session. */
    public static final class Session {
        final String token;
        final String csrf;
        final boolean authenticated;
        final long created;
        volatile long lastSeen;
        volatile String flash;
        volatile boolean flashIsError;

        Session(String token, String csrf, boolean authenticated, long now) {
            this.token = token;
            this.csrf = csrf;
            this.authenticated = authenticated;
            this.created = now;
            this.lastSeen = now;
        }

        public String csrf() { return csrf; }

        public boolean authenticated() { return authenticated; }

        /** Leaves a one-shot message for the next page. */
        public void flash(String message, boolean error) {
            flash = message;
            flashIsError = error;
        }

        /** Takes the one-shot message (null when none). */
        public String takeFlash() {
            String f = flash;
            flash = null;
            return f;
        }

        public boolean flashIsError() { return flashIsError; }

        /** True when {@code candidate} is this session's CSRF token (constant time). */
        public boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    candidate.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new LinkedHashMap<>(64, 0.75f, true);

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The live session for {@code token}, or null (unknown, expired). */
    public synchronized Session find(String token, long now) {
        if (token == null) {
            return null;
        }
        Session s = byToken.get(token);
        if (s == null) {
            return null;
        }
        if (s.authenticated && (now - s.lastSeen > IDLE_MILLIS || now - s.created > ABSOLUTE_MILLIS)) {
            byToken.remove(token);
            return null;
        }
        s.lastSeen = now;
        return s;
    }

    /** Starts a session (anonymous or, after a good password, authenticated). */
    public synchronized Session create(boolean authenticated, long now) {
        Session s = new Session(token(), token(), authenticated, now);
        byToken.put(s.token, s);
        if (byToken.size() > MAX_SESSIONS) {
            // Evict least recently used, anonymous ones first.
            Iterator<Map.Entry<String, Session>> it = byToken.entrySet().iterator();
            while (it.hasNext() && byToken.size() > MAX_SESSIONS) {
                if (!it.next().getValue().authenticated) {
                    it.remove();
                }
            }
            it = byToken.entrySet().iterator();
            while (it.hasNext() && byToken.size() > MAX_SESSIONS) {
                it.next();
                it.remove();
            }
        }
        return s;
    }

    /** Ends a session. */
    public synchronized void remove(Session s) {
        byToken.remove(s.token);
    }

    /** Ends every authenticated session (after a password change). */
    public synchronized void removeAuthenticated() {
        byToken.values().removeIf(s -> s.authenticated);
    }

    synchronized int size() {
        return byToken.size();
    }
}
