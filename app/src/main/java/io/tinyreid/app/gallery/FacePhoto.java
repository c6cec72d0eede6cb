package io.tinyreid.app.gallery;

import io.tinyreid.app.face.FaceBox;

/**
 * A face as the pipeline saw it, kept with a stranger: an encoded JPEG/PNG (the face with some
 * context around it) and the face box within that image.
 */
public record FacePhoto(byte[] encoded, FaceBox face) {}
