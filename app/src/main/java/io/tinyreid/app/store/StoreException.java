package io.tinyreid.app.store;

/** A household storage failure, with a message a user can act on and a reason the UI can map. */
public final class StoreException extends RuntimeException {
    /** What went wrong, for callers that react differently (e.g. HTTP status codes). */
    public enum Reason {
        /** The disk (or the database's size limit) is full; the change was rolled back. */
        DISK_FULL,
        /** The database or a stored file is damaged or is not ours. */
        CORRUPT,
        /** The database was written by a newer TinyReID. */
        NEWER_SCHEMA,
        /** Another process holds the database for longer than the wait. */
        BUSY,
        /** Input refused (unknown id, duplicate name, bad archive...). */
        INVALID,
        /** Any other I/O failure. */
        IO
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
