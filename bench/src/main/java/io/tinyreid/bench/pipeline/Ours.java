package io.tinyreid.bench.pipeline;

import java.io.IOException;
import java.nio.file.Path;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.engine.DlibResnetFrames;
import io.tinyreid.app.engine.FaceReidFrames;
import io.tinyreid.app.engine.FrameLoopFootprint;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.nn.faceapi.FaceApiImporter;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.PackedCascade;

/**
 * Our doorbell frame path: vision's Haar detector on the gray frame (the product's frame detector:
 * QVGA scratch, 1024 raw windows, scale 1.1, 3 neighbours, faces from 24 px), then, when asked, one
 * descriptor of the largest face with the product's describer: {@link FaceReidFrames} (square crop,
 * planned int16 network, or float), {@link DlibResnetFrames} (int16 landmark net, dlib chip, int16
 * ResNet on the planned integer runtime, each network in the L2 the 512 KiB doorbell leaves it with
 * 20 people and a gray display) or {@link DlibResnetEmbedder} in float32 (landmark net, dlib chip, ResNet).
 */
public final class Ours implements FramePipeline {
    /** The product's frame detection parameters. */
    public static final DetectionParams PARAMS = new DetectionParams(1.1, 3, 24, 24, 0, 0);

    private final QvgaScenes scenes;
    private final CascadeDetector detector;
    private final Detections faces = new Detections(32);
    private final FaceReidFrames faceReid;
    private final DlibResnetEmbedder dlib;
    private final DlibResnetFrames dlibFrames;
    private final short[] raw = new short[512];
    private final float[] dlibOut = new float[128];
    private float[] last;

    private Ours(QvgaScenes scenes, FaceReidFrames faceReid, DlibResnetEmbedder dlib, DlibResnetFrames dlibFrames)
            throws IOException {
        this.scenes = scenes;
        this.detector = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE)), 320, 240, 1024);
        this.faceReid = faceReid;
        this.dlib = dlib;
        this.dlibFrames = dlibFrames;
    }

    /** Detection only. */
    public static Ours detectOnly(QvgaScenes scenes) throws IOException {
        return new Ours(scenes, null, null, null);
    }

    /** Detection and a FaceReID descriptor in {@code mode}. */
    public static Ours faceReid(QvgaScenes scenes, Path modelFile, Mode mode) throws IOException {
        return new Ours(scenes, FaceReidFrames.open(modelFile, mode), null, null);
    }

    /** Detection and a dlib-resnet descriptor, both networks in float32 on the heap. */
    public static Ours dlib(QvgaScenes scenes, ModelCache cache) throws IOException {
        return new Ours(scenes, null, new DlibResnetEmbedder(FaceApiImporter.recognition(cache.faceRecognitionManifest()),
                FaceApiImporter.landmarks68(cache.landmarkManifest())), null);
    }

    /**
     * Detection and a dlib-resnet descriptor on the product's int16 frame path: the quantised model
     * files, each network planned in the L2 the doorbell (512 KiB, 20 people, gray display) leaves it.
     */
    public static Ours dlibInt16(QvgaScenes scenes, Path landmarkFile, Path recognitionFile) throws IOException {
        FrameLoopFootprint.DlibBudgets b = FrameLoopFootprint.dlibBudgets(DoorbellBudget.Display.GRAY, 20, PlanOptions.L2);
        return new Ours(scenes, null, null, DlibResnetFrames.open(landmarkFile, recognitionFile, b.landmarks(), b.recognition()));
    }

    @Override
    public long process(int i) {
        detector.detect(scenes.gray.get(i), PARAMS, faces);
        int k = largest(faces);
        if (k < 0 || faceReid == null && dlib == null && dlibFrames == null) {
            return faces.size();
        }
        if (faceReid != null) {
            faceReid.describeInto(scenes.gray.get(i), faces.x(k), faces.y(k), faces.width(k), faces.height(k), raw);
            return raw[0] + raw[511];
        }
        if (dlibFrames != null) {
            dlibFrames.describeInto(scenes.rgb.get(i), faces.x(k), faces.y(k), faces.width(k), faces.height(k), dlibOut);
            last = dlibOut;
            return Float.floatToIntBits(dlibOut[0]);
        }
        Descriptor d = dlib.embed(scenes.rgb.get(i), faces.x(k), faces.y(k), faces.width(k), faces.height(k));
        last = ((Descriptor.Float32) d).values();
        return Float.floatToIntBits(last[0]);
    }

    @Override
    public float[] lastDescriptor() {
        if (faceReid != null) {
            float[] f = new float[raw.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = raw[i] / 1024f;
            }
            return f;
        }
        return last;
    }

    /** Index of the largest box, or -1. */
    static int largest(Detections d) {
        int best = -1;
        for (int i = 0; i < d.size(); i++) {
            if (best < 0 || d.width(i) * d.height(i) > d.width(best) * d.height(best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        if (faceReid != null) {
            faceReid.close();
        }
        if (dlib != null) {
            dlib.close();
        }
        if (dlibFrames != null) {
            dlibFrames.close();
        }
    }
}
