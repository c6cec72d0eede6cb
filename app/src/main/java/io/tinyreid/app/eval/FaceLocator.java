package io.tinyreid.app.eval;

import io.tinyreid.vision.image.GrayImage;

/** Finds the face to evaluate in an image (one instance per thread). */
public interface FaceLocator {
    /** The face, or the centred fallback with {@code detected == false}. */
    FoundFace locate(GrayImage gray);
}

