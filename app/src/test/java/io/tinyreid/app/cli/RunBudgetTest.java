package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;
import picocli.CommandLine;

/**
 * {@code tinyreid run} lays out the same whole-doorbell plan as {@code tinyreid budget} for its
 * household (model, enrolled descriptors, display) and refuses to start, with one clear line, when
 * it does not fit the budget.
 */
class RunBudgetTest {
    @TempDir
    Path dir;
    private String savedCache;

    @BeforeEach
    void useSharedModels() {
        savedCache = System.getProperty("tinyreid.cache");
        System.setProperty("tinyreid.cache", SharedData.require("models").toString());
    }

    @AfterEach
    void restore() {
        if (savedCache == null) {
            System.clearProperty("tinyreid.cache");
        } else {
            System.setProperty("tinyreid.cache", savedCache);
        }
    }

    record Result(int code, String out, String err) {}

    @Test
    void runLaysOutTheBudgetsPlanAndRefusesToStartWhenItDoesNotFit() throws Exception {
        Path home = dir.resolve("home");
        Path lfw = SharedData.require("data/lfw-dev/images");
        try (Household h = Household.open(new DataDirectory(home), FaceModel.FACEREID, Clock.systemUTC())) {
            Engines engines = new Engines(ModelCache.standard());
            for (String person : List.of("Tony_Blair", "Pete_Sampras")) {
                Path p;
                try (var files = Files.list(lfw.resolve(person))) {
                    p = files.sorted().toList().get(3);
                }
                assertEquals(1, h.gallery().enrol(engines.photoEngine(FaceModel.FACEREID), person,
                        List.of(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p))), Progress.NONE).acceptedCount());
            }
        }
        Path frames = Files.createDirectories(dir.resolve("frames"));
        for (int i = 0; i < 3; i++) {
            ImageIO.write(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB), "png", frames.resolve("f" + i + ".png").toFile());
        }
        // the plan 'tinyreid budget' prints for two people with one descriptor each
        StringWriter budgetOut = new StringWriter();
        CommandLine budget = new CommandLine(new TinyReidCommand());
        budget.setOut(new PrintWriter(budgetOut));
        budget.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, budget.execute("budget", "--model", "facereid", "--people", "2"), budgetOut.toString());
        long peak = number(budgetOut.toString(), "peak ([0-9,]+) bytes");

        Result tooSmall = run("--source", frames.toString(), "--data-dir", home.toString(), "--fast", "--budget", "100KiB");
        assertEquals(1, tooSmall.code(), tooSmall.err());
        assertEquals(1, tooSmall.err().strip().lines().count(), "one line: " + tooSmall.err());
        assertTrue(tooSmall.err().startsWith("tinyreid run: "), tooSmall.err());
        assertTrue(tooSmall.err().contains("region 'L2' overflowed by " + (peak - 100 * 1024) + " bytes"), tooSmall.err());
        assertFalse(tooSmall.out().contains("watching"), "nothing started: " + tooSmall.out());

        Result oneByteShort = run("--source", frames.toString(), "--data-dir", home.toString(), "--fast", "--budget",
                String.valueOf(peak - 1));
        assertEquals(1, oneByteShort.code(), oneByteShort.err());
        assertTrue(oneByteShort.err().contains("region 'L2' overflowed by 1 bytes"), oneByteShort.err());

        Result exact = run("--source", frames.toString(), "--data-dir", home.toString(), "--fast", "--budget", String.valueOf(peak));
        assertEquals(0, exact.code(), exact.err() + exact.out());
        assertTrue(exact.out().contains(String.format("memory plan: %,d of %,d bytes (headroom 0) for model facereid, 2 gallery"
                + " descriptors", peak, peak)), exact.out());
        assertTrue(exact.out().contains("3 frames processed"), exact.out());
    }

    /**
     * dlib-resnet with both int16 model files in the cache: photos (enrolment) and frames run the
     * planned integer runtime, and 'tinyreid run' lays out the dlib doorbell, refusing a budget the
     * layout does not fit and starting within one it does.
     */
    @Test
    void dlibResnetRunsOnThePlannedRuntimeAndRefusesABudgetItDoesNotFit() throws Exception {
        // the fetched models live in the test cache, not in ../shared/models (set by useSharedModels)
        restore();
        Path cacheDir = Files.createDirectories(dir.resolve("cache"));
        io.tinyreid.app.testing.DlibInt16Models models = io.tinyreid.app.testing.DlibInt16Models.write(cacheDir, 0);
        ModelCache cache = models.cacheAt(cacheDir);
        System.setProperty("tinyreid.cache", cacheDir.toString());
        Path home = dir.resolve("home");
        Path lfw = SharedData.require("data/lfw-dev/images");
        Engines engines = new Engines(cache);
        var photo = engines.photoEngine(FaceModel.DLIB_RESNET);
        var embedder = (io.tinyreid.app.face.DlibResnetEmbedder) photo.embedder();
        assertEquals(io.tinyreid.nn.runtime.Mode.INTEGER, embedder.mode());
        assertEquals(io.tinyreid.nn.runtime.Mode.INTEGER, embedder.landmarkMode());
        try (Household h = Household.open(new DataDirectory(home), FaceModel.DLIB_RESNET, Clock.systemUTC())) {
            h.settings().set(io.tinyreid.app.settings.Settings.MODEL, FaceModel.DLIB_RESNET.id()); // the model 'run' opens
            for (String person : List.of("Tony_Blair", "Pete_Sampras")) {
                Path p;
                try (var files = Files.list(lfw.resolve(person))) {
                    p = files.sorted().toList().get(3);
                }
                assertEquals(1, h.gallery().enrol(photo, person,
                        List.of(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p))), Progress.NONE).acceptedCount());
            }
        }
        var frameEngine = engines.frameEngine(FaceModel.DLIB_RESNET);
        try {
            assertTrue(frameEngine.describer() instanceof io.tinyreid.app.engine.DlibResnetFrames, "the frame loop's dlib path");
        } finally {
            ((AutoCloseable) frameEngine.describer()).close();
        }
        Path frames = Files.createDirectories(dir.resolve("frames"));
        for (int i = 0; i < 3; i++) {
            ImageIO.write(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB), "png", frames.resolve("f" + i + ".png").toFile());
        }
        Result tooSmall = run("--source", frames.toString(), "--data-dir", home.toString(), "--fast", "--budget", "400KiB");
        assertEquals(1, tooSmall.code(), tooSmall.err() + tooSmall.out());
        assertTrue(tooSmall.err().startsWith("tinyreid run: the doorbell does not fit its memory budget: region 'L2' overflowed by"),
                tooSmall.err());
        assertTrue(tooSmall.err().contains("with model dlib-resnet and 2 gallery descriptors"), tooSmall.err());
        assertFalse(tooSmall.out().contains("watching"), "nothing started: " + tooSmall.out());

        Result roomy = run("--source", frames.toString(), "--data-dir", home.toString(), "--fast", "--budget", "2MiB");
        assertEquals(0, roomy.code(), roomy.err() + roomy.out());
        assertTrue(roomy.out().contains("for model dlib-resnet, 2 gallery descriptors"), roomy.out());
        assertTrue(roomy.out().contains("3 frames processed"), roomy.out());
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = new CommandLine(new RunCommand()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no '" + regex + "' in:\n" + text);
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
