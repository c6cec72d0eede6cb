package io.tinyreid.vision.testing;

import org.bytedeco.opencv.opencv_core.Mat;

import io.tinyreid.vision.image.GrayImage;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/** Moves images between our planes and OpenCV Mats, for tests that use OpenCV as the peer. */
public final class OpenCvPeer {
    private OpenCvPeer() {}

    /** A continuous 8-bit Mat holding a copy of the image. */
    public static Mat toMat(GrayImage img) {
        Mat m = new Mat(img.height(), img.width(), CV_8UC1);
        m.data().put(img.pixels(), 0, img.width() * img.height());
        return m;
    }

    /** A copy of an 8-bit single-channel Mat. */
    public static GrayImage toGray(Mat m) {
        if (m.type() != CV_8UC1) {
            throw new IllegalArgumentException("expected CV_8UC1, got type " + m.type());
        }
        GrayImage img = new GrayImage(m.cols(), m.rows());
        Mat c = m.isContinuous() ? m : m.clone();
        c.data().get(img.pixels(), 0, m.cols() * m.rows());
        return img;
    }
}
