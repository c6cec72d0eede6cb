package io.tinyreid.app.face;

/**
 * The product's engines: vision's Haar detector with nn's networks. Wired as those modules land;
 * until a model's pieces exist it refuses with a message saying what is missing.
 */
public final class FaceEngines implements FaceEngineSource {
    @Override
    public FaceEngine open(FaceModel model) {
        throw new IllegalStateException("no face detector/network for model '" + model.id()
                + "' is available in this build yet (issues 2-4 are landing them)");
    }
}
