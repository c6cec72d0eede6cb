package io.tinyreid.app.doorbell;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.cli.TinyReidCommand;
import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * {@code tinyreid run --window} on a real X display (Debian's Xvfb, in memory): the Swing window
 * shows the door with the enrolled visitor's green box, as a screen capture of the display proves;
 * SIGTERM (Ctrl-C) then stops the doorbell cleanly. The capture is kept in target/screenshots.
 */
class WindowTest {
    static final Path XVFB = Path.of("/usr/bin/Xvfb");

    @TempDir
    Path dir;

    @Test
    void theWindowShowsTheDoorWithNamesAndCtrlCStopsCleanly() throws Exception {
        if (!Files.isExecutable(XVFB)) {
            String msg = "window test needs Debian's xvfb (" + XVFB + "): scripts/setup.d/15-xvfb.sh installs it as root";
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        SharedData.requireCached("facereid");
        Path clip = dir.resolve("door.mp4");
        DoorClips.write(clip, 5, List.of(new DoorClips.Visit(List.of(DoorClips.lfw("Tony_Blair", 8),
                DoorClips.lfw("Tony_Blair", 9), DoorClips.lfw("Tony_Blair", 11)), 20)));
        Path home = dir.resolve("home");
        try (Household h = Household.open(new DataDirectory(home), FaceModel.FACEREID, Clock.systemUTC())) {
            List<PhotoInput> photos = new ArrayList<>();
            for (int n = 3; n <= 6; n++) {
                Path p = DoorClips.lfw("Tony_Blair", n);
                photos.add(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p)));
            }
            assertEquals(4, h.gallery().enrol(new Engines(ModelCache.standard()).photoEngine(FaceModel.FACEREID),
                    "Tony Blair", photos, Progress.NONE).acceptedCount());
        }
        int display = freeDisplay();
        Process x = new ProcessBuilder(XVFB.toString(), ":" + display, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.log").toFile()).start();
        Process run = null;
        try {
            waitForFile(Path.of("/tmp/.X11-unix/X" + display), x);
            Path log = dir.resolve("run.log");
            run = java(display, TinyReidCommand.class.getName(), "run", "--source", clip.toString(), "--loop", "--window",
                    "--data-dir", home.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Path shot = dir.resolve("screen.png");
            int green = 0;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (green < 400 && System.nanoTime() < deadline && run.isAlive()) {
                Thread.sleep(1000);
                Process grab = java(display, ScreenGrab.class.getName(), shot.toString()).inheritIO().start();
                assertTrue(grab.waitFor(60, TimeUnit.SECONDS) && grab.exitValue() == 0, "screen capture");
                green = count(ImageIO.read(shot.toFile()), 0x2E, 0xCC, 0x71);
            }
            Path kept = Path.of("target", "screenshots");
            Files.createDirectories(kept);
            if (Files.exists(shot)) {
                Files.copy(shot, kept.resolve("15-window.png"), StandardCopyOption.REPLACE_EXISTING);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(green >= 400, "the window shows the known visitor's green box (" + green + " pixels): " + out);

            run.destroy(); // SIGTERM, as Ctrl-C or systemd stop
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s of SIGTERM");
            out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(out.matches("(?s).*tinyreid: \\d+ frames processed, [1-9]\\d* events recorded.*"), out);
            assertTrue(out.contains("tinyreid: stopped"), "closed the doorbell before exiting: " + out);
            assertFalse(out.contains("Exception"), out);
        } finally {
            if (run != null) {
                run.destroyForcibly();
            }
            x.destroy();
            x.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static ProcessBuilder java(int display, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g"));
        if (System.getProperty("tinyreid.cache") != null) {
            cmd.add("-Dtinyreid.cache=" + System.getProperty("tinyreid.cache"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DISPLAY", ":" + display);
        return pb;
    }

    private static int freeDisplay() {
        for (int n = 91; n < 200; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                return n;
            }
        }
        throw new IllegalStateException("no free X display number");
    }

    private static void waitForFile(Path p, Process owner) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(p)) {
            assertTrue(owner.isAlive(), "Xvfb exited at start");
            assertTrue(System.nanoTime() < deadline, "Xvfb did not start");
            Thread.sleep(100);
        }
    }

    private static int count(BufferedImage img, int r, int g, int b) {
        int hits = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (Math.abs((c >> 16 & 0xFF) - r) < 40 && Math.abs((c >> 8 & 0xFF) - g) < 40 && Math.abs((c & 0xFF) - b) < 40) {
                    hits++;
                }
            }
        }
        return hits;
    }
}
