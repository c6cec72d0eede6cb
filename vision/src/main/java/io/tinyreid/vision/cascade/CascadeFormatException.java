package io.tinyreid.vision.cascade;

import java.io.IOException;

/** A cascade file is malformed or unsupported; the message names the file and the element that is wrong. */
public final class CascadeFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the element. */
    public CascadeFormatException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public CascadeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
