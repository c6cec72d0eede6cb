package io.tinyreid.vision.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.image.GrayImage;

/** OpenCV 4.10's CascadeClassifier as the peer, fed the same gray pixels as ours. */
public final class OpenCvDetector implements AutoCloseable {
    private final CascadeClassifier classifier;

    /** Loads a cascade file with OpenCV. */
    public OpenCvDetector(Path cascadeFile) {
        classifier = new CascadeClassifier(cascadeFile.toString());
        if (classifier.empty()) {
            throw new IllegalStateException("OpenCV could not load " + cascadeFile);
        }
    }

    /** Loads one of the cascades built into the vision module's classpath (copied to a temp file for OpenCV). */
    public static OpenCvDetector builtIn(String family, String name) throws IOException {
        return new OpenCvDetector(builtInFile(family, name));
    }

    /** A temp-file copy of a built-in cascade. */
    public static Path builtInFile(String family, String name) throws IOException {
        String res = "/io/tinyreid/vision/cascades/" + family + "/" + name + ".xml";
        try (InputStream in = OpenCvDetector.class.getResourceAsStream(res)) {
            if (in == null) throw new IOException("missing resource " + res + " (the build unpacks it)");
            Path tmp = Files.createTempFile(name, ".xml");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }

    /** Boxes as int[]{x, y, w, h}. */
    public List<int[]> detect(GrayImage img, DetectionParams p) {
        return detect(OpenCvPeer.toMat(img), p);
    }

    /** Boxes for an existing Mat. */
    public List<int[]> detect(Mat m, DetectionParams p) {
        RectVector v = new RectVector();
        classifier.detectMultiScale(m, v, p.scaleFactor(), p.minNeighbors(), 0,
                new Size(p.minWidth(), p.minHeight()), new Size(p.maxWidth(), p.maxHeight()));
        List<int[]> out = new ArrayList<>();
        for (long i = 0; i < v.size(); i++) {
            Rect r = v.get(i);
            out.add(new int[] {r.x(), r.y(), r.width(), r.height()});
        }
        return out;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
