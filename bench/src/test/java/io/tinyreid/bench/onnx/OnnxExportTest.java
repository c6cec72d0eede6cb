package io.tinyreid.bench.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.LinearResizer;
import io.tinyreid.vision.image.Resize;
import io.tinyreid.vision.image.RgbImage;

/** The exported ONNX network, run by ONNX Runtime, computes what our float executor computes. */
class OnnxExportTest {
    @Test
    void onnxRuntimeAgreesWithTheFloatExecutor(@TempDir Path tmp) throws Exception {
        Graph g = FaceReidFixture.graph();
        Path onnx = tmp.resolve("facereid.onnx");
        OnnxExport.write(g, onnx);
        List<float[]> inputs = new ArrayList<>();
        Path dc = SharedData.require("models/facereid/device_check");
        inputs.add(TestImages.pgm128(dc.resolve("Francesco.pgm")));
        inputs.add(TestImages.pgm128(dc.resolve("Lena.pgm")));
        for (Path p : TestImages.lfwFaces(3)) {
            inputs.add(TestImages.grayResized(p, 128));
        }
        FloatExecutor ours = new FloatExecutor(g);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx.toString(), o)) {
                for (float[] in : inputs) {
                    float[] mine = new float[512];
                    ours.run(in, mine);
                    float[] theirs;
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, 1, 128, 128});
                         OrtSession.Result r = s.run(Map.of("input", t))) {
                        theirs = ((float[][]) r.get(0).getValue())[0];
                    }
                    double maxAbs = 0;
                    double maxVal = 0;
                    for (int i = 0; i < 512; i++) {
                        maxAbs = Math.max(maxAbs, Math.abs(mine[i] - theirs[i]));
                        maxVal = Math.max(maxVal, Math.abs(mine[i]));
                    }
                    assertTrue(maxAbs <= 1e-4 * Math.max(1, maxVal), "max |ours - onnxruntime| " + maxAbs + " (max " + maxVal + ")");
                    assertTrue(TestImages.cosine(mine, theirs) > 0.99999);
                }
            }
        }
    }

    /** dlib's ResNet and face-api's landmark net exported the same way agree with our float executor under ONNX Runtime. */
    @Test
    void faceApiNetworksAgreeToo(@TempDir Path tmp) throws Exception {
        Path model = SharedData.requireCached("face-api-1.7.15/model");
        check(FaceApiImporter.recognition(model.resolve("face_recognition_model-weights_manifest.json")), 150, tmp);
        check(FaceApiImporter.landmarks68(model.resolve("face_landmark_68_model-weights_manifest.json")), 112, tmp);
    }

    private static void check(Graph g, int size, Path tmp) throws Exception {
        Path onnx = tmp.resolve(g.name() + ".onnx");
        OnnxExport.write(g, onnx);
        FloatExecutor ours = new FloatExecutor(g);
        int n = g.output().shape().size();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx.toString(), o)) {
                for (Path p : TestImages.lfwFaces(3)) {
                    RgbImage img = Resize.bilinear(new ImageDecoder().decodeRgb(p), new RgbImage(size, size), new LinearResizer());
                    float[] in = new float[3 * size * size];
                    for (int i = 0; i < size * size; i++) {
                        in[i] = img.red()[i] & 0xff;
                        in[size * size + i] = img.green()[i] & 0xff;
                        in[2 * size * size + i] = img.blue()[i] & 0xff;
                    }
                    float[] mine = new float[n];
                    ours.run(in, mine);
                    float[] theirs;
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, 3, size, size});
                         OrtSession.Result r = s.run(Map.of("input", t))) {
                        theirs = ((float[][]) r.get(0).getValue())[0];
                    }
                    double maxAbs = 0;
                    double maxVal = 0;
                    for (int i = 0; i < n; i++) {
                        maxAbs = Math.max(maxAbs, Math.abs(mine[i] - theirs[i]));
                        maxVal = Math.max(maxVal, Math.abs(mine[i]));
                    }
                    assertTrue(maxAbs <= 1e-4 * Math.max(1, maxVal), g.name() + ": max |ours - onnxruntime| " + maxAbs);
                    assertTrue(TestImages.cosine(mine, theirs) > 0.99999, g.name());
                }
            }
        }
    }
}
