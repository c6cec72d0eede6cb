package io.tinyreid.app.engine;

import java.io.IOException;
import java.util.Optional;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
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
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.Mode;

/**
 * The product's detector and networks for the frame loop and for photos. The networks are the
 * store's embedders ({@link FaceEngines}, loaded once from the model cache); the frame loop feeds
 * them the frame's own planes (gray for FaceReID, RGB for dlib-resnet) without going through JDK
 * images. Refuses, with what is missing, a model whose pieces are not available.
 */
public final class Engines {
    private final FaceEngines faces;
    /** The L2 the last dlib-resnet plan left to each of its networks (null before one was laid out). */
    private volatile FrameLoopFootprint.DlibBudgets dlibBudgets;

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

    /**
     * Detector and describer for the frame loop. FaceReID gets its own {@link FaceReidFrames} (exact
     * mode, as the photo path, so gallery and frames agree bit for bit; its arena sized at the plan's
     * peak; allocation-free per face). dlib-resnet gets {@link DlibResnetFrames} when the cache holds
     * both quantised model files (the photo embedder then runs the same files, so descriptors agree),
     * each network planned in the L2 the last {@link #plan} left it (the whole L2 if none was laid
     * out); without them it runs the photo embedder in float on the heap. The describer is closed with
     * the loop's pipeline.
     */
    public FrameEngine frameEngine(FaceModel model) {
        if (model.equals(FaceModel.FACEREID)) {
            FaceReidFrames frames;
            try {
                frames = FaceReidFrames.open(faces.faceReidModelFile(), Mode.EXACT);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return withDetector(frames, frames);
        }
        if (model.equals(FaceModel.DLIB_RESNET)) {
            Optional<FaceEngines.DlibFiles> files;
            try {
                files = faces.dlibQuantisedFiles();
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            if (files.isPresent()) {
                FrameLoopFootprint.DlibBudgets b = dlibBudgets != null ? dlibBudgets
                        : new FrameLoopFootprint.DlibBudgets(PlanOptions.L2, PlanOptions.L2);
                DlibResnetFrames frames = DlibResnetFrames.open(files.get().landmarks(), files.get().recognition(),
                        b.landmarks(), b.recognition());
                return withDetector(frames, frames);
            }
        }
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
        return new FrameEngine(HaarFrameDetector.load(), describer);
    }

    private static FrameEngine withDetector(FrameDescriber describer, AutoCloseable closer) {
        try {
            // A detector per frame loop: detectors keep their own scratch.
            return new FrameEngine(HaarFrameDetector.load(), describer);
        } catch (RuntimeException e) {
            try {
                closer.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The whole doorbell's memory plan for the frame loop {@link #frameEngine} builds for
     * {@code model} (same detector geometry, same network files and mode), with {@code descriptors}
     * gallery descriptors, laid out in {@code budget} bytes; empty for a model the engine runs
     * unplanned (dlib-resnet without its two quantised model files: float32 on the heap). For
     * dlib-resnet the L2 left to each network is remembered for the next {@link #frameEngine}. The
     * layout may not fit: see {@link DoorbellLayout#requireFits()}.
     */
    public Optional<DoorbellLayout> plan(FaceModel model, DoorbellBudget.Display display, int descriptors, long budget) {
        try {
            if (model.equals(FaceModel.FACEREID)) {
                try (FrameLoopFootprint loop = FrameLoopFootprint.open(FaceReidFrames.open(faces.faceReidModelFile(), Mode.EXACT),
                        display, descriptors, descriptors + " descriptors")) {
                    return Optional.of(loop.layout(budget));
                }
            }
            if (model.equals(FaceModel.DLIB_RESNET)) {
                Optional<FaceEngines.DlibFiles> files = faces.dlibQuantisedFiles();
                if (files.isEmpty()) {
                    return Optional.empty();
                }
                try (FrameLoopFootprint loop = FrameLoopFootprint.dlib(files.get().landmarks(), files.get().recognition(),
                        display, descriptors, descriptors + " descriptors", budget)) {
                    dlibBudgets = FrameLoopFootprint.dlibBudgets(display, descriptors, budget);
                    return Optional.of(loop.layout(budget));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Detector and network for photos. */
    public FaceEngine photoEngine(FaceModel model) {
        return faces.open(model);
    }
}
