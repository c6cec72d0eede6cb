package io.tinyreid.app.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.gallery.Thresholds;
import io.tinyreid.app.photo.DecodedPhoto;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.nn.faceapi.FaceApiGolden;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.faceapi.FaceApiInput;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.quant.Quantiser;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.SharedData;

/**
 * dlib's ResNet behind the gallery's port on LFW pairs (fold 1): same-person pairs must fall under
 * the gallery's dlib threshold and different-person pairs above it. The face box is LFW's centred
 * square (the images are centred on the face); the landmark net does the alignment.
 */
class DlibResnetEmbedderTest {
    static final PhotoDecoder DECODER = new PhotoDecoder(PhotoLimits.DEFAULT);

    static Descriptor embed(DlibResnetEmbedder net, String name, int n) throws Exception {
        Path p = SharedData.require(String.format(Locale.ROOT, "data/lfw-dev/images/%s/%s_%04d.jpg", name, name, n));
        DecodedPhoto photo = DECODER.decode(p.getFileName().toString(), Files.readAllBytes(p));
        int side = (int) Math.round(Math.min(photo.width(), photo.height()) * 0.44);
        return net.embed(photo.image(), new FaceBox((photo.width() - side) / 2, (photo.height() - side) / 2, side, side, 1));
    }

    /** The gallery's shipped dlib-resnet threshold, read where the product reads it (thresholds.properties names its command). */
    static double galleryThreshold() {
        return Thresholds.builtIn().forModel(FaceModel.DLIB_RESNET).accept();
    }

    @Test
    void lfwPairsAreSeparatedByTheGalleryThreshold() throws Exception {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model-weights_manifest.json");
        DlibResnetEmbedder net = DlibResnetEmbedder.load(new ModelCache(SharedData.cache()));
        List<String> lines = Files.readAllLines(SharedData.require("data/lfw-dev/pairs.txt"));
        int pairs = 12;
        int sameOk = 0;
        int diffOk = 0;
        double threshold = galleryThreshold();
        for (int i = 1; i <= pairs; i++) {
            String[] s = lines.get(i).split("\t");
            double d = DistanceMetric.L2.distance(embed(net, s[0], Integer.parseInt(s[1])), embed(net, s[0], Integer.parseInt(s[2])));
            if (d < threshold) {
                sameOk++;
            }
            String[] t = lines.get(300 + i).split("\t");
            double e = DistanceMetric.L2.distance(embed(net, t[0], Integer.parseInt(t[1])), embed(net, t[2], Integer.parseInt(t[3])));
            if (e >= threshold) {
                diffOk++;
            }
        }
        System.out.printf(Locale.ROOT, "dlib-resnet (float, landmarks) on %d+%d LFW pairs at L2 %.2f: %d same accepted, %d different rejected%n",
                pairs, pairs, threshold, sameOk, diffOk);
        assertTrue(sameOk >= pairs - 1, sameOk + "/" + pairs + " same-person pairs accepted");
        assertTrue(diffOk >= pairs - 1, diffOk + "/" + pairs + " different-person pairs rejected");
    }

    /**
     * The app's embedder on our int16 model file (the planned integer runtime) against the same
     * embedder in float: the same pair decisions, descriptors within a tenth of the accept threshold
     * of float's.
     */
    @Test
    void theQuantisedModelRunsOnThePlannedRuntimeAndAgreesWithFloat(@TempDir Path tmp) throws Exception {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model-weights_manifest.json");
        ModelCache cache = new ModelCache(SharedData.cache());
        Graph g = FaceApiImporter.recognition(cache.faceRecognitionManifest());
        Graph lm = FaceApiImporter.landmarks68(cache.landmarkManifest());
        List<float[]> calibration = new ArrayList<>();
        for (FaceApiGolden.Case c : FaceApiGolden.load()) {
            calibration.add(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), FaceApiImporter.RECOGNITION_SIZE));
        }
        Path file = tmp.resolve(DlibResnetEmbedder.QUANTISED);
        Files.createDirectories(file.getParent());
        ModelFile.write(Quantiser.quantise(g, calibration.subList(0, 12), Quantiser.Options.of(Quantiser.Precision.INT16)).quantised(), file);
        DlibResnetEmbedder flt = new DlibResnetEmbedder(g, lm);
        try (DlibResnetEmbedder q = new DlibResnetEmbedder(CompiledModel.open(file, Mode.INTEGER), lm)) {
            assertEquals(Mode.INTEGER, q.mode());
            List<String> lines = Files.readAllLines(SharedData.require("data/lfw-dev/pairs.txt"));
            double threshold = galleryThreshold();
            double worst = 0;
            for (int i = 1; i <= 6; i++) {
                String[] s = lines.get(i).split("\t");
                String[] t = lines.get(300 + i).split("\t");
                String[][] photos = {{s[0], s[1]}, {s[0], s[2]}, {t[0], t[1]}, {t[2], t[3]}};
                Descriptor[] f = new Descriptor[4];
                Descriptor[] d = new Descriptor[4];
                for (int k = 0; k < 4; k++) {
                    f[k] = embed(flt, photos[k][0], Integer.parseInt(photos[k][1]));
                    d[k] = embed(q, photos[k][0], Integer.parseInt(photos[k][1]));
                    worst = Math.max(worst, DistanceMetric.L2.distance(f[k], d[k]));
                }
                assertEquals(DistanceMetric.L2.distance(f[0], f[1]) < threshold, DistanceMetric.L2.distance(d[0], d[1]) < threshold);
                assertEquals(DistanceMetric.L2.distance(f[2], f[3]) < threshold, DistanceMetric.L2.distance(d[2], d[3]) < threshold);
            }
            System.out.printf(Locale.ROOT, "dlib-resnet int16 (planned integer runtime) vs float: largest L2 difference %.4f%n", worst);
            // calibrated on 12 other crops: well under a tenth of the accept threshold
            assertTrue(worst < threshold / 10, "int16 descriptors differ from float by L2 " + worst);
        }
        // a cache holding the quantised file: load() runs it on the planned runtime
        Files.createSymbolicLink(tmp.resolve(ModelCache.ModelSet.FACE_API.folder()), cache.dir(ModelCache.ModelSet.FACE_API));
        try (DlibResnetEmbedder loaded = DlibResnetEmbedder.load(new ModelCache(tmp))) {
            assertEquals(Mode.INTEGER, loaded.mode());
        }
    }
}
