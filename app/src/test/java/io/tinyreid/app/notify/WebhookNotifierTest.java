package io.tinyreid.app.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.nn.importer.Json;

/** The webhook against a local JDK HttpServer; the hub's bounded queue under a stuck notifier. */
class WebhookNotifierTest {
    record Request(com.sun.net.httpserver.Headers headers, byte[] body) {}

    @TempDir Path tmp;
    HttpServer server;
    List<Request> requests = new CopyOnWriteArrayList<>();
    AtomicInteger failFirst = new AtomicInteger();
    volatile int failStatus = 503;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            requests.add(new Request(ex.getRequestHeaders(), ex.getRequestBody().readAllBytes()));
            int status = failFirst.getAndDecrement() > 0 ? failStatus : 204;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @Test
    void eventsArePostedAsSignedJsonWithTheSnapshot() throws Exception {
        byte[] snapshot = ColourCodedEngine.photo(0x808080, 32, 32);
        try (Household h = Household.open(new DataDirectory(tmp))) {
            h.settings().set("webhook.url", url().toString());
            h.settings().set("webhook.secret", "s3cret");
            h.settings().set("webhook.include-snapshot", "true");
            List<String> problems = new java.util.ArrayList<>();
            try (NotificationHub hub = NotificationHub.fromSettings(h, problems)) {
                assertEquals(List.of(), problems);
                Event e = h.events().append(new NewEvent(Instant.parse("2026-11-27T08:30:00Z"), EventKind.KNOWN,
                        MqttNotifierTest.person(h, "Alex"), null, "Alex", 0.42, "dlib-resnet", snapshot));
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (requests.isEmpty() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertEquals(1, requests.size());
                Request r = requests.getFirst();
                assertEquals("application/json", r.headers().getFirst("Content-Type"));
                assertEquals("known", r.headers().getFirst("X-tinyreid-event"));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                assertEquals("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body())),
                        r.headers().getFirst("X-tinyreid-signature"));
                @SuppressWarnings("unchecked")
                Map<String, Object> json = (Map<String, Object>) Json.parse(new String(r.body(), StandardCharsets.UTF_8));
                assertEquals((double) e.id(), json.get("id"));
                assertEquals("Alex", json.get("person"));
                assertEquals(0.42, json.get("distance"));
                assertEquals("dlib-resnet", json.get("model"));
                assertEquals(List.of(snapshot.length), List.of(Base64.getDecoder().decode((String) json.get("snapshot_base64")).length));
                hub.close();
                assertEquals(1, hub.status().getFirst().delivered());
            }
        }
    }

    @Test
    void serverErrorsAreRetriedAndClientErrorsAreNot() throws Exception {
        WebhookNotifier hook = new WebhookNotifier(new WebhookConfig(url(), null, false), Duration.ofMillis(10));
        Event e = new Event(1, Instant.now(), EventKind.STRANGER, null, 2L, "stranger #2", 3e8, "facereid", false);
        failFirst.set(2);
        hook.deliver(e, null);
        assertEquals(3, requests.size());
        assertTrue(requests.getFirst().headers().getFirst("X-tinyreid-signature") == null);

        requests.clear();
        failFirst.set(1);
        failStatus = 400;
        Exception bad = assertThrows(IllegalStateException.class, () -> hook.deliver(e, null));
        assertEquals("webhook answered HTTP 400", bad.getMessage());
        assertEquals(1, requests.size());

        requests.clear();
        failFirst.set(10);
        failStatus = 500;
        assertThrows(IllegalStateException.class, () -> hook.deliver(e, null));
        assertEquals(3, requests.size());
        hook.close();
    }

    @Test
    void badUrlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookConfig(URI.create("file:///etc/passwd"), null, false));
        assertThrows(IllegalArgumentException.class, () -> new WebhookConfig(URI.create("ftp://x/y"), null, false));
    }

    @Test
    void aStuckNotifierNeverBlocksEventsAndOnlyTheOldestWaitingAreDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> delivered = new CopyOnWriteArrayList<>();
        Notifier stuck = new Notifier() {
            @Override public String name() { return "stuck"; }
            @Override public void deliver(Event event, byte[] snapshot) throws Exception {
                release.await();
                delivered.add(event.id());
            }
            @Override public void close() { }
        };
        try (Household h = Household.open(new DataDirectory(tmp))) {
            NotificationHub hub = NotificationHub.start(h.events(), List.of(stuck), 10);
            for (int i = 0; i < 100; i++) {
                h.events().append(new NewEvent(Instant.now(), EventKind.STRANGER, null, 1L, "s", 1, "facereid", null));
            }
            assertEquals(100, h.events().count());
            release.countDown();
            hub.close(10);
            // the first event was being delivered when the queue filled; the last 10 waited; the rest dropped
            assertEquals(89, hub.dropped());
            assertEquals(11, delivered.size());
            assertEquals(100L, (long) delivered.getLast());
        }
    }
}
