package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.FaceDetector;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.RgbImage;
import picocli.CommandLine;

/** {@code tinyreid detect} as a user runs it. */
class DetectCommandTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new TinyReidCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsTheDetectorsBoxesAsJsonAndWritesAnAnnotatedPng() throws Exception {
        Path img = SharedData.require("data/detection/dlib-faces/2008_004176.jpg");
        Path png = tmp.resolve("annotated.png");
        Run r = run("detect", img.toString(), "--min-size", "30", "--eyes", "--out", png.toString());
        assertEquals(0, r.code(), r.err());

        // The same boxes as the library gives for the same parameters.
        ImageDecoder dec = new ImageDecoder();
        RgbImage rgb = dec.decodeRgb(img);
        GrayImage gray = rgb.toGray(new GrayImage(1, 1));
        Detections d = new Detections(64);
        FaceDetector.load("haarcascade_frontalface_default", "haarcascade_eye", 320, 240)
                .detect(gray, new DetectionParams(1.1, 3, 30, 30, 0, 0), d);
        assertTrue(d.size() >= 5, "this photo has several faces");
        Matcher m = Pattern.compile("\\{\"x\": (\\d+), \"y\": (\\d+), \"width\": (\\d+), \"height\": (\\d+), \"score\": ([-\\d.]+)").matcher(r.out());
        int n = 0;
        while (m.find()) {
            assertEquals(d.x(n), Integer.parseInt(m.group(1)));
            assertEquals(d.y(n), Integer.parseInt(m.group(2)));
            assertEquals(d.width(n), Integer.parseInt(m.group(3)));
            assertEquals(d.score(n), Float.parseFloat(m.group(5)), 1e-3);
            n++;
        }
        assertEquals(d.size(), n, r.out());
        assertTrue(r.out().contains("\"packedCascadeBytes\": 6"), r.out());

        RgbImage annotated = dec.decodeRgb(png);
        assertEquals(rgb.width(), annotated.width());
        assertEquals(0x00FF00, annotated.getRgb(d.x(0), d.y(0) + d.height(0) / 2), "box outline drawn in green");
    }

    @Test
    void eyesOfALargeFace() throws Exception {
        Path lfw = SharedData.require("data/lfw-dev/images/Aaron_Sorkin/Aaron_Sorkin_0001.jpg");
        Run r = run("detect", lfw.toString(), "--eyes");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"eyes\": {\"left\": ["), r.out());
    }

    @Test
    void badInputsGetClearErrors() throws Exception {
        Path corrupt = tmp.resolve("corrupt.jpg");
        Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3});
        Path good = SharedData.require("data/orl/s1/1.pgm");
        Run r = run("detect", corrupt.toString(), good.toString(), "--out", tmp.resolve("dir").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("corrupt.jpg") && r.err().contains("corrupt or truncated JPEG"), r.err());
        assertTrue(r.out().contains("\"error\": ") && r.out().contains("1.pgm"), "the good image is still reported");
        assertTrue(Files.exists(tmp.resolve("dir").resolve("1.annotated.png")));

        r = run("detect", good.toString(), "--cascade", "no_such_cascade");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'no_such_cascade' not found"), r.err());

        r = run("detect", good.toString(), "--scale", "0.9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("scale factor must be in (1, 10]"), r.err());

        r = run("detect", tmp.resolve("missing.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
    }
}
