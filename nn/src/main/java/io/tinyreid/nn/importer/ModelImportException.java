package io.tinyreid.nn.importer;

/** A model source that cannot be imported; the message names the file and the field at fault. */
public final class ModelImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelImportException(String message) {
        super(message);
    }

    public ModelImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
