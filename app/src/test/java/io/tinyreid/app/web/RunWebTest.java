package io.tinyreid.app.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.cli.TinyReidCommand;

/**
 * {@code tinyreid run --web} as a process, the way a household starts it, with a camera that is
 * not plugged in: the doorbell stays up, prints its address and setup code, the first visitor sets
 * the password, the live page says what is wrong with the camera, and SIGTERM stops it cleanly.
 */
class RunWebTest {
    @TempDir
    Path dir;
    long stopStarted;

    @Test
    void withAMissingCameraTheWebUiStillStartsAndSaysWhy() throws Exception {
        io.tinyreid.testing.SharedData.requireCached("facereid");
        Path log = dir.resolve("run.log");
        Process run = java(TinyReidCommand.class.getName(), "run", "--source", "/dev/video97", "--web", "127.0.0.1:0",
                "--data-dir", dir.resolve("home").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<String> seen = new ArrayList<>();
        try {
            Matcher setup = null;
            Pattern p = Pattern.compile("(?m)^tinyreid: first run - set the admin password at http://127\\.0\\.0\\.1:(\\d+)/setup\\?code=([0-9a-f]+) ");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (setup == null) {
                assertTrue(System.nanoTime() < deadline && run.isAlive(), "no setup address printed: " + Files.readString(log));
                Thread.sleep(100);
                Matcher m = p.matcher(Files.readString(log));
                if (m.find()) {
                    setup = m;
                }
            }
            seen.addAll(Files.readAllLines(log));
            assertTrue(seen.stream().anyMatch(l -> l.startsWith("tinyreid run: camera /dev/video97 not found")), seen.toString());
            assertTrue(seen.contains("tinyreid run: starting anyway; choose a source on the web UI's Settings page"), seen.toString());
            assertTrue(seen.contains("tinyreid: notifications off (no MQTT broker or webhook set)"), seen.toString());

            WebClient c = new WebClient(Integer.parseInt(setup.group(1)));
            assertEquals(200, c.get("/setup?code=" + setup.group(2)).statusCode());
            HttpResponse<String> set = c.post("/setup", Map.of("code", setup.group(2), "password", "front door 42",
                    "confirm", "front door 42"));
            assertEquals("/live", set.headers().firstValue("Location").orElse(""), set.body());
            String live = c.get("/live").body();
            assertTrue(live.contains("camera /dev/video97: failed - camera /dev/video97 not found"), live);
            assertTrue(c.get("/settings").statusCode() == 200, "the Settings page is there to pick another source");
        } finally {
            stopStarted = System.nanoTime();
            run.destroy(); // SIGTERM
            boolean ended = run.waitFor(30, TimeUnit.SECONDS);
            if (!ended) {
                run.destroyForcibly();
            }
            assertTrue(ended, "stopped within 30 s of SIGTERM");
        }
        seen = Files.readAllLines(log);
        assertEquals(143, run.exitValue(), "ended by the signal, after cleaning up");
        assertTrue(seen.contains("tinyreid: stopped"), (System.nanoTime() - stopStarted) / 1_000_000 + " ms: " + seen);
        assertTrue(seen.stream().noneMatch(l -> l.contains("Exception")), seen.toString());
    }

    private static ProcessBuilder java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Djava.awt.headless=true"));
        if (System.getProperty("tinyreid.cache") != null) {
            cmd.add("-Dtinyreid.cache=" + System.getProperty("tinyreid.cache"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
