package io.tinyreid.app.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.nn.importer.Json;

/**
 * Against a real broker: Debian's mosquitto on 127.0.0.1:18830, started by
 * scripts/setup.d/40-mosquitto.sh (override with -Dtinyreid.mqtt.port). Skipped with a message when
 * no broker answers, except in CI (tinyreid.requireShared=true), where that is a failure.
 */
class MqttNotifierTest {
    static final String HOST = "127.0.0.1";
    static final int PORT = Integer.getInteger("tinyreid.mqtt.port", 18830);

    @TempDir Path tmp;
    String device;
    String discovery;
    Map<String, byte[]> received = new ConcurrentHashMap<>();
    Map<String, Boolean> retained = new ConcurrentHashMap<>();

    @BeforeEach
    void names() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        device = "door-" + id;
        discovery = "hatest" + id;
    }

    /** Only the tests that talk to the broker need one (the others run everywhere). */
    static void requireBroker() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
        } catch (Exception e) {
            String msg = "no MQTT broker on " + HOST + ":" + PORT + " (run scripts/setup.d/40-mosquitto.sh as root)";
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    Mqtt5AsyncClient subscriber(String... filters) throws Exception {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("test-" + UUID.randomUUID()).serverHost(HOST)
                .serverPort(PORT).buildAsync();
        c.connect().get(10, TimeUnit.SECONDS);
        for (String f : filters) {
            c.subscribeWith().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).callback(p -> {
                received.put(p.getTopic().toString(), p.getPayloadAsBytes());
                retained.put(p.getTopic().toString(), p.isRetain());
            }).send().get(10, TimeUnit.SECONDS);
        }
        return c;
    }

    byte[] await(String topic) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            byte[] b = received.get(topic);
            if (b != null) {
                return b;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing arrived on " + topic + "; got " + received.keySet());
    }

    String text(String topic) throws InterruptedException {
        return new String(await(topic), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json(String topic) throws InterruptedException {
        return (Map<String, Object>) Json.parse(text(topic));
    }

    @Test
    void eventsReachTheBrokerInHomeAssistantShape() throws Exception {
        requireBroker();
        String base = "tinyreid/" + device;
        String node = "tinyreid_" + device.replace('-', '_');
        MqttConfig config = new MqttConfig(HOST, PORT, null, null, "tinyreid", device, true, discovery);
        try (Household h = Household.open(new DataDirectory(tmp))) {
            long ann = person(h, "Ann");
            NotificationHub hub = NotificationHub.start(h.events(),
                    List.of(MqttNotifier.connect(config, 10, () -> h.gallery().people())), 16);
            Mqtt5AsyncClient sub = subscriber(base + "/#", discovery + "/#");
            try {
                // retained state is there for a subscriber that comes later
                assertEquals("online", text(base + "/availability"));
                assertTrue(retained.get(base + "/availability"));
                Map<String, Object> ev = json(discovery + "/event/" + node + "/doorbell/config");
                assertEquals(base + "/doorbell", ev.get("state_topic"));
                assertEquals(List.of("known", "stranger"), ev.get("event_types"));
                assertEquals(node + "_doorbell", ev.get("unique_id"));
                assertEquals(base + "/availability", ev.get("availability_topic"));
                assertEquals(List.of(node), ((Map<?, ?>) ev.get("device")).get("identifiers"));
                assertEquals(base + "/visitor", json(discovery + "/sensor/" + node + "/visitor/config").get("state_topic"));
                assertEquals(base + "/snapshot", json(discovery + "/camera/" + node + "/snapshot/config").get("topic"));
                assertEquals(60.0, json(discovery + "/binary_sensor/" + node + "/stranger/config").get("off_delay"));
                // enrolled people are announced before their first visit
                Map<String, Object> annConfig = json(discovery + "/binary_sensor/" + node + "/person_" + ann + "/config");
                assertEquals("Ann at the door", annConfig.get("name"));
                assertEquals(base + "/person/" + ann, annConfig.get("state_topic"));

                byte[] snapshot = ColourCodedEngine.photo(0x336699, 64, 48);
                long zoe = person(h, "Zoë \"Z\" O'Neil");
                var known = h.events().append(new NewEvent(Instant.parse("2026-11-27T18:00:00Z"), EventKind.KNOWN, zoe, null,
                        "Zoë \"Z\" O'Neil", 1.25e8, "facereid", snapshot));
                Map<String, Object> event = json(base + "/event");
                assertEquals((double) known.id(), event.get("id"));
                assertEquals("known", event.get("kind"));
                assertEquals("Zoë \"Z\" O'Neil", event.get("person"));
                assertEquals((double) zoe, event.get("person_id"));
                assertEquals(1.25e8, event.get("distance"));
                assertEquals("2026-11-27T18:00:00Z", event.get("time"));
                assertEquals(true, event.get("has_snapshot"));
                assertEquals("known", json(base + "/doorbell").get("event_type"));
                assertEquals("Zoë \"Z\" O'Neil", text(base + "/visitor"));
                assertEquals("ON", text(base + "/person/" + zoe));
                assertEquals("Zoë \"Z\" O'Neil at the door", json(discovery + "/binary_sensor/" + node + "/person_" + zoe + "/config").get("name"));
                assertArrayEquals(snapshot, await(base + "/snapshot"));

                received.clear();
                h.events().append(new NewEvent(Instant.now(), EventKind.STRANGER, null, 3L, "stranger #3", 4e8,
                        "facereid", null));
                Map<String, Object> s = json(base + "/event");
                assertEquals("stranger", s.get("kind"));
                assertNull(s.get("person"));
                assertEquals(3.0, s.get("stranger_id"));
                assertEquals("ON", text(base + "/stranger"));
                assertEquals("stranger", text(base + "/visitor"));
                assertEquals(0, hub.dropped());
                assertEquals(2, hub.status().getFirst().delivered());
            } finally {
                hub.close();
            }
            assertEquals("offline", text(base + "/availability"));
            // clean up retained messages so the broker does not keep test state
            for (String t : List.copyOf(retained.keySet())) {
                if (retained.get(t)) {
                    sub.publishWith().topic(t).payload(new byte[0]).retain(true).send().get(5, TimeUnit.SECONDS);
                }
            }
            sub.disconnect().get(5, TimeUnit.SECONDS);
        }
    }


    static long person(Household h, String name) {
        short[] v = new short[512];
        v[0] = (short) name.hashCode();
        io.tinyreid.app.testing.ColourCodedEngine faces = new io.tinyreid.app.testing.ColourCodedEngine(
                io.tinyreid.app.face.FaceModel.FACEREID).register(0x010203, new io.tinyreid.app.face.Descriptor.Int16(v));
        return h.gallery().enrol(faces.engine(), name, List.of(new io.tinyreid.app.gallery.PhotoInput("p",
                ColourCodedEngine.photo(0x010203, 64 + name.length(), 64))), // one photo per person: the same one is stored once
                io.tinyreid.app.gallery.Progress.NONE).person().id();
    }

    @Test
    void anUnreachableBrokerIsAClearError() {
        MqttConfig config = new MqttConfig(HOST, 1, null, null, "tinyreid", device, true, discovery);
        // Reported when refused, not when the 600 s timeout runs out: a generous 60 s deadline (no wall-clock bound).
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(IllegalStateException.class, () -> MqttNotifier.connect(config, 600)),
                "a refused connection was not reported before the connect timeout");
        assertTrue(e.getMessage().startsWith("cannot connect to the MQTT broker 127.0.0.1:1"), e.getMessage());
    }

    @Test
    void badSettingsAreRefusedWithTheSettingName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MqttConfig(HOST, PORT, null, null, "tinyreid/#", device, true, "homeassistant"))
                .getMessage().contains("without wildcards"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MqttConfig(HOST, 0, null, null, "tinyreid", device, true, "homeassistant"))
                .getMessage().contains("mqtt.port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MqttConfig(HOST, PORT, null, null, "tinyreid", "Front Door", true, "homeassistant"))
                .getMessage().contains("mqtt.device-id"));
    }
}
