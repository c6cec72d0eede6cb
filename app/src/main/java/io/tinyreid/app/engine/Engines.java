package io.tinyreid.app.engine;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceEngineSource;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceReidEmbedder;
import io.tinyreid.app.pipeline.FrameDescriber;
import io.tinyreid.app.pipeline.FrameEngine;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.models.ModelCache;

/**
 * The product's detector and networks for the frame loop and for photos, loaded once per process
 * from the model cache. Refuses, with what is missing, a model whose pieces are not available.
 */
public final class Engines {
    private final ModelCache cache;
    private FaceReidEmbedder faceReid;

    public Engines(ModelCache cache) {
        this.cache = cache;
    }

    private synchronized FaceReidEmbedder faceReid() {
        if (faceReid == null) {
            if (!java.nio.file.Files.isDirectory(cache.facereidLayers())) {
                throw new IllegalStateException("the FaceReID model is not in " + cache.facereidLayers()
                        + "; run 'tinyreid models fetch' first");
            }
            faceReid = FaceReidEmbedder.load(cache.facereidLayers());
        }
        return faceReid;
    }

    private static void requireSupported(FaceModel model) {
        if (!model.equals(FaceModel.FACEREID)) {
            throw new IllegalStateException("the " + model.id() + " network is not wired into the doorbell yet; use facereid");
        }
    }

    /** The engines for the frame loop. */
    public FrameEngine.Source frames() {
        return this::frameEngine;
    }

    /** The engines for photos (enrolment, identify). */
    public FaceEngineSource photos() {
        return this::photoEngine;
    }

    /** Detector and describer for the frame loop. */
    public FrameEngine frameEngine(FaceModel model) {
        requireSupported(model);
        FaceReidEmbedder net = faceReid();
        FrameDescriber describer = new FrameDescriber() {
            @Override
            public FaceModel model() {
                return FaceModel.FACEREID;
            }

            @Override
            public Descriptor describe(Frame frame, int x, int y, int w, int h) {
                return net.embed(frame.gray(), x, y, w, h);
            }
        };
        return new FrameEngine(detector(), describer);
    }

    /** Detector and network for photos. */
    public synchronized FaceEngine photoEngine(FaceModel model) {
        requireSupported(model);
        throw new IllegalStateException(DETECTOR_MISSING);
    }

    private static final String DETECTOR_MISSING = "the face detector is not in this build yet (issue 3 is landing it)";

    private static io.tinyreid.app.pipeline.FrameDetector detector() {
        throw new IllegalStateException(DETECTOR_MISSING);
    }
}
