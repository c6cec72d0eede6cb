package io.tinyreid.app.web;

/** A request the UI refuses with a message for the user and an HTTP status. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long retryAfterSeconds;

    public UserError(int status, String message) {
        this(status, message, 0);
    }

    /** A refusal that may be retried after {@code retryAfterSeconds} (sent as {@code Retry-After}; 0 = not said). */
    public UserError(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds after which retrying makes sense, or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
