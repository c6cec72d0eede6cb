package io.tinyreid.vision.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import io.tinyreid.vision.cascade.Cascade;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.testing.OpenCvPeer;
import io.tinyreid.vision.testing.TestImages;
import io.tinyreid.testing.AllocationStreak;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_imgproc.integral3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorTest {
    private static List<int[]> raw(Detections d) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) out.add(new int[] {d.x(i), d.y(i), d.width(i), d.height(i)});
        out.sort(Comparator.<int[]>comparingInt(r -> r[2]).thenComparingInt(r -> r[1]).thenComparingInt(r -> r[0]));
        return out;
    }

    private static List<int[]> sorted(List<int[]> l) {
        List<int[]> out = new ArrayList<>(l);
        out.sort(Comparator.<int[]>comparingInt(r -> r[2]).thenComparingInt(r -> r[1]).thenComparingInt(r -> r[0]));
        return out;
    }

    @Test
    void rawWindowsEqualTheNaiveReference() throws Exception {
        // Every window the strip detector accepts, at every scale, equals the float reference's.
        for (String name : List.of(CascadeLibrary.DEFAULT_FACE, "lbpcascade_frontalface_improved", "haarcascade_eye_tree_eyeglasses")) {
            Cascade c = CascadeLibrary.load(name);
            CascadeDetector det = new CascadeDetector(PackedCascade.pack(c), 320, 240, 30000);
            NaiveCascadeDetector naive = new NaiveCascadeDetector(c);
            Detections out = new Detections(30000);
            List<TestImages.Named> imgs = new ArrayList<>(TestImages.lfw(name.equals(CascadeLibrary.DEFAULT_FACE) ? 2 : 1));
            imgs.add(TestImages.orl().get(0));
            int windows = 0;
            for (TestImages.Named n : imgs) {
                GrayImage g = n.image();
                DetectionParams p = new DetectionParams(1.1, 0, 0, 0, 0, 0);
                det.detect(g, p, out);
                List<int[]> ours = raw(out), ref = sorted(naive.allWindows(g, p));
                windows += ref.size();
                assertEquals(ref.size(), ours.size(), name + " " + n.name());
                for (int i = 0; i < ref.size(); i++) {
                    assertEquals(java.util.Arrays.toString(ref.get(i)), java.util.Arrays.toString(ours.get(i)), name + " " + n.name());
                }
            }
            // Two empty lists are equal: every cascade must accept some windows for the comparison to mean anything.
            System.out.println(name + ": " + windows + " raw windows on " + imgs.size() + " images");
            assertTrue(windows > 0, name + ": no raw window on any image, the comparison proved nothing");
        }
    }

    @Test
    void naiveTiltedIntegralIsOpenCvs() {
        GrayImage g = new GrayImage(37, 23);
        new java.util.Random(9).nextBytes(g.pixels());
        long[][] t = NaiveCascadeDetector.tilted(g);
        Mat sum = new Mat(), sq = new Mat(), tilted = new Mat();
        integral3(OpenCvPeer.toMat(g), sum, sq, tilted, CV_32S, CV_32S);
        var idx = tilted.createIndexer();
        for (int y = 0; y <= 23; y++) {
            for (int x = 0; x <= 37; x++) {
                assertEquals(((org.bytedeco.javacpp.indexer.IntIndexer) idx).get(y, x), t[y][x], "T(" + x + "," + y + ")");
            }
        }
    }

    @Test
    void regionDetectionEqualsDetectionInACrop() throws Exception {
        GrayImage g = TestImages.dlibFaces().get(0).image();
        CascadeDetector det = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE)), 500, 400, 4096);
        Detections a = new Detections(64), b = new Detections(64);
        det.detect(g, 60, 50, 300, 250, DetectionParams.DEFAULT, a);
        det.detect(g.crop(60, 50, 300, 250, new GrayImage(1, 1)), DetectionParams.DEFAULT, b);
        assertTrue(a.size() > 0);
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.x(i) + 60, a.x(i));
            assertEquals(b.y(i) + 50, a.y(i));
            assertEquals(b.width(i), a.width(i));
        }
    }

    @Test
    void memoryIsReportedAndWithinTheBudget() throws Exception {
        FaceDetector fd = FaceDetector.qvgaDefault();
        Detections out = new Detections(32);
        MemoryReport m = fd.memory(out);
        System.out.println("QVGA face detector: " + m);
        assertTrue(m.faceCascadeBytes() <= 64 * 1024, "packed frontal cascade " + m.faceCascadeBytes() + " B > 64 KiB");
        assertTrue(m.faceScratchBytes() <= 64 * 1024, "QVGA scratch " + m.faceScratchBytes() + " B > 64 KiB");
        // The reported scratch is what the arrays hold: a wider frame grows it.
        CascadeDetector wide = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE)), 640, 480, 1024);
        assertTrue(wide.scratchBytes() > m.faceScratchBytes());
    }

    @Test
    void noHeapAllocationPerFrameAfterWarmUp() throws Exception {
        FaceDetector fd = FaceDetector.qvgaDefault();
        List<GrayImage> frames = new ArrayList<>();
        for (TestImages.Named n : TestImages.streetFrames(10)) frames.add(n.image());
        for (TestImages.Named n : TestImages.lfw(10)) frames.add(n.image());
        Detections out = new Detections(32);
        int[] found = new int[1];
        // No fixed warm-up (C2's timing varies with the machine's load): two passes over every frame in a row
        // must allocate nothing, on the calling thread, within a generous number of detections.
        AllocationStreak.require("QVGA face detection", 2 * frames.size(), 400, i -> {
            fd.detect(frames.get(i % frames.size()), DetectionParams.DEFAULT, out);
            found[0] += out.size();
        });
        assertTrue(found[0] > 0, "the loop must actually find faces");
    }

    @Test
    void eyesAreFoundInsideFaces() throws Exception {
        FaceDetector fd = FaceDetector.qvgaDefault();
        Detections out = new Detections(32);
        int faces = 0, withEyes = 0, imagesWithFaces = 0;
        for (TestImages.Named n : TestImages.lfw(40)) {
            fd.detect(n.image(), DetectionParams.DEFAULT, out);
            if (out.size() > 0) imagesWithFaces++;
            for (int i = 0; i < out.size(); i++) {
                faces++;
                if (!out.hasEyes(i)) continue;
                withEyes++;
                float lx = out.eye(i, 0), ly = out.eye(i, 1), rx = out.eye(i, 2), ry = out.eye(i, 3);
                assertTrue(lx < rx, "left eye left of right eye");
                assertTrue(lx > out.x(i) && rx < out.x(i) + out.width(i), "eyes inside the box horizontally");
                assertTrue(ly > out.y(i) && ly < out.y(i) + out.height(i) * 0.6f, "eyes in the upper part of the box");
                assertTrue(Math.abs(ly - ry) < out.height(i) * 0.2f, "eyes roughly level on LFW's upright faces");
            }
        }
        System.out.println("eyes found in " + withEyes + " of " + faces + " LFW faces");
        // Every LFW image is centred on one face: a detector that finds none must not pass on 0 >= 0.
        assertTrue(imagesWithFaces >= 36, "faces found in only " + imagesWithFaces + " of 40 LFW images");
        assertTrue(withEyes >= faces * 0.6, "eyes found in only " + withEyes + " of " + faces + " faces");
    }
}
