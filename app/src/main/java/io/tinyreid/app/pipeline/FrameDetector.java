package io.tinyreid.app.pipeline;

import io.tinyreid.app.source.Frame;
import io.tinyreid.app.track.Detections;

/** Finds the faces in a frame's gray picture; steady-state calls allocate nothing. */
@FunctionalInterface
public interface FrameDetector {
    /** Clears {@code out} and fills it with the faces of {@code frame}, best first. */
    void detect(Frame frame, Detections out);
}
