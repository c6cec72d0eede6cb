package io.tinyreid.vision.detect;

import java.util.*;
import org.bytedeco.opencv.opencv_core.*;
import org.junit.jupiter.api.Test;
import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.image.*;
import io.tinyreid.vision.testing.*;
import static org.bytedeco.opencv.global.opencv_imgproc.*;

class DevLevelTest {
    @Test
    void dev() throws Exception {
        GrayImage g = new ImageDecoder().decodeGray(SharedData.require("data/detection/dlib-faces/2007_007763.jpg"));
        Mat m = OpenCvPeer.toMat(g);
        try (OpenCvDetector cv = OpenCvDetector.builtIn("haarcascades", "haarcascade_frontalface_default")) {
            double f = 1;
            for (int k = 0; k < 10; k++, f *= 1.1) {
                int ws = (int) Math.rint(24 * f);
                float sc = (float) f;
                Set<String> ref = new TreeSet<>();
                for (int[] r : cv.detect(g, new DetectionParams(1.1, 0, ws, ws, ws, ws))) ref.add(r[0] + "," + r[1]);
                int lw = (int) Math.rint(g.width() / sc), lh = (int) Math.rint(g.height() / sc);
                StringBuilder sb = new StringBuilder("level " + k + " ref " + ref.size());
                for (int interp : new int[] {INTER_LINEAR, INTER_LINEAR_EXACT, -1}) {
                    Mat d = new Mat();
                    if (interp == -1) { GrayImage ours = Resize.bilinear(g, new GrayImage(lw, lh)); d = OpenCvPeer.toMat(ours); }
                    else resize(m, d, new Size(lw, lh), 1.0 / sc, 1.0 / sc, interp);
                    Set<String> got = new TreeSet<>();
                    for (int[] r : cv.detect(OpenCvPeer.toGray(d), new DetectionParams(1.1, 0, 24, 24, 24, 24)))
                        got.add((int) Math.rint(r[0] * sc) + "," + (int) Math.rint(r[1] * sc));
                    sb.append(" interp" + interp + (got.equals(ref) ? " SAME" : " diff(" + got.size() + ")"));
                }
                System.out.println(sb);
            }
        }
    }
}
