package io.tinyreid.vision.image;

import java.nio.file.Path;
import java.util.Random;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.testing.OpenCvPeer;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR_EXACT;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResizeTest {
    static GrayImage random(int w, int h, long seed) {
        GrayImage g = new GrayImage(w, h);
        new Random(seed).nextBytes(g.pixels());
        return g;
    }

    static GrayImage openCv(GrayImage src, int dw, int dh, int interpolation) {
        Mat dst = new Mat();
        resize(OpenCvPeer.toMat(src), dst, new Size(dw, dh), 0, 0, interpolation);
        return OpenCvPeer.toGray(dst);
    }

    static int mismatches(GrayImage a, GrayImage b, int tolerance) {
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        int n = 0;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                if (Math.abs(a.get(x, y) - b.get(x, y)) > tolerance) n++;
            }
        }
        return n;
    }

    @Test
    void bilinearIsBitExactWithOpenCv() throws Exception {
        GrayImage photo = new ImageDecoder().decodeGray(SharedData.require("data/detection/dlib-faces/2008_001322.jpg"));
        GrayImage[] sources = {random(320, 240, 1), random(97, 61, 2), photo};
        int[][] sizes = {{291, 218}, {264, 198}, {160, 120}, {123, 93}, {33, 25}, {128, 128}, {400, 300}, {17, 250}};
        LinearResizer rs = new LinearResizer();
        for (GrayImage src : sources) {
            for (int[] s : sizes) {
                GrayImage ours = Resize.bilinear(src, new GrayImage(s[0], s[1]), rs);
                GrayImage peer = openCv(src, s[0], s[1], INTER_LINEAR);
                assertEquals(0, mismatches(ours, peer, 0), "INTER_LINEAR " + src + " -> " + s[0] + "x" + s[1]);
            }
        }
    }

    @Test
    void bilinearExactModeIsBitExactWithOpenCv() throws Exception {
        GrayImage photo = new ImageDecoder().decodeGray(SharedData.require("data/detection/dlib-faces/2008_001322.jpg"));
        GrayImage[] sources = {random(320, 240, 1), random(97, 61, 2), photo, random(1, 5, 3), random(7, 2, 4)};
        int[][] sizes = {{291, 218}, {264, 198}, {160, 120}, {123, 93}, {33, 25}, {128, 128}, {400, 300}, {17, 250}, {3, 3}};
        LinearResizer rs = new LinearResizer(LinearResizer.Mode.LINEAR_EXACT);
        for (GrayImage src : sources) {
            for (int[] s : sizes) {
                GrayImage ours = Resize.bilinear(src, new GrayImage(s[0], s[1]), rs);
                GrayImage peer = openCv(src, s[0], s[1], INTER_LINEAR_EXACT);
                assertEquals(0, mismatches(ours, peer, 0), "INTER_LINEAR_EXACT " + src + " -> " + s[0] + "x" + s[1]);
                // The pyramid call passes the scale factors as well as the size: same result.
                Mat dst = new Mat();
                resize(OpenCvPeer.toMat(src), dst, new Size(s[0], s[1]), (double) s[0] / src.width(), (double) s[1] / src.height(), INTER_LINEAR_EXACT);
                assertEquals(0, mismatches(ours, OpenCvPeer.toGray(dst), 0));
            }
        }
    }

    /**
     * Textbook bilinear, written apart from {@link Resize}: the sample point of destination pixel (x, y),
     * clamped to the source, weights the four neighbours; in double precision.
     */
    static double naiveBilinear(GrayImage src, int dw, int dh, int x, int y, boolean halfPixelCentres) {
        int w = src.width(), h = src.height();
        double sx = halfPixelCentres ? (x + 0.5) * w / dw - 0.5 : (double) x * w / dw;
        double sy = halfPixelCentres ? (y + 0.5) * h / dh - 0.5 : (double) y * h / dh;
        sx = Math.clamp(sx, 0, w - 1);
        sy = Math.clamp(sy, 0, h - 1);
        int x0 = (int) sx, y0 = (int) sy, x1 = Math.min(x0 + 1, w - 1), y1 = Math.min(y0 + 1, h - 1);
        double ax = sx - x0, ay = sy - y0;
        return (1 - ax) * (1 - ay) * src.get(x0, y0) + ax * (1 - ay) * src.get(x1, y0)
                + (1 - ax) * ay * src.get(x0, y1) + ax * ay * src.get(x1, y1);
    }

    @Test
    void bilinearAgreesWithNaiveFloatReference() {
        // Down, up, and to a single row/column (the last tile of the sampler's clamping).
        for (int[] s : new int[][] {{50, 41}, {150, 150}, {1, 9}, {9, 1}}) {
            GrayImage src = random(123, 77, 5);
            GrayImage ours = Resize.bilinear(src, new GrayImage(s[0], s[1]));
            for (boolean half : new boolean[] {true, false}) {
                float[] sampled = new float[s[0] * s[1] + 3];
                Resize.bilinearToFloat(src.pixels(), 123, 77, sampled, 3, s[0], s[1], half);
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[0]; x++) {
                        double ref = naiveBilinear(src, s[0], s[1], x, y, half);
                        int i = y * s[0] + x;
                        String where = s[0] + "x" + s[1] + " half-pixel " + half + " (" + x + "," + y + ")";
                        assertEquals(ref, sampled[3 + i], 1e-3, "bilinearToFloat " + where);
                        if (half) assertTrue(Math.abs(ours.get(x, y) - ref) <= 1.0, "bilinear " + where);
                    }
                }
            }
        }
        // And the float sampler against a hand computation at one point: dst (0,0) of a 2x downscale
        // samples src (0.5, 0.5), the mean of the top-left 2x2 block.
        float[] half = new float[1];
        GrayImage four = new GrayImage(2, 2, new byte[] {10, 20, 30, 40});
        Resize.bilinearToFloat(four.pixels(), 2, 2, half, 0, 1, 1, true);
        assertEquals(25f, half[0], 1e-6);
        Resize.bilinearToFloat(four.pixels(), 2, 2, half, 0, 1, 1, false);
        assertEquals(10f, half[0], 1e-6);
    }

    @Test
    void areaResizeMatchesOpenCvWithinOneLevel() {
        GrayImage src = random(320, 240, 7);
        for (int[] s : new int[][] {{160, 120}, {107, 80}, {128, 96}, {64, 48}, {250, 190}}) {
            GrayImage ours = Resize.area(src, new GrayImage(s[0], s[1]));
            GrayImage peer = openCv(src, s[0], s[1], INTER_AREA);
            assertEquals(0, mismatches(ours, peer, 1), "INTER_AREA to " + s[0] + "x" + s[1]);
        }
    }

    @Test
    void resizerReusesItsTables() {
        LinearResizer rs = new LinearResizer();
        rs.setGeometry(320, 240, 300, 200);
        int cap = rs.capacityBytes();
        rs.setGeometry(320, 240, 100, 80);
        assertEquals(cap, rs.capacityBytes());
        assertTrue(cap > 0 && cap < 16_000, "tables for 320 wide should be small: " + cap);
    }

    @SuppressWarnings("unused")
    private static Path unused() { return null; }
}
