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
 * It serves HTTPS by default with a certificate made on first run whose printed fingerprint is the
 * one the server presents; the addresses it prints are the machine's own and answer.
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
            Matcher setup = awaitSetup(run, log, "https");
            seen.addAll(Files.readAllLines(log));
            assertTrue(seen.stream().anyMatch(l -> l.startsWith("tinyreid run: camera /dev/video97 not found")), seen.toString());
            assertTrue(seen.contains("tinyreid run: starting anyway; choose a source on the web UI's Settings page"), seen.toString());
            assertTrue(seen.contains("tinyreid: notifications off (no MQTT broker or webhook set)"), seen.toString());

            assertTrue(seen.contains("tinyreid: web UI at https://127.0.0.1:" + setup.group(1) + "/"), "a specific bind prints that one: " + seen);
            Matcher fp = Pattern.compile("(?m)^tinyreid: TLS certificate SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2}) "
                    + "\\(self-signed, kept in (.*); the browser warns once").matcher(String.join("\n", seen));
            assertTrue(fp.find(), seen.toString());
            Path tls = dir.resolve("home").resolve("tls");
            assertEquals(tls.toString(), fp.group(2));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tls.resolve("doorbell.p12"))), "the key is the owner's only");
            WebClient c = new WebClient(Integer.parseInt(setup.group(1)), null, fp.group(1)); // trusts the printed fingerprint only
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

    /**
     * A household that outgrew the memory budget (here: one byte short for its two people) used to
     * stop 'run' and with it the web UI that could fix it. Now the doorbell stays off, every page says
     * why, a removal from a phone makes it fit (the banner says so), and the next start watches again.
     */
    @Test
    void aHouseholdBeyondTheBudgetKeepsItsWebUiToBeFixedFrom() throws Exception {
        io.tinyreid.testing.SharedData.requireCached("facereid");
        Path home = dir.resolve("home");
        Path lfw = io.tinyreid.testing.SharedData.require("data/lfw-dev/images");
        long pete;
        try (io.tinyreid.app.store.Household h = io.tinyreid.app.store.Household.open(new io.tinyreid.app.store.DataDirectory(home),
                io.tinyreid.app.face.FaceModel.FACEREID, java.time.Clock.systemUTC())) {
            var engine = new io.tinyreid.app.engine.Engines(io.tinyreid.nn.models.ModelCache.standard())
                    .photoEngine(io.tinyreid.app.face.FaceModel.FACEREID);
            long last = 0;
            for (String person : List.of("Tony_Blair", "Pete_Sampras")) {
                Path photo;
                try (var files = Files.list(lfw.resolve(person))) {
                    photo = files.sorted().toList().get(3);
                }
                var r = h.gallery().enrol(engine, person, List.of(new io.tinyreid.app.gallery.PhotoInput(
                        photo.getFileName().toString(), Files.readAllBytes(photo))), io.tinyreid.app.gallery.Progress.NONE);
                assertEquals(1, r.acceptedCount());
                last = r.person().id();
            }
            pete = last;
        }
        // The budget 'tinyreid budget' plans for two people, less one byte.
        Result budget = runToEnd("budget", "--model", "facereid", "--people", "2");
        Matcher peak = Pattern.compile("peak ([0-9,]+) bytes").matcher(budget.out());
        assertTrue(peak.find(), budget.out());
        String tight = String.valueOf(Long.parseLong(peak.group(1).replace(",", "")) - 1);
        Path frames = Files.createDirectories(dir.resolve("frames"));
        for (int i = 0; i < 3; i++) {
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB),
                    "png", frames.resolve("f" + i + ".png").toFile());
        }
        Path log = dir.resolve("run.log");
        Process run = java(TinyReidCommand.class.getName(), "run", "--source", frames.toString(), "--web", "127.0.0.1:0",
                "--insecure-http", "--budget", tight, "--data-dir", home.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Matcher setup = awaitSetup(run, log, "http");
            String out = Files.readString(log);
            assertTrue(out.contains("tinyreid run: the doorbell does not fit its memory budget: region 'L2' overflowed by 1 bytes"),
                    out);
            assertTrue(out.contains(" with model facereid and 2 gallery descriptors"), out);
            assertTrue(out.contains("tinyreid: the doorbell is off; the web UI stays up"), out);
            assertFalse(out.contains("tinyreid: watching"), out);
            WebClient c = new WebClient(Integer.parseInt(setup.group(1)));
            assertEquals(200, c.get("/setup?code=" + setup.group(2)).statusCode());
            assertEquals("/live", c.post("/setup", Map.of("code", setup.group(2), "password", "front door 42",
                    "confirm", "front door 42")).headers().firstValue("Location").orElse(""));
            String live = c.get("/live").body();
            assertTrue(live.contains("<strong>The doorbell is off:</strong> the doorbell does not fit its memory budget: region "
                    + "&#39;L2&#39; overflowed by 1 bytes"), live);
            assertTrue(live.contains("doorbell off: the doorbell does not fit"), "the status line too: " + live);
            String people = c.get("/people").body();
            assertTrue(people.contains("The doorbell is off"), people);
            HttpResponse<String> removed = c.post("/people/" + pete + "/delete", Map.of("confirm", "yes"));
            assertEquals(303, removed.statusCode(), removed.body());
            String after = c.get("/people").body();
            assertTrue(after.contains("<strong>The household fits the doorbell's memory now</strong> (1 gallery descriptors)."
                    + " Restart <code>tinyreid run</code>"), after);
            assertFalse(after.contains("The doorbell is off"), after);
        } finally {
            run.destroy();
            boolean ended = run.waitFor(30, TimeUnit.SECONDS);
            if (!ended) {
                run.destroyForcibly();
            }
            assertTrue(ended, "stopped within 30 s of SIGTERM");
        }
        assertTrue(Files.readAllLines(log).contains("tinyreid: stopped"), Files.readString(log));
        Result again = runToEnd("run", "--source", frames.toString(), "--fast", "--budget", tight, "--data-dir", home.toString());
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("3 frames processed"), again.out());
    }

    @Test
    void onAllInterfacesItPrintsTheMachinesAddressesAndEachAnswers() throws Exception {
        io.tinyreid.testing.SharedData.requireCached("facereid");
        Result half = runToEnd("run", "--source", "/dev/video97", "--web", "127.0.0.1:0", "--tls-cert", "cert.pem",
                "--data-dir", dir.resolve("home").toString());
        assertEquals(2, half.exit());
        assertTrue(half.out().contains("--tls-cert and --tls-key go together"), half.out());

        // Independent truth: hostname -I lists every address but loopback and IPv6 link-local.
        Result hostname = new Result(new ProcessBuilder("hostname", "-I").redirectErrorStream(true).start());
        assertEquals(0, hostname.exit(), hostname.out());
        java.util.Set<String> machine = new java.util.TreeSet<>(List.of(hostname.out().strip().split("\\s+")));
        machine.remove("");

        Path log = dir.resolve("all.log");
        Process run = java(TinyReidCommand.class.getName(), "run", "--source", "/dev/video97", "--web", "0.0.0.0:0",
                "--insecure-http", "--data-dir", dir.resolve("home").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Pattern url = Pattern.compile("(?m)^tinyreid: web UI at http://(\\[[0-9a-f:]+\\]|[0-9.]+):(\\d+)/$");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.readString(log).contains("tinyreid: first run")) {
                assertTrue(System.nanoTime() < deadline && run.isAlive(), "no address printed: " + Files.readString(log));
                Thread.sleep(100);
            }
            String out = Files.readString(log);
            assertTrue(out.contains("plain HTTP (--insecure-http)"), out);
            Matcher m = url.matcher(out);
            List<String> hosts = new ArrayList<>();
            String port = null;
            while (m.find()) {
                hosts.add(m.group(1));
                port = m.group(2);
            }
            assertEquals("127.0.0.1", hosts.getFirst(), "loopback first: " + out);
            java.util.Set<String> printed = new java.util.TreeSet<>();
            for (String h : hosts.subList(1, hosts.size())) {
                printed.add(h.startsWith("[") ? java.net.InetAddress.getByName(h.substring(1, h.length() - 1)).getHostAddress()
                        .replaceAll("%.*", "") : h);
            }
            java.util.Set<String> expected = new java.util.TreeSet<>();
            for (String a : machine) {
                expected.add(java.net.InetAddress.getByName(a).getHostAddress()); // the same spelling as Java's for IPv6
            }
            assertEquals(expected, printed, "every address of the machine, nothing else: " + out);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (String h : hosts) {
                HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + h + ":" + port + "/healthz")).timeout(java.time.Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), "http://" + h + ":" + port + "/ answers");
            }
        } finally {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
    }

    /** Waits (a minute at most) for the first-run line of {@code run}; group 1 is the port, group 2 the setup code. */
    private static Matcher awaitSetup(Process run, Path log, String scheme) throws Exception {
        Pattern p = Pattern.compile("(?m)^tinyreid: first run - set the admin password at " + scheme
                + "://127\\.0\\.0\\.1:(\\d+)/setup\\?code=([0-9a-f]+) ");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            assertTrue(System.nanoTime() < deadline && run.isAlive(), "no setup address printed: " + Files.readString(log));
            Thread.sleep(100); // a polling interval, not synchronisation: the printed line decides
            Matcher m = p.matcher(Files.readString(log));
            if (m.find()) {
                return m;
            }
        }
    }

    private record Result(int exit, String out) {
        Result(Process p) throws Exception {
            this(p.waitFor(), new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private Result runToEnd(String... args) throws Exception {
        Process p = java(TinyReidCommand.class.getName(), args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
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
