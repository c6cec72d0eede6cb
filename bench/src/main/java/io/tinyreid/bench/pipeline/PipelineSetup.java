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
 * descriptor), {@code dlib-resnet-float} (detection + landmarks + one dlib-resnet descriptor, float32),
 * {@code dlib-resnet-int16} (the same on the product's int16 frame path, {@code DlibResnetFrames}).
 */
public final class PipelineSetup {
    /** Every configuration, in report order. */
    public static final List<String> CONFIGS = List.of("detect", "facereid-exact", "facereid-fast", "facereid-float",
            "dlib-resnet-float", "dlib-resnet-int16");

    private PipelineSetup() {}

    /** Our pipeline for {@code config}. */
    public static FramePipeline ours(String config, QvgaScenes scenes) throws IOException {
        return switch (config) {
            case "detect" -> Ours.detectOnly(scenes);
            case "facereid-exact" -> Ours.faceReid(scenes, FaceReidBench.modelFile(), Mode.EXACT);
            case "facereid-fast" -> Ours.faceReid(scenes, FaceReidBench.modelFile(), Mode.FAST);
            case "facereid-float" -> Ours.faceReid(scenes, FaceReidBench.modelFile(), Mode.FLOAT);
            case "dlib-resnet-float" -> Ours.dlib(scenes, faceApi());
            case "dlib-resnet-int16" -> {
                Path[] files = dlibInt16(faceApi());
                yield Ours.dlibInt16(scenes, files[0], files[1]);
            }
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

    /**
     * dlib-resnet's int16 model files: the model cache's ({@code tinyreid quantise --out}) when it
     * has both, else both networks quantised here as {@code tinyreid quantise} does, calibrated on
     * the first images of the first 12 LFW dev people as the product sees them (the landmark net on
     * the 1.2x face box, the recognition net on chips aligned by the float landmark net).
     */
    static Path[] dlibInt16(ModelCache c) throws IOException {
        Path lm = c.root().resolve(io.tinyreid.app.face.DlibResnetEmbedder.QUANTISED_LANDMARKS);
        Path rec = c.root().resolve(io.tinyreid.app.face.DlibResnetEmbedder.QUANTISED);
        if (Files.isRegularFile(lm) && Files.isRegularFile(rec)) {
            return new Path[] {lm, rec};
        }
        io.tinyreid.nn.ir.Graph lmFloat = FaceApiImporter.landmarks68(c.landmarkManifest());
        io.tinyreid.nn.ir.Graph recFloat = FaceApiImporter.recognition(c.faceRecognitionManifest());
        java.util.List<float[]> lmCal = new java.util.ArrayList<>();
        java.util.List<float[]> recCal = new java.util.ArrayList<>();
        io.tinyreid.app.face.DlibAlignment align = new io.tinyreid.app.face.DlibAlignment();
        io.tinyreid.vision.image.ImageDecoder dec = new io.tinyreid.vision.image.ImageDecoder();
        Path people = FaceReidBench.shared().resolve("data/lfw-dev/images");
        try (var dirs = Files.list(people); var lmNet = io.tinyreid.nn.runtime.CompiledModel.ofGraph(lmFloat)) {
            for (Path person : dirs.sorted().limit(12).toList()) {
                Path first;
                try (var imgs = Files.list(person)) {
                    first = imgs.sorted().findFirst().orElseThrow();
                }
                io.tinyreid.vision.image.RgbImage img = dec.decodeRgb(first);
                int side = (int) Math.round(Math.min(img.width(), img.height()) * 0.44);
                int x = (img.width() - side) / 2;
                int y = (img.height() - side) / 2;
                lmCal.add(align.landmarkInput(img, x, y, side, side).clone());
                recCal.add(align.align(img, x, y, side, side, lmNet).clone());
            }
        }
        var int16 = io.tinyreid.nn.quant.Quantiser.Options.of(io.tinyreid.nn.quant.Quantiser.Precision.INT16);
        Path dir = Files.createTempDirectory("tinyreid-bench-dlib");
        dir.toFile().deleteOnExit();
        Path lmOut = dir.resolve("face-landmark-68-int16.tinyreid");
        Path recOut = dir.resolve("dlib-resnet-int16.tinyreid");
        io.tinyreid.nn.store.ModelFile.write(io.tinyreid.nn.quant.Quantiser.quantise(lmFloat, lmCal, int16).quantised(), lmOut);
        io.tinyreid.nn.store.ModelFile.write(io.tinyreid.nn.quant.Quantiser.quantise(recFloat, recCal, int16).quantised(), recOut);
        lmOut.toFile().deleteOnExit();
        recOut.toFile().deleteOnExit();
        return new Path[] {lmOut, recOut};
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
