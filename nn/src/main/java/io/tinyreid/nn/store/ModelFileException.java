package io.tinyreid.nn.store;

/** A model file that cannot be used: wrong magic or version, truncated, corrupted (checksum), or malformed. */
public final class ModelFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
