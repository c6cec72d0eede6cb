package io.tinyreid.app.face;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.nio.file.Path;

import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.runtime.Mode;

/**
 * The product's engines for photos (enrolment, identify, re-embedding): the vision module's Haar
 * detector with the model's network from the model cache ({@code tinyreid models fetch}). Networks
 * are loaded once per instance. Refuses, saying what is missing, a model whose pieces are absent.
 */
public final class FaceEngines implements FaceEngineSource {
    private final ModelCache cache;
    private FaceReidEmbedder faceReid;
    private DlibResnetEmbedder dlib;
    private HaarFaceFinder finder;

    public FaceEngines() {
        this(ModelCache.standard());
    }

    public FaceEngines(ModelCache cache) {
        this.cache = cache;
    }

    @Override
    public synchronized FaceEngine open(FaceModel model) {
        FaceEmbedder embedder = embedder(model);
        return new FaceEngine(finder(), embedder);
    }

    /** The network for {@code model}. */
    public synchronized FaceEmbedder embedder(FaceModel model) {
        try {
            if (model.equals(FaceModel.FACEREID)) {
                if (faceReid == null) {
                    faceReid = FaceReidEmbedder.open(faceReidModelFile(), Mode.EXACT);
                }
                return faceReid;
            }
            if (model.equals(FaceModel.DLIB_RESNET)) {
                if (dlib == null) {
                    dlib = DlibResnetEmbedder.load(cache);
                }
                return dlib;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e);
        }
        throw new IllegalStateException("no network is wired for model '" + model.id() + "'");
    }

    /** The compiled FaceReID model file in the cache (compiled from the verified layer files on first use). */
    public synchronized Path faceReidModelFile() throws IOException {
        cache.requireVerified(ModelCache.ModelSet.FACEREID);
        return FaceReidEmbedder.compile(cache.facereidLayers(), cache.root().resolve("compiled/facereid.tinyreid"));
    }

    /** dlib-resnet's quantised model files in the cache: landmarks, then recognition. */
    public record DlibFiles(Path landmarks, Path recognition) {}

    /**
     * dlib-resnet's quantised landmark and recognition model files when the cache holds both
     * ({@link DlibResnetEmbedder#QUANTISED_LANDMARKS}, {@link DlibResnetEmbedder#QUANTISED}): then the
     * photo embedder runs both on the planned integer runtime, and the frame loop must too.
     */
    public synchronized java.util.Optional<DlibFiles> dlibQuantisedFiles() throws IOException {
        cache.requireVerified(ModelCache.ModelSet.FACE_API);
        Path lm = cache.root().resolve(DlibResnetEmbedder.QUANTISED_LANDMARKS);
        Path rec = cache.root().resolve(DlibResnetEmbedder.QUANTISED);
        return java.nio.file.Files.isRegularFile(lm) && java.nio.file.Files.isRegularFile(rec)
                ? java.util.Optional.of(new DlibFiles(lm, rec)) : java.util.Optional.empty();
    }

    /** The Haar face detector for photos (loaded once). */
    public synchronized FaceFinder finder() {
        if (finder == null) {
            try {
                finder = HaarFaceFinder.load();
            } catch (IOException e) {
                throw new IllegalStateException("cannot load the face detector: " + e.getMessage(), e);
            }
        }
        return finder;
    }
}
