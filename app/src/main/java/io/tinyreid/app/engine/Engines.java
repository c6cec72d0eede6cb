package io.tinyreid.app.engine;

import java.util.function.Function;

import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.pipeline.FrameDetector;
import io.tinyreid.app.pipeline.FrameEngine;
import io.tinyreid.nn.models.ModelCache;

/**
 * The product's detector and networks for the frame loop and for photos, loaded once per process
 * from the model cache. Refuses, with what is missing, a model whose pieces are not available.
 */
public final class Engines implements FrameEngine.Source, Function<FaceModel, FaceEngine> {
    private final ModelCache cache;
    private FaceReidNet faceReid;

    public Engines(ModelCache cache) {
        this.cache = cache;
    }

    private synchronized FaceReidNet faceReid() {
        if (faceReid == null) {
            faceReid = FaceReidNet.load(cache.facereidLayers());
        }
        return faceReid;
    }

    @Override
    public FrameEngine open(FaceModel model) {
        if (!model.equals(FaceModel.FACEREID)) {
            throw new IllegalStateException("the " + model.id() + " network is not wired into the doorbell yet; use facereid");
        }
        return new FrameEngine(detector(), faceReid());
    }

    @Override
    public FaceEngine apply(FaceModel model) {
        throw new IllegalStateException("the face detector for photos is not in this build yet (issue 3 is landing it)");
    }

    private FrameDetector detector() {
        throw new IllegalStateException("the face detector is not in this build yet (issue 3 is landing it)");
    }
}
