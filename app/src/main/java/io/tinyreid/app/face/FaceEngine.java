package io.tinyreid.app.face;

import java.util.Objects;

/** A detector and a descriptor network used together for enrolment and identification of photos. */
public record FaceEngine(FaceFinder finder, FaceEmbedder embedder) {
    public FaceEngine {
        Objects.requireNonNull(finder);
        Objects.requireNonNull(embedder);
    }

    /** The model whose descriptors this engine produces. */
    public FaceModel model() {
        return embedder.model();
    }
}
