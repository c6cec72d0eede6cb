package io.tinyreid.bench.detect;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.PackedCascade;
import io.tinyreid.vision.image.GrayImage;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/**
 * The same comparison as {@link DetectBenchmark}, timed by thread CPU time with the two detectors
 * interleaved round by round, so that other processes on a shared machine cannot favour either
 * side. Prints median milliseconds per QVGA frame and the ratio.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.tinyreid.bench.detect.DetectCpuComparison [rounds]}
 */
public final class DetectCpuComparison {
    private DetectCpuComparison() {}

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        opencv_core.setNumThreads(1);
        List<GrayImage> frames = DetectBenchmark.qvgaFrames();
        Mat[] mats = new Mat[frames.size()];
        for (int i = 0; i < mats.length; i++) {
            mats[i] = new Mat(240, 320, CV_8UC1);
            mats[i].data().put(frames.get(i).pixels(), 0, 320 * 240);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "| cascade | TinyReID ms/frame | OpenCV 4.10 ms/frame | ratio (ours / OpenCV) |%n|---|---|---|---|%n");
        for (String cascade : List.of("haarcascade_frontalface_default", "lbpcascade_frontalface_improved")) {
            CascadeDetector ours = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(cascade)));
            Detections out = new Detections(64);
            String family = cascade.startsWith("lbp") ? "lbpcascades" : "haarcascades";
            CascadeClassifier peer;
            try (InputStream in = CascadeLibrary.class.getResourceAsStream("/io/tinyreid/vision/cascades/" + family + "/" + cascade + ".xml")) {
                Path tmp = Files.createTempFile(cascade, ".xml");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                peer = new CascadeClassifier(tmp.toString());
                Files.delete(tmp);
            }
            RectVector rects = new RectVector();
            DetectionParams p = DetectionParams.DEFAULT;
            double[] a = new double[rounds], b = new double[rounds];
            for (int r = -rounds / 3; r < rounds; r++) { // the first third warms up both
                long t0 = threads.getCurrentThreadCpuTime();
                for (GrayImage f : frames) ours.detect(f, p, out);
                long t1 = threads.getCurrentThreadCpuTime();
                for (Mat m : mats) peer.detectMultiScale(m, rects, p.scaleFactor(), p.minNeighbors(), 0, new Size(), new Size());
                long t2 = threads.getCurrentThreadCpuTime();
                if (r >= 0) {
                    a[r] = (t1 - t0) / 1e6 / frames.size();
                    b[r] = (t2 - t1) / 1e6 / frames.size();
                }
            }
            Arrays.sort(a);
            Arrays.sort(b);
            double ma = a[rounds / 2], mb = b[rounds / 2];
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", cascade, ma, mb, ma / mb);
            peer.close();
        }
    }
}
