package io.tinyreid.vision.image;

import java.io.IOException;

/** An image could not be decoded: corrupt, truncated, empty, unsupported or over the size limits. */
public final class ImageDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message a user can act on. */
    public ImageDecodeException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
