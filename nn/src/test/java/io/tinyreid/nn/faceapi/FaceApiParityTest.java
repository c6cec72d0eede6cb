package io.tinyreid.nn.faceapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * Issue 4's parity criterion: the imported networks, run by our float executor, give face-api's own
 * outputs (tools/faceapi-golden under Node) on every golden crop — descriptors within 1e-4 per
 * component, landmarks within 1e-3 pixel.
 */
class FaceApiParityTest {
    static List<FaceApiGolden.Case> cases;

    @BeforeAll
    static void load() throws IOException {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model.bin");
        cases = FaceApiGolden.load();
    }

    @Test
    void recognitionNetMatchesFaceApiDescriptors() throws IOException {
        Graph g = FaceApiImporter.recognition(ModelCache.standard().faceRecognitionManifest());
        assertEquals(128, g.output().shape().size());
        FloatExecutor ex = new FloatExecutor(g);
        float[] d = new float[128];
        double worst = 0;
        for (FaceApiGolden.Case c : cases) {
            ex.run(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), FaceApiImporter.RECOGNITION_SIZE), d);
            for (int i = 0; i < 128; i++) {
                double diff = Math.abs(d[i] - c.descriptor()[i]);
                worst = Math.max(worst, diff);
                assertTrue(diff <= 1e-4, c.file() + " component " + i + ": ours " + d[i] + ", face-api " + c.descriptor()[i]);
            }
        }
        System.out.printf("dlib-resnet float vs face-api on %d crops: max abs difference %.3g%n", cases.size(), worst);
    }

    @Test
    void landmarkNetMatchesFaceApiLandmarks() throws IOException {
        Graph g = FaceApiImporter.landmarks68(ModelCache.standard().landmarkManifest());
        FloatExecutor ex = new FloatExecutor(g);
        float[] out = new float[136];
        double worst = 0;
        for (FaceApiGolden.Case c : cases) {
            ex.run(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), FaceApiImporter.LANDMARK_SIZE), out);
            float[][] p = Landmarks68.decode(out, c.width(), c.height());
            for (int i = 0; i < 68; i++) {
                for (int k = 0; k < 2; k++) {
                    double diff = Math.abs(p[i][k] - c.landmarks()[i][k]);
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= 1e-3, c.file() + " point " + i + ": ours " + p[i][k] + ", face-api " + c.landmarks()[i][k]);
                }
            }
        }
        System.out.printf("landmark-68 float vs face-api on %d crops: max abs difference %.3g px%n", cases.size(), worst);
    }

    /**
     * The frame loop's preparation reads the face's window in place from an image's three planes
     * (no interleaved copy) and decodes into reused points: the same input tensor bit for bit, and
     * face-api's landmarks, for crops placed inside a larger noisy picture.
     */
    @Test
    void aWindowOfRgbPlanesGivesTheSameInputAndFaceApisLandmarks() throws IOException {
        Graph g = FaceApiImporter.landmarks68(ModelCache.standard().landmarkManifest());
        FloatExecutor ex = new FloatExecutor(g);
        float[] out = new float[136];
        float[][] p = new float[68][2];
        int size = FaceApiImporter.LANDMARK_SIZE;
        float[] planar = new float[3 * size * size];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(112);
        for (FaceApiGolden.Case c : FaceApiGolden.geometrySample(cases)) {
            int x0 = 19;
            int y0 = 11;
            int stride = c.width() + 37;
            int rows = c.height() + 23;
            byte[][] planes = new byte[3][stride * rows];
            for (byte[] plane : planes) {
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = (byte) rnd.nextInt(256);
                }
            }
            for (int y = 0; y < c.height(); y++) {
                for (int x = 0; x < c.width(); x++) {
                    for (int k = 0; k < 3; k++) {
                        planes[k][(y0 + y) * stride + x0 + x] = c.rgb()[(y * c.width() + x) * 3 + k];
                    }
                }
            }
            FaceApiInput.prepare(planes[0], planes[1], planes[2], stride, x0, y0, c.width(), c.height(), size, planar);
            org.junit.jupiter.api.Assertions.assertArrayEquals(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), size), planar,
                    c.file());
            ex.run(planar, out);
            Landmarks68.decode(out, c.width(), c.height(), p);
            for (int i = 0; i < 68; i++) {
                for (int k = 0; k < 2; k++) {
                    assertTrue(Math.abs(p[i][k] - c.landmarks()[i][k]) <= 1e-3, c.file() + " point " + i);
                }
            }
        }
    }
}
