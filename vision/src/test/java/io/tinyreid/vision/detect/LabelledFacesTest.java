package io.tinyreid.vision.detect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.testing.OpenCvDetector;
import io.tinyreid.vision.testing.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recall and precision on the 43 hand-labelled dlib faces, ours next to OpenCV's (issue 3). */
class LabelledFacesTest {
    /** Greedy one-to-one matching at IoU >= 0.5; returns the number of matched labels. */
    static int matches(List<TestImages.Box> labels, List<int[]> dets) {
        boolean[] used = new boolean[dets.size()];
        int m = 0;
        for (TestImages.Box b : labels) {
            int best = -1;
            double bestIou = 0.5;
            for (int i = 0; i < dets.size(); i++) {
                int[] d = dets.get(i);
                double iou = TestImages.iou(b.x(), b.y(), b.w(), b.h(), d[0], d[1], d[2], d[3]);
                if (!used[i] && iou >= bestIou) {
                    bestIou = iou;
                    best = i;
                }
            }
            if (best >= 0) {
                used[best] = true;
                m++;
            }
        }
        return m;
    }

    @Test
    void recallAndPrecisionNextToOpenCv() throws Exception {
        Map<String, List<TestImages.Box>> labels = TestImages.dlibLabels();
        int total = labels.values().stream().mapToInt(List::size).sum();
        assertEquals(43, total, "the dlib set has 43 labelled faces");
        StringBuilder report = new StringBuilder("| detector | params | faces found (IoU >= 0.5) | recall | detections | precision |\n|---|---|---|---|---|---|\n");
        for (String cascade : List.of(CascadeLibrary.DEFAULT_FACE, "lbpcascade_frontalface_improved")) {
            for (DetectionParams p : List.of(DetectionParams.DEFAULT, new DetectionParams(1.1, 5, 0, 0, 0, 0))) {
                String fam = cascade.startsWith("lbp") ? "lbpcascades" : "haarcascades";
                CascadeDetector ours = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(cascade)), 500, 500, 4096);
                Detections out = new Detections(128);
                int oursHit = 0, oursDet = 0, cvHit = 0, cvDet = 0;
                try (OpenCvDetector cv = OpenCvDetector.builtIn(fam, cascade)) {
                    for (TestImages.Named n : TestImages.dlibFaces()) {
                        List<TestImages.Box> l = labels.get(n.name());
                        ours.detect(n.image(), p, out);
                        List<int[]> o = new ArrayList<>();
                        for (int i = 0; i < out.size(); i++) o.add(new int[] {out.x(i), out.y(i), out.width(i), out.height(i)});
                        List<int[]> c = cv.detect(n.image(), p);
                        oursHit += matches(l, o);
                        oursDet += o.size();
                        cvHit += matches(l, c);
                        cvDet += c.size();
                    }
                }
                String ps = String.format(Locale.ROOT, "scale %.1f, neighbours %d", p.scaleFactor(), p.minNeighbors());
                report.append(row("TinyReID " + cascade, ps, oursHit, total, oursDet));
                report.append(row("OpenCV 4.10 " + cascade, ps, cvHit, total, cvDet));
                assertTrue(oursHit >= cvHit - 1 && oursDet <= cvDet + 1,
                        "ours " + oursHit + "/" + oursDet + " vs OpenCV " + cvHit + "/" + cvDet);
                // Against the hand labels alone (OpenCV reads the same cascade file, so a broken file would
                // pass the comparison): the doorbell's Haar detector must find 4 in 5 labelled faces with 3 in 4
                // of its boxes right; the LBP cascade's 45-pixel window misses most of these small faces.
                int floor = cascade.startsWith("lbp") ? 3 : (int) Math.ceil(0.8 * total);
                assertTrue(oursHit >= floor, cascade + " " + p + ": found " + oursHit + " of " + total + " labelled faces, floor " + floor);
                assertTrue(oursHit >= 0.75 * oursDet, cascade + " " + p + ": precision " + oursHit + "/" + oursDet);
            }
        }
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/dlib-recall-precision.md"), report.toString());
    }

    private static String row(String who, String params, int hit, int total, int det) {
        return String.format(Locale.ROOT, "| %s | %s | %d / %d | %.3f | %d | %.3f |%n", who, params, hit, total,
                (double) hit / total, det, det == 0 ? 0 : (double) hit / det);
    }
}
