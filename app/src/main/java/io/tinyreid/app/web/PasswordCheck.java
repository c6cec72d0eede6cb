package io.tinyreid.app.web;

import io.javalin.http.Context;

/**
 * Every check of the admin password from the web (login, password change) goes through here:
 * throttled per client address and, once logged in, per session too (so a family tablet's
 * session cannot brute-force the password either, whatever address it comes from).
 */
final class PasswordCheck {
    private final AdminPassword password;
    private final GuessThrottle throttle = new GuessThrottle();

    PasswordCheck(AdminPassword password) {
        this.password = password;
    }

    /**
     * True when {@code candidate} is the admin password.
     *
     * @throws UserError 429 (with a retry time) while this address or session must wait
     */
    boolean matches(Context ctx, String candidate) {
        long now = System.currentTimeMillis();
        String address = "address " + ctx.ip();
        Sessions.Session s = WebServer.session(ctx);
        String session = s != null && s.authenticated() ? "session " + s.token : null;
        long wait = Math.max(throttle.waitMillis(address, now), session == null ? 0 : throttle.waitMillis(session, now));
        if (wait > 0) {
            throw tooManyGuesses("wrong passwords", wait);
        }
        if (password.matches(candidate)) {
            throttle.succeeded(address);
            if (session != null) {
                throttle.succeeded(session);
            }
            return true;
        }
        throttle.failed(address, now);
        if (session != null) {
            throttle.failed(session, now);
        }
        return false;
    }

    /** The 429 answer to a throttled guess. */
    static UserError tooManyGuesses(String what, long waitMillis) {
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new UserError(429, "Too many " + what + ". Try again in " + seconds + " s.", seconds);
    }
}
