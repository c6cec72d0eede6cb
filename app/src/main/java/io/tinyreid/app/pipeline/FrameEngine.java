package io.tinyreid.app.pipeline;

import io.tinyreid.app.face.FaceModel;

/** The frame loop's detector and network for one model. */
public record FrameEngine(FrameDetector detector, FrameDescriber describer) {
    /** Supplies the engine for a model, or says clearly what is missing. */
    @FunctionalInterface
    public interface Source {
        FrameEngine open(FaceModel model);
    }
}
