package io.tinyreid.app.web;

/** A request the UI refuses with a message for the user and an HTTP status. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public UserError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
