package io.tinyreid.app.tls;

/** The web server's certificate or key cannot be made or used; the message says why and what to do. */
public final class TlsSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with a message for the user. */
    public TlsSetupException(String message) {
        super(message);
    }

    /** A failure with a message for the user and its cause (for the log). */
    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
