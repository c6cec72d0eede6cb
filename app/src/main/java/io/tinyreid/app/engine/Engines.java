package io.tinyreid.app.engine;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.app.face.FaceEmbedder;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceEngineSource;
import io.tinyreid.app.face.FaceEngines;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceReidEmbedder;
import io.tinyreid.app.pipeline.FrameDescriber;
import io.tinyreid.app.pipeline.FrameEngine;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.models.ModelCache;

/**
 * The product's detector and networks for the frame loop and for photos. The networks are the
 * store's embedders ({@link FaceEngines}, loaded once from the model cache); the frame loop feeds
 * them the frame's own planes (gray for FaceReID, RGB for dlib-resnet) without going through JDK
 * images. Refuses, with what is missing, a model whose pieces are not available.
 */
public final class Engines {
    private final FaceEngines faces;

    public Engines(ModelCache cache) {
        this.faces = new FaceEngines(cache);
    }

    /** The engines for the frame loop. */
    public FrameEngine.Source frames() {
        return this::frameEngine;
    }

    /** The engines for photos (enrolment, identify, re-embedding). */
    public FaceEngineSource photos() {
        return this::photoEngine;
    }

    /** Detector and describer for the frame loop. */
    public FrameEngine frameEngine(FaceModel model) {
        FaceEmbedder net = faces.embedder(model);
        FrameDescriber describer = new FrameDescriber() {
            @Override
            public FaceModel model() {
                return net.model();
            }

            @Override
            public Descriptor describe(Frame frame, int x, int y, int w, int h) {
                return switch (net) {
                    case FaceReidEmbedder f -> f.embed(frame.gray(), x, y, w, h);
                    case DlibResnetEmbedder d -> d.embed(frame.rgb(), x, y, w, h);
                    default -> throw new IllegalStateException("no frame path for model " + net.model().id());
                };
            }
        };
        // A detector per frame loop: detectors keep their own scratch.
        return new FrameEngine(HaarFrameDetector.load(), describer);
    }

    /** Detector and network for photos. */
    public FaceEngine photoEngine(FaceModel model) {
        return faces.open(model);
    }
}
