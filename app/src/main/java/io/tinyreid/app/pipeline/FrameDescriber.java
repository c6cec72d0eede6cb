package io.tinyreid.app.pipeline;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.source.Frame;

/** Computes the descriptor of the face in a box of a frame with one model (crop/alignment inside). */
public interface FrameDescriber {
    /** The model whose descriptors this produces (must be the gallery's). */
    FaceModel model();

    /** The descriptor of the face in box (x, y, w, h) of {@code frame}. */
    Descriptor describe(Frame frame, int x, int y, int w, int h);

    /**
     * The same descriptor written into {@code out} (the frame loop's reusable buffer). Describers
     * built for the frame loop override this to allocate nothing; this default copies
     * {@link #describe}'s value.
     */
    default void describeInto(Frame frame, int x, int y, int w, int h, DescriptorBuffer out) {
        out.set(describe(frame, x, y, w, h));
    }
}
