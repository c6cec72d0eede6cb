package io.tinyreid.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.onnxruntime.OrtException;
import io.tinyreid.bench.FaceReidBench;
import io.tinyreid.bench.onnx.OnnxExport;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.runtime.Mode;

/**
 * The end-to-end configurations, each as our pipeline and the peer's, built from the same files:
 * {@code detect} (detection only), {@code facereid-exact|fast|float} (detection + one FaceReID
 * descriptor), {@code dlib-resnet-float} (detection + landmarks + one dlib-resnet descriptor).
 */
public final class PipelineSetup {
    /** Every configuration, in report order. */
    public static final List<String> CONFIGS = List.of("detect", "facereid-exact", "facereid-fast", "facereid-float",
            "dlib-resnet-float");

    private PipelineSetup() {}

    /** Our pipeline for {@code config}. */
    public static FramePipeline ours(String config, QvgaScenes scenes) throws IOException {
        return switch (config) {
            case "detect" -> Ours.detectOnly(scenes);
            case "facereid-exact" -> Ours.faceReid(scenes, FaceReidBench.modelFile(), Mode.EXACT);
            case "facereid-fast" -> Ours.faceReid(scenes, FaceReidBench.modelFile(), Mode.FAST);
            case "facereid-float" -> Ours.faceReid(scenes, FaceReidBench.modelFile(), Mode.FLOAT);
            case "dlib-resnet-float" -> Ours.dlib(scenes, faceApi());
            default -> throw new IllegalArgumentException("unknown configuration " + config + " (" + CONFIGS + ")");
        };
    }

    /** The peer's pipeline for {@code config}. */
    public static FramePipeline peer(String config, QvgaScenes scenes) throws IOException {
        try {
            if (config.equals("detect")) {
                return Peer.detectOnly(scenes);
            }
            if (config.startsWith("facereid-")) {
                return Peer.faceReid(scenes, onnx("facereid", () -> FaceReidBench.graph()));
            }
            if (config.startsWith("dlib-resnet")) {
                ModelCache c = faceApi();
                return Peer.dlib(scenes, onnx("dlib-resnet", () -> FaceApiImporter.recognition(c.faceRecognitionManifest())),
                        onnx("landmarks68", () -> FaceApiImporter.landmarks68(c.landmarkManifest())));
            }
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unknown configuration " + config + " (" + CONFIGS + ")");
    }

    private static ModelCache faceApi() throws IOException {
        ModelCache c = ModelCache.standard();
        c.requireVerified(ModelCache.ModelSet.FACE_API);
        return c;
    }

    interface GraphSource {
        io.tinyreid.nn.ir.Graph load() throws IOException;
    }

    private static Path onnx(String name, GraphSource g) throws IOException {
        Path f = Files.createTempFile(name, ".onnx");
        f.toFile().deleteOnExit();
        try {
            OnnxExport.write(g.load(), f);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return f;
    }
}
