package io.tinyreid.app.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tinyreid.app.face.DlibAlignment;
import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.RgbImage;

/**
 * dlib-resnet's two networks quantised to int16 as {@code tinyreid quantise} does, calibrated on
 * LFW dev faces the way the product sees them (the landmark net on the 1.2x face box, the
 * recognition net on dlib chips aligned by the float landmark net), written as model files; and
 * further LFW faces, none of them used for calibration, to measure on.
 */
public final class DlibInt16Models {
    /** LFW people whose first image calibrates (the first ones in name order). */
    public static final int CALIBRATION = 12;

    public final Graph landmarkFloat;
    public final Graph recognitionFloat;
    public final Path landmarks;
    public final Path recognition;
    /** Faces not used for calibration, as decoded RGB with the centred face box of LFW's framing. */
    public final List<RgbImage> faces = new ArrayList<>();

    /** A model cache at {@code dir} with the test cache's fetched model sets (linked) and these files. */
    public ModelCache cacheAt(Path dir) throws IOException {
        ModelCache shared = new ModelCache(SharedData.cache());
        for (ModelCache.ModelSet set : ModelCache.ModelSet.values()) {
            Path link = dir.resolve(set.folder());
            if (!java.nio.file.Files.exists(link) && java.nio.file.Files.exists(shared.dir(set))) {
                java.nio.file.Files.createSymbolicLink(link, shared.dir(set));
            }
        }
        return new ModelCache(dir);
    }

    private DlibInt16Models(Path dir, int measured) throws IOException {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model-weights_manifest.json");
        ModelCache cache = new ModelCache(SharedData.cache());
        landmarkFloat = FaceApiImporter.landmarks68(cache.landmarkManifest());
        recognitionFloat = FaceApiImporter.recognition(cache.faceRecognitionManifest());
        ImageDecoder dec = new ImageDecoder();
        List<Path> lfw = TestImages.lfwFaces(CALIBRATION + measured);
        DlibAlignment align = new DlibAlignment();
        List<float[]> lmCal = new ArrayList<>();
        List<float[]> recCal = new ArrayList<>();
        try (CompiledModel lmNet = CompiledModel.ofGraph(landmarkFloat)) {
            for (int i = 0; i < lfw.size(); i++) {
                RgbImage img = dec.decodeRgb(lfw.get(i));
                if (i >= CALIBRATION) {
                    faces.add(img);
                    continue;
                }
                int[] b = box(img);
                lmCal.add(align.landmarkInput(img, b[0], b[1], b[2], b[3]).clone());
                recCal.add(align.align(img, b[0], b[1], b[2], b[3], lmNet).clone());
            }
        }
        Quantiser.Options int16 = Quantiser.Options.of(Quantiser.Precision.INT16);
        landmarks = dir.resolve(DlibResnetEmbedder.QUANTISED_LANDMARKS);
        recognition = dir.resolve(DlibResnetEmbedder.QUANTISED);
        java.nio.file.Files.createDirectories(landmarks.getParent());
        ModelFile.write(Quantiser.quantise(landmarkFloat, lmCal, int16).quantised(), landmarks);
        ModelFile.write(Quantiser.quantise(recognitionFloat, recCal, int16).quantised(), recognition);
    }

    /**
     * Quantises both networks into the model cache {@code dir} (where the product looks for them),
     * keeping {@code measured} further faces to measure on.
     */
    public static DlibInt16Models write(Path dir, int measured) throws IOException {
        return new DlibInt16Models(dir, measured);
    }

    /** LFW's face box: the centred square of 0.44 of the image side (as the LFW tests use). */
    public static int[] box(RgbImage img) {
        int side = (int) Math.round(Math.min(img.width(), img.height()) * 0.44);
        return new int[] {(img.width() - side) / 2, (img.height() - side) / 2, side, side};
    }
}
