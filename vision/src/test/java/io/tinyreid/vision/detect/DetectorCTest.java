package io.tinyreid.vision.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Pgm;
import io.tinyreid.vision.testing.TestImages;
import io.tinyreid.vision.testing.TestImages.Named;

/**
 * The generated C detector (host build under UBSan and ASan) against this package's Java detector on
 * the device-check picture and 30 street frames scaled to QVGA gray: the same boxes, neighbour counts
 * and score bits, frame by frame, with the product's parameters and with OpenCV's defaults without
 * grouping (every raw window, which checks the pyramid, stepping and stages before grouping hides them).
 */
class DetectorCTest {
    static PackedCascade cascade;
    static List<Named> frames = new ArrayList<>();
    @TempDir
    static Path dir;

    @BeforeAll
    static void build() throws Exception {
        requireCc();
        cascade = PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE));
        DetectorC.write(cascade, dir);
        run(List.of("cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-ffp-contract=off", "-O1", "-g",
                "-fsanitize=undefined,address", "-fno-sanitize-recover=all", "-o", "detect-host",
                "detect_main.c", "tinyreid_detect.c", "cascade.c", "-lm"));
        frames.add(new Named("pipeline_input_320x240",
                new ImageDecoder().decodeGray(SharedData.require("models/facereid/device_check/pipeline_input_320x240.pgm"))));
        frames.addAll(TestImages.streetFrames(30));
    }

    @Test
    void productParametersGiveTheJavaBoxesBitForBit() throws Exception {
        int boxes = compare(new DetectionParams(1.1, 3, 24, 24, 0, 0), 1024);
        assertTrue(boxes >= 10, "only " + boxes + " boxes in 31 frames: the comparison would prove little");
    }

    @Test
    void rawWindowsAtOpenCvDefaultsAreTheJavaWindows() throws Exception {
        int boxes = compare(new DetectionParams(1.1, 0, 0, 0, 0, 0), 1024);
        assertTrue(boxes >= 200, "only " + boxes + " raw windows");
    }

    @Test
    void treeAndLbpCascadesAreRefused() throws Exception {
        PackedCascade lbp = PackedCascade.pack(CascadeLibrary.load("lbpcascade_frontalface_improved"));
        assertThrows(IllegalArgumentException.class, () -> DetectorC.cascadeSource(lbp));
    }

    /** Runs both detectors on every frame; returns the number of boxes compared. */
    private static int compare(DetectionParams p, int candidates) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("./detect-host", "--params",
                String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d", p.scaleFactor(), p.minNeighbors(), p.minWidth(),
                        p.minHeight(), p.maxWidth(), p.maxHeight())));
        for (int i = 0; i < frames.size(); i++) {
            Path f = dir.resolve("frame" + i + ".pgm");
            if (!Files.exists(f)) {
                Pgm.write(frames.get(i).image(), f);
            }
            cmd.add(f.getFileName().toString());
        }
        String[] lines = run(cmd).split("\n");
        assertEquals(frames.size(), lines.length, "one JSON line per frame");
        CascadeDetector java = new CascadeDetector(cascade, 320, 240, candidates);
        Detections found = new Detections(32);
        int total = 0;
        for (int i = 0; i < frames.size(); i++) {
            GrayImage g = frames.get(i).image();
            java.detect(g, p, found);
            StringBuilder want = new StringBuilder();
            for (int k = 0; k < found.size(); k++) {
                want.append(k > 0 ? "," : "").append(String.format(Locale.ROOT, "[%d,%d,%d,%d,%d,%d]", found.x(k),
                        found.y(k), found.width(k), found.height(k), found.neighbors(k),
                        Integer.toUnsignedLong(Float.floatToRawIntBits(found.score(k)))));
            }
            String expected = "{\"frame\":\"frame" + i + ".pgm\",\"boxes\":[" + want + "],\"truncated\":"
                    + (found.truncated() ? 1 : 0) + "}";
            assertEquals(expected, lines[i], frames.get(i).name() + " with " + p);
            total += found.size();
        }
        return total;
    }

    private static void requireCc() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "cc"))) {
                return;
            }
        }
        String msg = "cc is not installed (as root: scripts/setup.d/50-cortex-m7.sh installs the C toolchains)";
        if (Boolean.getBoolean("tinyreid.requireShared")) {
            fail(msg);
        }
        Assumptions.abort(msg);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process pr = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .start();
        if (!pr.waitFor(10, TimeUnit.MINUTES)) {
            pr.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish within 10 minutes");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, pr.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + text);
        return text;
    }
}
