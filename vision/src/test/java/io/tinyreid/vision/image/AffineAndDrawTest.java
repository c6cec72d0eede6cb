package io.tinyreid.vision.image;

import java.util.Random;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import io.tinyreid.vision.testing.OpenCvPeer;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffineAndDrawTest {
    @Test
    void warpAgreesWithOpenCv() {
        GrayImage src = ResizeTest.random(120, 90, 11);
        // Smooth the noise a little so rounding differences stay at one level.
        Affine m = Affine.rotateScale(0.3, 1.37, 12.5, -20.25);
        GrayImage ours = AffineWarp.warp(src, new GrayImage(150, 150), m, AffineWarp.Border.CONSTANT, 0);
        Mat mm = new Mat(2, 3, CV_64F);
        double[] v = {m.a(), m.b(), m.c(), m.d(), m.e(), m.f()};
        var idx = mm.createIndexer();
        for (int i = 0; i < 6; i++) ((org.bytedeco.javacpp.indexer.DoubleIndexer) idx).put(i / 3, i % 3, v[i]);
        Mat dst = new Mat();
        warpAffine(OpenCvPeer.toMat(src), dst, mm, new Size(150, 150), INTER_LINEAR, BORDER_CONSTANT, new Scalar(0.0));
        GrayImage peer = OpenCvPeer.toGray(dst);
        int off = ResizeTest.mismatches(ours, peer, 1);
        int inside = 150 * 150;
        assertEquals(0, off, off + " of " + inside + " pixels differ by more than 1 from warpAffine");
    }

    @Test
    void identityAndIntegerShift() {
        GrayImage src = ResizeTest.random(30, 20, 3);
        GrayImage same = AffineWarp.warp(src, new GrayImage(30, 20), Affine.IDENTITY, AffineWarp.Border.CONSTANT, 0);
        assertEquals(0, ResizeTest.mismatches(src, same, 0));
        GrayImage shifted = AffineWarp.warp(src, new GrayImage(30, 20), Affine.scaleTranslate(1, 1, -3, -2), AffineWarp.Border.REPLICATE, 0);
        assertEquals(src.get(3, 2), shifted.get(0, 0));
        assertEquals(src.get(29, 19), shifted.get(29, 19)); // replicated edge
    }

    @Test
    void similarityRecoversAKnownTransform() {
        Affine truth = Affine.rotateScale(-0.4, 0.8, 5, 7);
        Random r = new Random(1);
        double[] from = new double[10], to = new double[10];
        for (int i = 0; i < 5; i++) {
            from[2 * i] = r.nextDouble() * 100;
            from[2 * i + 1] = r.nextDouble() * 100;
            to[2 * i] = truth.mapX(from[2 * i], from[2 * i + 1]);
            to[2 * i + 1] = truth.mapY(from[2 * i], from[2 * i + 1]);
        }
        Affine est = Affine.similarity(from, to);
        assertEquals(truth.a(), est.a(), 1e-9);
        assertEquals(truth.b(), est.b(), 1e-9);
        assertEquals(truth.c(), est.c(), 1e-9);
        assertEquals(truth.f(), est.f(), 1e-9);
        Affine round = truth.then(truth.invert());
        assertEquals(1, round.a(), 1e-12);
        assertEquals(0, round.c(), 1e-12);
    }

    @Test
    void rectanglesAreDrawnOnTheBorderAndClipped() {
        RgbImage img = new RgbImage(20, 20);
        Draw.rect(img, 2, 3, 10, 8, 0xFF0000, 1);
        assertEquals(0xFF0000, img.getRgb(2, 3));
        assertEquals(0xFF0000, img.getRgb(11, 10));
        assertEquals(0xFF0000, img.getRgb(2, 10));
        assertEquals(0, img.getRgb(3, 4));       // inside untouched
        assertEquals(0, img.getRgb(12, 3));      // outside untouched
        Draw.rect(img, -5, -5, 40, 40, 0x00FF00, 3); // clipped, no exception
        Draw.labelledBox(img, 15, 0, 10, 10, "Anna 0.93", 0xFFFF00);
        GrayImage g = new GrayImage(8, 8);
        Draw.rect(g, 0, 0, 8, 8, 200, 2);
        assertEquals(200, g.get(1, 1));
        assertEquals(0, g.get(2, 2));
    }

    @Test
    void textUsesTheBitmapFont() {
        GrayImage g = new GrayImage(20, 10);
        Draw.text(g, 1, 1, "I", 255, 1);
        // 'I' is a vertical bar in column 2 with serifs in rows 0 and 6.
        for (int row = 0; row < 7; row++) assertEquals(255, g.get(1 + 2, 1 + row), "row " + row);
        assertEquals(255, g.get(1 + 1, 1));
        assertEquals(0, g.get(1 + 1, 1 + 3));
        assertEquals(0, g.get(0, 0));
        assertEquals(11, Draw.textWidth("AB", 1));
        GrayImage big = new GrayImage(40, 20);
        Draw.text(big, 0, 0, "-", 255, 2);
        int ink = 0;
        for (byte b : big.pixels()) if (b != 0) ink++;
        assertEquals(5 * 2 * 2, ink); // '-' is one 5-pixel row, scaled 2x2
    }
}
