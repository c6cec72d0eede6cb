package io.tinyreid.app.face;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.photo.DecodedPhoto;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.nn.models.ModelCache;
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

    @Test
    void lfwPairsAreSeparatedByTheGalleryThreshold() throws Exception {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model-weights_manifest.json");
        DlibResnetEmbedder net = DlibResnetEmbedder.load(new ModelCache(SharedData.cache()));
        List<String> lines = Files.readAllLines(SharedData.require("data/lfw-dev/pairs.txt"));
        int pairs = 12;
        int sameOk = 0;
        int diffOk = 0;
        double threshold = 0.5725; // the gallery's dlib-resnet threshold (LFW dev, FAR 1e-3)
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
}
