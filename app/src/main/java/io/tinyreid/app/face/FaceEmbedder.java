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
}
