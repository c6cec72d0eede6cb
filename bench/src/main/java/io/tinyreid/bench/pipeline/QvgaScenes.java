package io.tinyreid.bench.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import io.tinyreid.bench.FaceReidBench;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Resize;
import io.tinyreid.vision.image.RgbImage;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * The end-to-end benchmark's QVGA doorbell frames, with faces: the reference device's own 320x240
 * frame (gray) and the four 4:3 dlib-faces photos area-resized to 320x240 (colour), each as our gray
 * and RGB planes and as OpenCV Mats of the same pixels (gray; RGB interleaved, R first).
 */
public final class QvgaScenes {
    public final List<GrayImage> gray = new ArrayList<>();
    public final List<RgbImage> rgb = new ArrayList<>();
    public final List<Mat> grayMats = new ArrayList<>();
    public final List<Mat> rgbMats = new ArrayList<>();

    private QvgaScenes() {}

    /** Loads the frames from {@code -Dtinyreid.shared} (default ../shared). */
    public static QvgaScenes load() throws IOException {
        Path shared = FaceReidBench.shared();
        ImageDecoder dec = new ImageDecoder();
        QvgaScenes s = new QvgaScenes();
        GrayImage device = dec.decodeGray(shared.resolve("models/facereid/device_check/pipeline_input_320x240.pgm"));
        s.add(device, new RgbImage(320, 240).setFromGray(device));
        for (String f : List.of("2007_007763.jpg", "2008_001322.jpg", "2008_002079.jpg", "2008_002506.jpg")) {
            RgbImage c = Resize.area(dec.decodeRgb(shared.resolve("data/detection/dlib-faces").resolve(f)), new RgbImage(320, 240));
            s.add(c.toGray(new GrayImage(320, 240)), c);
        }
        return s;
    }

    private void add(GrayImage g, RgbImage c) {
        gray.add(g);
        rgb.add(c);
        Mat gm = new Mat(g.height(), g.width(), CV_8UC1);
        gm.data().put(g.pixels(), 0, g.width() * g.height());
        grayMats.add(gm);
        int n = c.width() * c.height();
        byte[] inter = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            inter[3 * i] = c.red()[i];
            inter[3 * i + 1] = c.green()[i];
            inter[3 * i + 2] = c.blue()[i];
        }
        Mat cm = new Mat(c.height(), c.width(), CV_8UC3);
        BytePointer p = cm.data();
        p.put(inter, 0, inter.length);
        rgbMats.add(cm);
    }

    /** Number of frames. */
    public int size() {
        return gray.size();
    }
}
