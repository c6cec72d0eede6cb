package io.tinyreid.app.web;

import java.time.InstantSource;

import io.javalin.http.Context;

/**
 * Every check of the admin password from the web (login, password change) goes through here:
 * throttled per client address and, once logged in, per session too (so a family tablet's
 * session cannot brute-force the password either, whatever address it comes from).
 */
final class PasswordCheck {
    private final AdminPassword password;
    private final GuessThrottle throttle;

    PasswordCheck(AdminPassword password, InstantSource clock) {
        this.password = password;
        this.throttle = new GuessThrottle(clock);
    }

    /**
     * True when {@code candidate} is the admin password.
     *
     * @throws UserError 429 (with a retry time) while this address or session must wait
     */
    boolean matches(Context ctx, String candidate) {
        String address = "address " + ctx.ip();
        Sessions.Session s = WebServer.session(ctx);
        String session = s != null && s.authenticated() ? "session " + s.token : null;
        long wait = Math.max(throttle.waitMillis(address), session == null ? 0 : throttle.waitMillis(session));
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
        throttle.failed(address);
        if (session != null) {
            throttle.failed(session);
        }
        return false;
    }

    /** The 429 answer to a throttled guess. */
    static UserError tooManyGuesses(String what, long waitMillis) {
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new UserError(429, "Too many " + what + ". Try again in " + seconds + " s.", seconds);
    }
}
