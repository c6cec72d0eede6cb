package io.tinyreid.vision.detect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.testing.OpenCvDetector;

class DevAgreementTest {
    @Test
    void dev() throws Exception {
        String name = System.getProperty("dev.cascade", "haarcascade_frontalface_default");
        String fam = name.startsWith("lbp") ? "lbpcascades" : "haarcascades";
        PackedCascade pc = PackedCascade.pack(CascadeLibrary.load(name));
        System.out.println(pc);
        CascadeDetector det = new CascadeDetector(pc, 640, 480, 4096);
        Detections out = new Detections(256);
        ImageDecoder dec = new ImageDecoder();
        try (OpenCvDetector cv = OpenCvDetector.builtIn(fam, name);
             Stream<Path> files = Files.list(SharedData.require("data/detection/dlib-faces"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                GrayImage g = dec.decodeGray(f);
                DetectionParams p = DetectionParams.DEFAULT;
                long t0 = System.nanoTime();
                det.detect(g, p, out);
                long t1 = System.nanoTime();
                List<int[]> ref = cv.detect(g, p);
                long t2 = System.nanoTime();
                StringBuilder sb = new StringBuilder(f.getFileName() + " " + g.width() + "x" + g.height() + " ours " + out.size() + " (" + (t1 - t0) / 1000000 + " ms) cv " + ref.size() + " (" + (t2 - t1) / 1000000 + " ms)\n  ours:");
                for (int i = 0; i < out.size(); i++) sb.append(" [" + out.x(i) + "," + out.y(i) + "," + out.width(i) + "," + out.height(i) + " n" + out.neighbors(i) + String.format(" s%.2f", out.score(i)) + "]");
                sb.append("\n  cv:  ");
                for (int[] r : ref) sb.append(" [" + r[0] + "," + r[1] + "," + r[2] + "," + r[3] + "]");
                System.out.println(sb);
            }
        }
    }
}
