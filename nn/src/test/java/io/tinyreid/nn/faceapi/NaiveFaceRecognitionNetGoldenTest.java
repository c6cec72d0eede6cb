package io.tinyreid.nn.faceapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * Our reading of face-api's weights and input preparation, run through a plain transcription of
 * its network, gives face-api's own descriptors: this pins the importer and preprocessing before
 * any engine is involved.
 */
class NaiveFaceRecognitionNetGoldenTest {
    @Test
    void naiveTranscriptionMatchesFaceApi() throws Exception {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model.bin");
        Map<String, FaceApiTensor> weights = WeightManifest.read(ModelCache.standard().faceRecognitionManifest()).readTensors();
        NaiveFaceRecognitionNet net = new NaiveFaceRecognitionNet(weights);
        List<FaceApiGolden.Case> cases = FaceApiGolden.load();
        assertTrue(cases.size() >= 4, "golden cases");
        double worst = 0;
        // The transcription is slow (no engine): four crops of different geometry are enough here.
        for (FaceApiGolden.Case c : FaceApiGolden.geometrySample(cases)) {
            float[] d = net.descriptor(FaceApiInput.normalise(FaceApiInput.prepare(c.rgb(), c.width(), c.height(), 150)));
            assertEquals(128, d.length);
            for (int i = 0; i < d.length; i++) {
                worst = Math.max(worst, Math.abs(d[i] - c.descriptor()[i]));
            }
        }
        assertTrue(worst <= 1e-4, "max |ours - face-api| = " + worst);
        System.out.println("naive transcription vs face-api: max abs difference " + worst);
    }
}
