package io.tinyreid.app.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sessions keyed by a random cookie token. Only logged-in sessions are stored (bounded, least
 * recently used evicted); a visitor before login holds just a random cookie, and the login form's
 * CSRF token is that cookie signed with a key only this server knows, so nothing is stored for
 * anonymous visitors and no flood of them can evict anyone. Logging in issues a fresh token, so a
 * token planted before login is worthless.
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

    private static final int TOKEN_BYTES = 32;
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new LinkedHashMap<>(64, 0.75f, true);
    private final javax.crypto.spec.SecretKeySpec csrfKey;

    Sessions() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        csrfKey = new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256");
    }

    /** A new random token for a cookie. */
    String newToken() {
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** True when {@code token} looks like one this class issues (anything else gets a new cookie). */
    static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /** A visitor's pre-login session: not stored; its CSRF token is its cookie token, signed. */
    Session anonymous(String token, long now) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(csrfKey);
            byte[] sig = mac.doFinal(("pre-login " + token).getBytes(StandardCharsets.US_ASCII));
            return new Session(token, Base64.getUrlEncoder().withoutPadding().encodeToString(sig), false, now);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** The logged-in session for {@code token}, or null (unknown, expired, or never logged in). */
    public synchronized Session find(String token, long now) {
        if (token == null) {
            return null;
        }
        Session s = byToken.get(token);
        if (s == null) {
            return null;
        }
        if (now - s.lastSeen > IDLE_MILLIS || now - s.created > ABSOLUTE_MILLIS) {
            byToken.remove(token);
            return null;
        }
        s.lastSeen = now;
        return s;
    }

    /** Starts a logged-in session (after a right password). */
    public synchronized Session create(long now) {
        Session s = new Session(newToken(), newToken(), true, now);
        byToken.put(s.token, s);
        Iterator<Map.Entry<String, Session>> it = byToken.entrySet().iterator();
        while (it.hasNext() && byToken.size() > MAX_SESSIONS) {
            it.next();
            it.remove(); // least recently used first
        }
        return s;
    }

    /** Ends a session. */
    public synchronized void remove(Session s) {
        byToken.remove(s.token);
    }

    /** Ends every logged-in session (after a password change). */
    public synchronized void removeAuthenticated() {
        byToken.clear();
    }

    synchronized int size() {
        return byToken.size();
    }
}
