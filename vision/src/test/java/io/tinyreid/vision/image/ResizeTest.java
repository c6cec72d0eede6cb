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

    @Test
    void bilinearAgreesWithNaiveFloatReference() {
        GrayImage src = random(123, 77, 5);
        GrayImage ours = Resize.bilinear(src, new GrayImage(50, 41));
        // Independent reference: half-pixel-centre bilinear in double precision.
        float[] ref = new float[50 * 41];
        Resize.bilinearToFloat(src.pixels(), 123, 77, ref, 0, 50, 41, true);
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Math.abs((ours.pixels()[i] & 0xFF) - ref[i]) <= 1.0f, "pixel " + i);
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
