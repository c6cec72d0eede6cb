package io.tinyreid.app.photo;

/** A photo that cannot be used, with a message a user can act on. */
public final class PhotoException extends Exception {
    public PhotoException(String message) {
        super(message);
    }

    public PhotoException(String message, Throwable cause) {
        super(message, cause);
    }
}
