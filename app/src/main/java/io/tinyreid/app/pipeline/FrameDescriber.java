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

    /**
     * Cuts the square gray crop the network would see for box (x, y, w, h) into this describer's own
     * buffer and returns it ({@link #cropSide()} pixels a side), for quality measures before the network
     * runs; null when this describer has no such crop (quality is then not measured). Allocates nothing.
     */
    default byte[] cropForQuality(Frame frame, int x, int y, int w, int h) {
        return null;
    }

    /** Side of {@link #cropForQuality}'s crop (0 without one). */
    default int cropSide() {
        return 0;
    }
}
