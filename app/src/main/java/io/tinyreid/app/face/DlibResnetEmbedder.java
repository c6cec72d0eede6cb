package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.vision.align.DlibChip;
import io.tinyreid.vision.image.RgbImage;

/**
 * dlib's ResNet (face-api's FaceRecognitionNet weights) as a {@link FaceEmbedder}: face-api's 68
 * landmark net on the face box (enlarged 1.2x, as the LFW evaluation does), dlib's 150x150 chip
 * fitted to the landmarks ({@link DlibAlignment}, shared with the frame loop), the network on nn's
 * compiled model, 128 floats out. Each of the two networks runs on the planned integer runtime
 * (weights streamed from the model file) when the model cache holds our quantised model file for
 * it ({@link #QUANTISED}, {@link #QUANTISED_LANDMARKS}, written by {@code tinyreid quantise --model
 * dlib-resnet|face-landmark-68 --precision int16 --out ...}), else in float32 on the heap. The frame
 * loop uses the same files ({@code Engines}), so gallery and frames compute descriptors alike.
 */
public final class DlibResnetEmbedder implements FaceEmbedder, AutoCloseable {
    /** Where in the model cache the quantised recognition network is looked for. */
    public static final String QUANTISED = "compiled/dlib-resnet-int16.tinyreid";
    /** Where in the model cache the quantised landmark network is looked for. */
    public static final String QUANTISED_LANDMARKS = "compiled/face-landmark-68-int16.tinyreid";
    /** The budget each quantised network is planned in on the photo path (the doorbell's whole L2). */
    public static final long PHOTO_BUDGET = io.tinyreid.nn.plan.PlanOptions.L2;

    private final CompiledModel recognition;
    private final CompiledModel landmarks;
    private final DlibAlignment alignment = new DlibAlignment();
    private final float[] output = new float[128];
    private final float[] mirrored = new float[128];
    private EmbeddingView view = EmbeddingView.of(FaceModel.DLIB_RESNET); // the product's: see FaceModel

    /** The float networks on the heap. */
    public DlibResnetEmbedder(Graph recognition, Graph landmarks) {
        this(CompiledModel.ofGraph(recognition), landmarks);
    }

    /** A compiled recognition network (any mode) with the float landmark net. */
    public DlibResnetEmbedder(CompiledModel recognition, Graph landmarks) {
        this(recognition, CompiledModel.ofGraph(landmarks));
    }

    /** Compiled recognition and landmark networks (any modes; closed with this). */
    public DlibResnetEmbedder(CompiledModel recognition, CompiledModel landmarks) {
        if (recognition.descriptorLength() != FaceModel.DLIB_RESNET.dimension()
                || recognition.input().size() != 3 * DlibChip.SIZE * DlibChip.SIZE) {
            throw new IllegalArgumentException("not dlib's ResNet: input " + recognition.input().size() + " values, descriptor "
                    + recognition.descriptorLength());
        }
        if (landmarks.descriptorLength() != DlibAlignment.LANDMARK_OUTPUTS
                || landmarks.input().size() != 3 * DlibAlignment.LANDMARK_SIDE * DlibAlignment.LANDMARK_SIDE) {
            throw new IllegalArgumentException("not face-api's 68-landmark net: input " + landmarks.input().size()
                    + " values, output " + landmarks.descriptorLength());
        }
        this.recognition = recognition;
        this.landmarks = landmarks;
    }

    /**
     * Loads both networks from the verified model cache ({@code tinyreid models fetch}); each from
     * its quantised model file ({@link #QUANTISED}, {@link #QUANTISED_LANDMARKS}) on the planned
     * integer runtime when the cache has one (sizes and checksums verified on opening).
     */
    public static DlibResnetEmbedder load(ModelCache cache) throws IOException {
        cache.requireVerified(ModelCache.ModelSet.FACE_API);
        Path q = cache.root().resolve(QUANTISED);
        Path ql = cache.root().resolve(QUANTISED_LANDMARKS);
        CompiledModel lm = Files.isRegularFile(ql) ? IntegerNets.open(ql, PHOTO_BUDGET)
                : CompiledModel.ofGraph(FaceApiImporter.landmarks68(cache.landmarkManifest()));
        try {
            CompiledModel rec = Files.isRegularFile(q) ? IntegerNets.open(q, PHOTO_BUDGET)
                    : CompiledModel.ofGraph(FaceApiImporter.recognition(cache.faceRecognitionManifest()));
            return new DlibResnetEmbedder(rec, lm);
        } catch (IOException | RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    /** The arithmetic the recognition net runs in (float, or integer when quantised). */
    public Mode mode() {
        return recognition.mode();
    }

    /** The arithmetic the landmark net runs in (float, or integer when quantised). */
    public Mode landmarkMode() {
        return landmarks.mode();
    }

    @Override
    public synchronized void close() {
        recognition.close();
        landmarks.close();
    }

    @Override
    public FaceModel model() {
        return FaceModel.DLIB_RESNET;
    }

    /** The view {@link #embed(BufferedImage, FaceBox)} uses from now on (dlib aligns on landmarks: crop scale 1 only). */
    public synchronized void view(EmbeddingView v) {
        this.view = requireAligned(v);
    }

    @Override
    public synchronized EmbeddingView view() {
        return view;
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box) {
        return embed(Pictures.rgb(photo), box.x(), box.y(), box.width(), box.height(), view);
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box, EmbeddingView v) {
        return embed(Pictures.rgb(photo), box.x(), box.y(), box.width(), box.height(), requireAligned(v));
    }

    /** The descriptor of box (x, y, w, h) of an RGB picture, through this embedder's view. */
    public synchronized Descriptor embed(RgbImage img, int x, int y, int w, int h) {
        return embed(img, x, y, w, h, view);
    }

    private synchronized Descriptor embed(RgbImage img, int x, int y, int w, int h, EmbeddingView v) {
        float[] chip = alignment.align(img, x, y, w, h, landmarks);
        recognition.embed(chip, output);
        if (v.mirrorAverage()) {
            PlanarMirror.mirror(chip, DlibChip.SIZE);
            recognition.embed(chip, mirrored);
            PlanarMirror.average(output, mirrored);
        }
        return new Descriptor.Float32(output);
    }

    private static EmbeddingView requireAligned(EmbeddingView v) {
        if (v.cropScale() != 1.0) {
            throw new IllegalArgumentException("dlib-resnet aligns on landmarks: no crop scale (" + v.id() + ")");
        }
        return v;
    }

    /** The 68 landmarks (image pixels, a fresh copy) of box (x, y, w, h) of an RGB picture. */
    public synchronized float[][] landmarks(RgbImage img, int x, int y, int w, int h) {
        float[][] p = alignment.landmarks(img, x, y, w, h, landmarks);
        float[][] out = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i].clone();
        }
        return out;
    }
}
