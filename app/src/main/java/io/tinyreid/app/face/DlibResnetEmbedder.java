package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.faceapi.Landmarks68;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.vision.align.DlibChip;
import io.tinyreid.vision.image.Affine;
import io.tinyreid.vision.image.RgbImage;

/**
 * dlib's ResNet (face-api's FaceRecognitionNet weights) as a {@link FaceEmbedder}: face-api's 68
 * landmark net on the face box (enlarged 1.2x, as the LFW evaluation does), dlib's 150x150 chip
 * fitted to the landmarks, the network on nn's compiled model, 128 floats out: the planned integer
 * runtime (one arena of at most 384 KiB, weights streamed from the model file) when the model
 * cache holds our quantised model ({@link #QUANTISED}, written by {@code tinyreid quantise --model
 * dlib-resnet --precision int16 --out ...}), else float32 on the heap.
 */
public final class DlibResnetEmbedder implements FaceEmbedder, AutoCloseable {
    private static final double LANDMARK_BOX_SCALE = 1.2;
    /** Where in the model cache the quantised network is looked for. */
    public static final String QUANTISED = "compiled/dlib-resnet-int16.tinyreid";

    private final CompiledModel recognition;
    private final FloatExecutor landmarks;
    private final RgbImage chip = new RgbImage(DlibChip.SIZE, DlibChip.SIZE);
    private final float[] input = new float[3 * DlibChip.SIZE * DlibChip.SIZE];
    private final float[] lmIn = new float[3 * FaceApiImporter.LANDMARK_SIZE * FaceApiImporter.LANDMARK_SIZE];
    private final float[] lmOut = new float[136];
    private final float[] output = new float[128];

    /** The float network on the heap. */
    public DlibResnetEmbedder(Graph recognition, Graph landmarks) {
        this(CompiledModel.ofGraph(recognition), landmarks);
    }

    /** A compiled recognition network (any mode) with the float landmark net. */
    public DlibResnetEmbedder(CompiledModel recognition, Graph landmarks) {
        if (recognition.descriptorLength() != FaceModel.DLIB_RESNET.dimension()
                || recognition.input().size() != 3 * DlibChip.SIZE * DlibChip.SIZE) {
            throw new IllegalArgumentException("not dlib's ResNet: input " + recognition.input().size() + " values, descriptor "
                    + recognition.descriptorLength());
        }
        this.recognition = recognition;
        this.landmarks = new FloatExecutor(landmarks);
    }

    /**
     * Loads both networks from the verified model cache ({@code tinyreid models fetch}); the
     * recognition net from the quantised model file {@link #QUANTISED} on the planned integer
     * runtime when the cache has one (its size and checksums are verified on opening).
     */
    public static DlibResnetEmbedder load(ModelCache cache) throws IOException {
        cache.requireVerified(ModelCache.ModelSet.FACE_API);
        Graph lm = FaceApiImporter.landmarks68(cache.landmarkManifest());
        Path q = cache.root().resolve(QUANTISED);
        if (Files.isRegularFile(q)) {
            return new DlibResnetEmbedder(CompiledModel.open(q, Mode.INTEGER), lm);
        }
        return new DlibResnetEmbedder(FaceApiImporter.recognition(cache.faceRecognitionManifest()), lm);
    }

    /** The arithmetic the recognition net runs in (float, or integer when quantised). */
    public Mode mode() {
        return recognition.mode();
    }

    @Override
    public synchronized void close() {
        recognition.close();
    }

    @Override
    public FaceModel model() {
        return FaceModel.DLIB_RESNET;
    }

    @Override
    public synchronized Descriptor embed(BufferedImage photo, FaceBox box) {
        return embed(Pictures.rgb(photo), box.x(), box.y(), box.width(), box.height());
    }

    /** The descriptor of box (x, y, w, h) of an RGB picture. */
    public synchronized Descriptor embed(RgbImage img, int x, int y, int w, int h) {
        Affine toChip = DlibChip.fromLandmarks68(landmarks(img, x, y, w, h), DlibChip.SIZE, DlibChip.PADDING);
        DlibChip.extract(img, toChip, DlibChip.SIZE, chip);
        int n = DlibChip.SIZE * DlibChip.SIZE;
        byte[] r = chip.red();
        byte[] g = chip.green();
        byte[] b = chip.blue();
        for (int i = 0; i < n; i++) {
            input[i] = r[i] & 0xff;
            input[n + i] = g[i] & 0xff;
            input[2 * n + i] = b[i] & 0xff;
        }
        recognition.embed(input, output);
        return new Descriptor.Float32(output);
    }

    /** The 68 landmarks in image pixels, from the landmark net on the enlarged, clipped face box. */
    private float[][] landmarks(RgbImage img, int fx, int fy, int fw, int fh) {
        double side = Math.max(fw, fh) * LANDMARK_BOX_SCALE;
        int x0 = (int) Math.round(fx + fw / 2.0 - side / 2);
        int y0 = (int) Math.round(fy + fh / 2.0 - side / 2);
        int x1 = Math.min(img.width(), (int) Math.round(x0 + side));
        int y1 = Math.min(img.height(), (int) Math.round(y0 + side));
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        int w = x1 - x0;
        int h = y1 - y0;
        byte[] rgb = new byte[w * h * 3];
        byte[] r = img.red();
        byte[] g = img.green();
        byte[] b = img.blue();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int s = (y0 + y) * img.width() + x0 + x;
                int d = (y * w + x) * 3;
                rgb[d] = r[s];
                rgb[d + 1] = g[s];
                rgb[d + 2] = b[s];
            }
        }
        FaceApiInput.prepare(rgb, w, h, FaceApiImporter.LANDMARK_SIZE, lmIn);
        landmarks.run(lmIn, lmOut);
        float[][] p = Landmarks68.decode(lmOut, w, h);
        for (float[] q : p) {
            q[0] += x0;
            q[1] += y0;
        }
        return p;
    }
}
