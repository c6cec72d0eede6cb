package io.tinyreid.app.face;

/** Supplies the detector + network for a model (the CLI and web UI get theirs from here; tests pass their own). */
@FunctionalInterface
public interface FaceEngineSource {
    /** An engine producing {@code model}'s descriptors, or an exception saying what is missing. */
    FaceEngine open(FaceModel model);
}
