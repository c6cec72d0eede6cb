package io.tinyreid.app.pipeline;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.source.Frame;

/** Computes the descriptor of the face in a box of a frame with one model (crop/alignment inside). */
public interface FrameDescriber {
    /** The model whose descriptors this produces (must be the gallery's). */
    FaceModel model();

    /** The descriptor of the face in box (x, y, w, h) of {@code frame}. */
    Descriptor describe(Frame frame, int x, int y, int w, int h);
}
