package io.tinyreid.app.doorbell;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

import io.tinyreid.app.cli.TinyReidCommand;
import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;
import picocli.CommandLine;

/**
 * {@code tinyreid run} as a user runs it: a video of an enrolled person and a stranger, the real
 * detector and network from the model cache, the household's MQTT settings pointing at the real
 * broker (Debian's mosquitto, scripts/setup.d/40-mosquitto.sh). Both visits become events, and
 * both events reach Home Assistant's topics. Bad sources and addresses get one clear line.
 */
class RunCommandTest {
    static final String BROKER = "127.0.0.1";
    static final int PORT = Integer.getInteger("tinyreid.mqtt.port", 18830);

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new TinyReidCommand()).execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runNamesTheVisitorsOfAVideoAndTellsHomeAssistantOverMqtt() throws Exception {
        requireBroker();
        SharedData.requireCached("facereid");
        Path clip = dir.resolve("door.mp4");
        DoorClips.write(clip, 15, List.of(
                new DoorClips.Visit(List.of(DoorClips.lfw("Tony_Blair", 8), DoorClips.lfw("Tony_Blair", 9),
                        DoorClips.lfw("Tony_Blair", 11)), 8),
                new DoorClips.Visit(List.of(DoorClips.lfw("Pete_Sampras", 2)), 24)));
        Path home = dir.resolve("home");
        String device = "run-" + UUID.randomUUID().toString().substring(0, 8);
        try (Household h = Household.open(new DataDirectory(home), FaceModel.FACEREID, Clock.systemUTC())) {
            List<PhotoInput> photos = new ArrayList<>();
            for (int n = 3; n <= 6; n++) {
                Path p = DoorClips.lfw("Tony_Blair", n);
                photos.add(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p)));
            }
            Engines engines = new Engines(ModelCache.standard());
            assertEquals(4, h.gallery().enrol(engines.photoEngine(FaceModel.FACEREID), "Tony Blair", photos,
                    Progress.NONE).acceptedCount());
            h.settings().set("mqtt.host", BROKER);
            h.settings().set("mqtt.port", Integer.toString(PORT));
            h.settings().set("mqtt.device-id", device);
            h.settings().set("mqtt.discovery-prefix", "hatest" + device.substring(4));
        }
        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient sub = Mqtt5Client.builder().identifier("test-" + UUID.randomUUID()).serverHost(BROKER)
                .serverPort(PORT).buildAsync();
        sub.connect().get(10, TimeUnit.SECONDS);
        sub.subscribeWith().topicFilter("tinyreid/" + device + "/event").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send().get(10, TimeUnit.SECONDS);
        try {
            Result r = run("run", "--source", clip.toString(), "--fast", "--data-dir", home.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("tinyreid: watching video " + clip), r.out());
            assertTrue(r.out().contains("tinyreid: notifications mqtt " + BROKER + ":" + PORT + ": 0 sent"), r.out());
            assertTrue(r.out().contains("2 events recorded"), r.out());
            // The console says who came, one line per visit, as the visits are recorded.
            List<String> visits = r.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d .*")).toList();
            assertEquals(2, visits.size(), r.out());
            assertTrue(visits.get(0).matches("\\d\\d:\\d\\d:\\d\\d Tony Blair at the door \\(distance [\\d,]+\\)"), r.out());
            assertTrue(visits.get(1).matches("\\d\\d:\\d\\d:\\d\\d stranger #1 \\(new\\)"), r.out());
            assertTrue(r.out().indexOf(visits.get(1)) < r.out().indexOf("2 events recorded"), r.out());
            // ... and 'tinyreid history' reads the same visits back from the household.
            Result history = run("history", "--data-dir", home.toString());
            assertEquals(0, history.code(), history.err());
            assertEquals(visits, history.out().lines().limit(2).toList(), history.out());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(2, received.size(), "both visits were published: " + received);
            assertTrue(received.get(0).contains("\"kind\":\"known\"") && received.get(0).contains("\"person\":\"Tony Blair\""),
                    received.get(0));
            assertTrue(received.get(1).contains("\"kind\":\"stranger\""), received.get(1));
        } finally {
            sub.disconnect();
        }
        try (Household h = Household.open(new DataDirectory(home))) {
            List<Event> events = h.events().query(EventQuery.latest(10)).reversed();
            assertEquals(List.of(EventKind.KNOWN, EventKind.STRANGER), events.stream().map(Event::kind).toList());
            assertEquals(1, h.gallery().strangers().size());
        }
    }

    @Test
    void badSourcesAndAddressesGetOneClearLine() throws Exception {
        Path home = dir.resolve("home");
        Result camera = run("run", "--source", "/dev/video97", "--data-dir", home.toString());
        assertEquals(2, camera.code());
        assertTrue(camera.err().startsWith("tinyreid run: camera /dev/video97 not found"), camera.err());
        Result file = run("run", "--source", dir.resolve("no-such.mp4").toString(), "--data-dir", home.toString());
        assertEquals(2, file.code());
        assertTrue(file.err().contains("source not found"), file.err());
        Result scheme = run("run", "--source", "ftp://cam.local/x", "--data-dir", home.toString());
        assertEquals(2, scheme.code());
        assertTrue(scheme.err().contains("unsupported stream scheme 'ftp'"), scheme.err());
        Path clip = Files.writeString(dir.resolve("x.mp4"), "not a video");
        Result web = run("run", "--source", clip.toString(), "--web", "doorbell:eighty", "--data-dir", home.toString());
        assertEquals(2, web.code());
        assertTrue(web.err().contains("--web expects [HOST:]PORT"), web.err());
        for (Result r : List.of(camera, file, scheme, web)) {
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertFalse(Files.exists(home), "a refused run touches no household");
    }

    @Test
    void withoutSourceTheLastOneChosenOnTheSettingsPageIsWatched() throws Exception {
        Path home = dir.resolve("home");
        Result none = run("run", "--data-dir", home.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("tinyreid run: no --source given and none chosen on the web UI yet"), none.err());
        try (Household h = Household.open(new DataDirectory(home))) {
            h.settings().set("source.last", "/dev/video97");
        }
        Result last = run("run", "--data-dir", home.toString());
        assertTrue(last.out().contains("tinyreid: source /dev/video97 (last chosen on the Settings page)"), last.out());
        assertEquals(2, last.code());
        assertTrue(last.err().startsWith("tinyreid run: camera /dev/video97 not found"), last.err());
    }

    @Test
    void aWindowWithoutADisplayIsAClearError() {
        // The build runs tests headless (root pom: java.awt.headless=true); only a run outside it (an IDE
        // with a display) may skip, and CI (tinyreid.requireShared) must not.
        if (!java.awt.GraphicsEnvironment.isHeadless()) {
            String msg = "this test JVM has a display (run it with -Djava.awt.headless=true)";
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        Result r = run("run", "--source", "/dev/video97", "--window", "--data-dir", dir.resolve("home").toString());
        assertEquals(2, r.code());
        assertEquals("tinyreid run: no display for --window (DISPLAY is not set); use --web instead", r.err().strip());
    }

    static void requireBroker() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(BROKER, PORT), 1000);
        } catch (Exception e) {
            String msg = "no MQTT broker on " + BROKER + ":" + PORT + " (run scripts/setup.d/40-mosquitto.sh as root)";
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
    }
}
