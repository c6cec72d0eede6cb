package io.tinyreid.bench.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.PackedCascade;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Resize;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/**
 * Face detection on QVGA frames, one thread: TinyReID's strip detector against OpenCV 4.10's
 * CascadeClassifier (bytedeco, {@code setNumThreads(1)}), same frames, same parameters
 * (scale 1.1, 3 neighbours, no size limits). One operation = all frames once.
 *
 * <p>Frames: the reference device's own 320x240 frame ({@code models/facereid/device_check}) and the
 * four 4:3 dlib-faces photos area-resized to 320x240, from {@code -Dtinyreid.shared} (default ../shared).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DetectBenchmark {
    @Param({"haarcascade_frontalface_default", "lbpcascade_frontalface_improved"})
    public String cascade;

    private GrayImage[] frames;
    private Mat[] mats;
    private CascadeDetector ours;
    private Detections out;
    private CascadeClassifier peer;
    private RectVector rects;
    private final DetectionParams params = DetectionParams.DEFAULT;

    /** The benchmark frames: the device's QVGA frame and four dlib photos at 320x240. */
    public static List<GrayImage> qvgaFrames() throws IOException {
        Path shared = Path.of(System.getProperty("tinyreid.shared", "../shared"));
        ImageDecoder dec = new ImageDecoder();
        List<GrayImage> out = new ArrayList<>();
        out.add(dec.decodeGray(shared.resolve("models/facereid/device_check/pipeline_input_320x240.pgm")));
        for (String f : List.of("2007_007763.jpg", "2008_001322.jpg", "2008_002079.jpg", "2008_002506.jpg")) {
            GrayImage g = dec.decodeGray(shared.resolve("data/detection/dlib-faces").resolve(f));
            out.add(Resize.area(g, new GrayImage(320, 240)));
        }
        return out;
    }

    @Setup(Level.Trial)
    public void setup() throws IOException {
        opencv_core.setNumThreads(1);
        List<GrayImage> f = qvgaFrames();
        frames = f.toArray(GrayImage[]::new);
        mats = new Mat[frames.length];
        for (int i = 0; i < frames.length; i++) {
            mats[i] = new Mat(240, 320, CV_8UC1);
            mats[i].data().put(frames[i].pixels(), 0, 320 * 240);
        }
        ours = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(cascade)));
        out = new Detections(64);
        String family = cascade.startsWith("lbp") ? "lbpcascades" : "haarcascades";
        try (InputStream in = CascadeLibrary.class.getResourceAsStream("/io/tinyreid/vision/cascades/" + family + "/" + cascade + ".xml")) {
            Path tmp = Files.createTempFile(cascade, ".xml");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            peer = new CascadeClassifier(tmp.toString());
            Files.delete(tmp);
        }
        rects = new RectVector();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peer.close();
    }

    @Benchmark
    public int tinyreid() {
        int n = 0;
        for (GrayImage f : frames) {
            ours.detect(f, params, out);
            n += out.size();
        }
        return n;
    }

    @Benchmark
    public long opencv() {
        long n = 0;
        for (Mat m : mats) {
            peer.detectMultiScale(m, rects, params.scaleFactor(), params.minNeighbors(), 0, new Size(), new Size());
            n += rects.size();
        }
        return n;
    }
}
