package io.tinyreid.nn.json;

/** A JSON text that does not parse, or a value that is not what the reader expected. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming what is wrong and where. */
    public JsonException(String message) {
        super(message);
    }
}
