package io.tinyreid.app.face;

import java.awt.image.BufferedImage;

/**
 * Turns a face in a photo into a descriptor (port; the nn module's compiled networks implement it).
 * The embedder does its own cropping/alignment inside the box, as its model requires.
 */
public interface FaceEmbedder {
    /** Which model this is, which fixes where its descriptors are stored and how they compare. */
    FaceModel model();

    /** The descriptor of the face in {@code box} of {@code photo}. */
    Descriptor embed(BufferedImage photo, FaceBox box);

    /** The view {@link #embed(BufferedImage, FaceBox)} looks through. */
    default EmbeddingView view() {
        return EmbeddingView.PLAIN;
    }

    /** The descriptor of the face in {@code box} seen through {@code view} (embedders without views take only PLAIN). */
    default Descriptor embed(BufferedImage photo, FaceBox box, EmbeddingView view) {
        if (!view.equals(EmbeddingView.PLAIN)) {
            throw new UnsupportedOperationException(model().id() + " embedder has no view " + view.id());
        }
        return embed(photo, box);
    }
}
