package io.tinyreid.bench.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tinyreid.nn.faceapi.Landmarks68;
import io.tinyreid.vision.align.DlibChip;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.image.Affine;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * The same doorbell frame path assembled from the peers: OpenCV 4.10's CascadeClassifier (same
 * cascade, same parameters, one thread), OpenCV for cropping and scaling ({@code resize}, {@code
 * copyMakeBorder}, {@code warpAffine}, {@code blobFromImage}), ONNX Runtime (float32, one thread) on
 * the networks exported by {@code OnnxExport}. For dlib-resnet the landmark net runs in ONNX Runtime
 * too; only the 68-point decoding and the chip's similarity fit (a few hundred flops) are ours.
 */
public final class Peer implements FramePipeline {
    private final QvgaScenes scenes;
    private final CascadeClassifier cascade;
    private final RectVector rects = new RectVector();
    private final Size minSize = new Size(24, 24);
    private final Size maxSize = new Size();
    private final Size noSize = new Size();
    private final Scalar zero = new Scalar(0.0);
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession faceReid;
    private final OrtSession recognition;
    private final OrtSession landmarks;
    private final Mat crop = new Mat();
    private final Mat square = new Mat();
    private final Mat chip = new Mat();
    private final Mat affine = new Mat(2, 3, CV_64F);
    private final DoublePointer affineValues = new DoublePointer(affine.data());
    private final Size faceReidSize = new Size(128, 128);
    private final Size landmarkSize = new Size(112, 112);
    private final Size chipSize = new Size(DlibChip.SIZE, DlibChip.SIZE);
    private float[] last;

    private Peer(QvgaScenes scenes, Path faceReidOnnx, Path recognitionOnnx, Path landmarkOnnx) throws IOException, OrtException {
        this.scenes = scenes;
        opencv_core.setNumThreads(1);
        try (InputStream in = CascadeLibrary.class.getResourceAsStream(
                "/io/tinyreid/vision/cascades/haarcascades/" + CascadeLibrary.DEFAULT_FACE + ".xml")) {
            if (in == null) {
                throw new IOException("face cascade missing from the vision jar");
            }
            Path tmp = Files.createTempFile("cascade", ".xml");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            cascade = new CascadeClassifier(tmp.toString());
            Files.delete(tmp);
        }
        faceReid = faceReidOnnx == null ? null : session(faceReidOnnx);
        recognition = recognitionOnnx == null ? null : session(recognitionOnnx);
        landmarks = landmarkOnnx == null ? null : session(landmarkOnnx);
    }

    private OrtSession session(Path onnx) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            return env.createSession(onnx.toString(), o);
        }
    }

    /** OpenCV detection only. */
    public static Peer detectOnly(QvgaScenes scenes) throws IOException, OrtException {
        return new Peer(scenes, null, null, null);
    }

    /** OpenCV detection, OpenCV crop and scaling, ONNX Runtime FaceReID (float32). */
    public static Peer faceReid(QvgaScenes scenes, Path onnx) throws IOException, OrtException {
        return new Peer(scenes, onnx, null, null);
    }

    /** OpenCV detection, ONNX Runtime landmarks, OpenCV chip warp, ONNX Runtime dlib ResNet (float32). */
    public static Peer dlib(QvgaScenes scenes, Path recognitionOnnx, Path landmarkOnnx) throws IOException, OrtException {
        return new Peer(scenes, null, recognitionOnnx, landmarkOnnx);
    }

    @Override
    public long process(int i) {
        Mat gray = scenes.grayMats.get(i);
        cascade.detectMultiScale(gray, rects, Ours.PARAMS.scaleFactor(), Ours.PARAMS.minNeighbors(), 0, minSize, maxSize);
        int k = -1;
        for (int r = 0; r < rects.size(); r++) {
            if (k < 0 || rects.get(r).area() > rects.get(k).area()) {
                k = r;
            }
        }
        if (k < 0 || faceReid == null && recognition == null) {
            return rects.size();
        }
        Rect b = rects.get(k);
        try {
            last = faceReid != null ? faceReid(gray, b.x(), b.y(), b.width(), b.height())
                    : dlib(scenes.rgbMats.get(i), b.x(), b.y(), b.width(), b.height());
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        return Float.floatToIntBits(last[0]);
    }

    private float[] faceReid(Mat gray, int x, int y, int w, int h) throws OrtException {
        int fw = gray.cols();
        int fh = gray.rows();
        int side = Math.min(Math.max(w, h), Math.min(fw, fh));
        int x0 = Math.clamp(x + w / 2 - side / 2, 0, fw - side);
        int y0 = Math.clamp(y + h / 2 - side / 2, 0, fh - side);
        try (Rect r = new Rect(x0, y0, side, side); Mat roi = new Mat(gray, r)) {
            resize(roi, crop, faceReidSize, 0, 0, INTER_LINEAR);
        }
        return run(faceReid, crop, 1, 128);
    }

    private float[] dlib(Mat rgb, int fx, int fy, int fw, int fh) throws OrtException {
        // the landmark net's input: the face box enlarged 1.2x, clipped, padded to a square, 112x112
        double s = Math.max(fw, fh) * 1.2;
        int x0 = (int) Math.round(fx + fw / 2.0 - s / 2);
        int y0 = (int) Math.round(fy + fh / 2.0 - s / 2);
        int x1 = Math.min(rgb.cols(), (int) Math.round(x0 + s));
        int y1 = Math.min(rgb.rows(), (int) Math.round(y0 + s));
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        int w = x1 - x0;
        int h = y1 - y0;
        int diff = Math.abs(w - h);
        int append = (int) Math.round(diff * 0.5);
        int prepend = diff - append;
        try (Rect r = new Rect(x0, y0, w, h); Mat roi = new Mat(rgb, r)) {
            if (w < h) {
                opencv_core.copyMakeBorder(roi, square, 0, 0, prepend, append, opencv_core.BORDER_CONSTANT, zero);
            } else {
                opencv_core.copyMakeBorder(roi, square, prepend, append, 0, 0, opencv_core.BORDER_CONSTANT, zero);
            }
        }
        resize(square, crop, landmarkSize, 0, 0, INTER_LINEAR);
        float[][] pts = Landmarks68.decode(run(landmarks, crop, 3, 112), w, h);
        for (float[] p : pts) {
            p[0] += x0;
            p[1] += y0;
        }
        Affine a = DlibChip.fromLandmarks68(pts, DlibChip.SIZE, DlibChip.PADDING);
        affineValues.put(a.a(), a.b(), a.c(), a.d(), a.e(), a.f());
        warpAffine(rgb, chip, affine, chipSize, INTER_LINEAR, opencv_core.BORDER_CONSTANT, zero);
        return run(recognition, chip, 3, DlibChip.SIZE);
    }

    /** Planar float blob of an 8-bit image (pixel values, channels in the Mat's order) through a session. */
    private float[] run(OrtSession s, Mat image, int channels, int size) throws OrtException {
        try (Mat blob = blobFromImage(image, 1.0, noSize, zero, false, false, CV_32F)) {
            FloatBuffer fb = blob.createBuffer();
            try (OnnxTensor t = OnnxTensor.createTensor(env, fb, new long[] {1, channels, size, size});
                 OrtSession.Result r = s.run(Map.of("input", t))) {
                return ((float[][]) r.get(0).getValue())[0];
            }
        }
    }

    @Override
    public float[] lastDescriptor() {
        return last;
    }

    @Override
    public void close() {
        cascade.close();
        try {
            for (OrtSession s : new OrtSession[] {faceReid, recognition, landmarks}) {
                if (s != null) {
                    s.close();
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
