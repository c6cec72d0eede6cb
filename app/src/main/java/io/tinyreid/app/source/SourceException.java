package io.tinyreid.app.source;

/** A source could not be opened or read; the message is meant for the user. */
public final class SourceException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    /** @param permanent true when retrying cannot help (no such file, not a camera, bad URL) */
    public SourceException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public SourceException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** True when retrying cannot help. */
    public boolean permanent() { return permanent; }
}
