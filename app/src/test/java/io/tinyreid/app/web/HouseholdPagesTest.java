package io.tinyreid.app.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.notify.Notifications;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;
import io.tinyreid.app.testing.ManualTime;

/**
 * The household pages over real HTTP with a real household: enrolment from the live view, and
 * requests that must never reach the file system or the database unchecked. Faces are the store
 * tests' colour-coded stand-ins (the real detector and network run in the browser test).
 */
class HouseholdPagesTest {
    static final int RED = 0xE02020;

    @TempDir
    Path dir;
    Household household;
    Notifications notifications;
    WebServer server;
    final AtomicReference<FacePhoto> atTheDoor = new AtomicReference<>();
    final AtomicReference<SourceSpec> source = new AtomicReference<>(new SourceSpec.Camera(Path.of("/dev/video0")));

    /** When set, each photo's embedding waits for one permit: the test lets photos through one at a time. */
    volatile java.util.concurrent.Semaphore embedGate;
    /** The guess throttles' time: it moves only when a test says so. */
    final ManualTime guessTime = new ManualTime(java.time.Instant.parse("2026-12-04T12:00:00Z"));
    ColourCodedEngine engine;
    ColourCodedEngine dlib;

    io.tinyreid.app.face.FaceEngine gated(io.tinyreid.app.face.FaceEngine e) {
        return new io.tinyreid.app.face.FaceEngine(e.finder(), new io.tinyreid.app.face.FaceEmbedder() {
            @Override
            public FaceModel model() {
                return e.embedder().model();
            }

            @Override
            public io.tinyreid.app.face.Descriptor embed(java.awt.image.BufferedImage photo, FaceBox box) {
                java.util.concurrent.Semaphore gate = embedGate;
                try {
                    if (gate != null && !gate.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never let this photo through");
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return e.embedder().embed(photo, box);
            }
        });
    }

    final class FakeDoor implements LiveControl {
        final LiveView view = new LiveView();

        @Override public LiveView liveView() { return view; }

        @Override public String statusLine() { return "camera /dev/video0: live"; }

        @Override public SourceSpec source() { return source.get(); }

        @Override public void switchSource(SourceSpec spec) { source.set(spec); }

        @Override public Optional<FacePhoto> largestFaceNow() { return Optional.ofNullable(atTheDoor.get()); }

        @Override public void modelChanged() {}

        @Override public String notificationsStatus() { return notifications.statusLine(); }

        @Override public List<String> reloadNotifications() { return notifications.reload(); }
    }

    @BeforeEach
    void start() throws Exception {
        household = Household.open(new DataDirectory(dir.resolve("home")), FaceModel.FACEREID, Clock.systemUTC());
        notifications = new Notifications(household);
        engine = new ColourCodedEngine(FaceModel.FACEREID).register(RED, KnownFaces.person(0));
        float[] red = new float[128];
        red[0] = 1;
        dlib = new ColourCodedEngine(FaceModel.DLIB_RESNET).register(RED, new io.tinyreid.app.face.Descriptor.Float32(red));
        AdminPassword pw = new AdminPassword(dir.resolve("pw"), 1000);
        pw.set("correct horse");
        server = new WebServer(pw, new HouseholdPages(household, m -> gated(m.equals(FaceModel.DLIB_RESNET) ? dlib.engine() : engine.engine()), new FakeDoor(), pw, ZoneId.of("UTC")),
                guessTime).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        notifications.close();
        household.close();
    }

    /** A value fetched again until it satisfies {@code done}; fails after a generous deadline. */
    private static <T> T pollUntil(java.util.concurrent.Callable<T> fetch, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        T last = fetch.call();
        while (!done.test(last)) {
            assertTrue(System.nanoTime() < deadline, "still waiting after 60 s; last seen: " + last);
            Thread.sleep(20); // a polling interval, not synchronisation: the condition decides
            last = fetch.call();
        }
        return last;
    }

    private WebClient loggedIn() throws Exception {
        WebClient c = new WebClient(server.port());
        c.get("/login");
        c.post("/login", Map.of("password", "correct horse"));
        c.get("/people");
        return c;
    }

    @Test
    void thePersonAtTheDoorCanBeAddedFromTheLiveView() throws Exception {
        WebClient c = loggedIn();
        HttpResponse<String> none = c.post("/people/from-live", Map.of("name", "Alex"));
        assertEquals(409, none.statusCode());
        assertTrue(none.body().contains("Nobody is in front of the camera"), none.body());
        atTheDoor.set(new FacePhoto(ColourCodedEngine.photo(RED, 160, 160), new FaceBox(40, 40, 80, 80, 1)));
        HttpResponse<String> r = c.post("/people/from-live", Map.of("name", "Alex"));
        assertEquals(303, r.statusCode(), r.body());
        Person alex = household.gallery().personNamed("Alex").orElseThrow();
        assertEquals("/people/" + alex.id(), r.headers().firstValue("Location").orElseThrow());
        assertEquals(1, alex.photoCount());
        assertTrue(c.get("/people/" + alex.id()).body().contains("Added 1 photo of Alex."));
    }

    @Test
    void namesAreEscapedAndIdsAreOnlyNumbers() throws Exception {
        WebClient c = loggedIn();
        atTheDoor.set(new FacePhoto(ColourCodedEngine.photo(RED, 160, 160), new FaceBox(40, 40, 80, 80, 1)));
        c.post("/people/from-live", Map.of("name", "<script>alert(1)</script>"));
        String people = c.get("/people").body();
        assertFalse(people.contains("<script>alert(1)</script>"), "markup from a name is never rendered");
        assertTrue(people.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        for (String path : List.of("/photos/..%2F..%2Fetc%2Fpasswd", "/photos/1e3", "/photos/-1", "/people/abc",
                "/events/9999999999999999999/snapshot", "/people/424242")) {
            HttpResponse<String> r = c.get(path);
            assertEquals(404, r.statusCode(), path);
            assertFalse(r.body().contains("Exception"), path);
        }
        HttpResponse<String> h = c.get("/history?person=../../x&kind=%27;DROP%20TABLE%20events;--&before=1%20OR%201=1");
        assertEquals(200, h.statusCode(), "nonsense filters are ignored, not passed on");
        assertEquals(1, household.gallery().people().size());
    }

    @Test
    void settingsAcceptOnlyCamerasStreamsAndNumbers() throws Exception {
        WebClient c = loggedIn();
        c.get("/settings");
        for (String bad : List.of("/etc/passwd", dir.toString(), "ftp://example/x", "/dev/video0/../../etc/shadow", "")) {
            HttpResponse<String> r = c.post("/settings/source", Map.of("source", bad));
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
        }
        assertEquals(new SourceSpec.Camera(Path.of("/dev/video0")), source.get(), "nothing was switched");
        HttpResponse<String> ok = c.post("/settings/source", Map.of("source", "rtsp://cam.local/live"));
        assertEquals(303, ok.statusCode(), ok.body());
        assertInstanceOf(SourceSpec.StreamUrl.class, source.get());
        assertEquals(400, c.post("/settings/strangers-named", Map.of("rate", "abc")).statusCode());
        assertEquals(400, c.post("/settings/strangers-named", Map.of("rate", "1/1")).statusCode());
        assertTrue(c.get("/settings").body().contains("at most 1 in 100 (balanced)</option>"));
        assertEquals(303, c.post("/settings/strangers-named", Map.of("rate", "strict")).statusCode());
        assertEquals(io.tinyreid.app.gallery.StrangerRate.STRICT, household.gallery().strangerRate());
        assertEquals(400, c.post("/settings/model", Map.of("model", "../../evil")).statusCode());
    }

    @Test
    void notificationsAreSetUpFromTheSettingsPageAndThenDelivered() throws Exception {
        java.util.concurrent.BlockingQueue<String> posted = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", x -> {
            posted.add(new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        try {
            WebClient c = loggedIn();
            assertTrue(c.get("/settings").body().contains("off (no MQTT broker or webhook set)"));
            Map<String, String> form = new java.util.HashMap<>(Map.of("mqtt_host", "", "mqtt_port", "1883",
                    "mqtt_prefix", "tinyreid", "mqtt_device", "doorbell", "webhook_url", "ftp://example.com/x",
                    "webhook_secret", "s3cret-value"));
            HttpResponse<String> bad = c.post("/settings/notifications", form);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("The webhook URL must be an http:// or https:// address with a host. Nothing was changed."), bad.body());
            form.put("webhook_url", "");
            form.put("mqtt_host", "127.0.0.1");
            form.put("mqtt_port", "eighty");
            HttpResponse<String> badPort = c.post("/settings/notifications", form);
            assertEquals(400, badPort.statusCode());
            assertTrue(badPort.body().contains("The MQTT port must be a number. Nothing was changed."), badPort.body());
            assertEquals(Map.of(), notificationSettings(), "nothing saved from a refused form");

            form.put("mqtt_host", "");
            form.put("webhook_url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            HttpResponse<String> ok = c.post("/settings/notifications", form);
            assertEquals(303, ok.statusCode(), ok.body());
            String page = c.get("/settings").body();
            assertTrue(page.contains("Notifications saved: webhook 127.0.0.1: 0 sent."), page);
            assertFalse(page.contains("s3cret-value"), "a stored secret is never sent back to the browser");
            assertEquals("s3cret-value", household.settings().get("webhook.secret").orElseThrow());

            household.events().append(NewEvent.known(java.time.Instant.now(),
                    new Identification.Known(7, "Alex", 1.0e8, 1.5e8), "facereid", null));
            String body = posted.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertNotNull(body, "the event reached the webhook configured on the page");
            assertTrue(body.contains("\"person\":\"Alex\""), body);
            long deadline = System.nanoTime() + 10_000_000_000L; // counted once the hook has answered
            while (!c.get("/settings").body().contains("webhook 127.0.0.1: 1 sent") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(c.get("/settings").body().contains("webhook 127.0.0.1: 1 sent"), "the page counts what was sent");

            form.put("webhook_url", "");
            form.put("webhook_secret", "");
            assertEquals(303, c.post("/settings/notifications", form).statusCode());
            assertEquals(Map.of(), notificationSettings(), "emptying the fields turns notifications off");
            assertTrue(c.get("/settings").body().contains("off (no MQTT broker or webhook set)"));
        } finally {
            hook.stop(0);
        }
    }

    private Map<String, String> notificationSettings() {
        Map<String, String> m = new java.util.TreeMap<>(household.settings().all());
        m.keySet().removeIf(k -> !k.startsWith("mqtt.") && !k.startsWith("webhook."));
        return m;
    }

    /**
     * A backup made while the household ran dlib-resnet, restored from the People page of a fresh
     * (FaceReID) doorbell: every photo is embedded for FaceReID with progress, the page says so, and
     * the person is recognised (the archive's dlib descriptors alone would recognise nobody).
     */
    @Test
    void aBackupFromTheOtherModelIsRestoredOnTheWebAndIdentifies() throws Exception {
        Path backup = dir.resolve("backup.zip");
        try (Household old = Household.open(new DataDirectory(dir.resolve("old")), FaceModel.DLIB_RESNET, Clock.systemUTC())) {
            List<io.tinyreid.app.gallery.PhotoInput> photos = new java.util.ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                photos.add(new io.tinyreid.app.gallery.PhotoInput("alex-" + i + ".png", ColourCodedEngine.photo(RED, 150 + i, 150)));
            }
            assertEquals(3, old.gallery().enrol(dlib.engine(), "Alex", photos, io.tinyreid.app.gallery.Progress.NONE).acceptedCount());
            new io.tinyreid.app.store.HouseholdArchive(old).export(backup, io.tinyreid.app.gallery.Progress.NONE);
        }
        assertEquals(0, engine.embedCalls(), "the old household never ran FaceReID");
        assertInstanceOf(Identification.Unknown.class, household.gallery().identify(KnownFaces.person(0)));

        embedGate = new java.util.concurrent.Semaphore(0);
        WebClient c = loggedIn();
        assertTrue(c.get("/people").body().contains("action=\"/people/import\""), "the People page offers it");
        HttpResponse<String> r = c.postMultipart("/people/import", Map.of(),
                List.<Object[]>of(new Object[] {"archive", "backup.zip", java.nio.file.Files.readAllBytes(backup)}));
        assertEquals(303, r.statusCode(), r.body());
        String job = r.headers().firstValue("Location").orElseThrow();
        assertTrue(job.matches("/jobs/\\d+"), "embedding waits for the test, so the browser is sent to the task: " + job);
        HttpResponse<String> restoring = pollUntil(() -> c.get(job), p -> p.body().contains("embedding for facereid"));
        assertTrue(restoring.body().contains("<h1>Restoring a backup</h1>") && restoring.body().contains("Checked 0 of 3 photos"),
                restoring.body());
        embedGate.release();
        pollUntil(() -> c.get(job), p -> p.body().contains("Checked 1 of 3 photos (last: embedding for facereid: photo #"));
        embedGate.release(2);
        HttpResponse<String> done = pollUntil(() -> c.get(job), p -> p.statusCode() != 200);
        assertEquals("/people", done.headers().firstValue("Location").orElseThrow());
        String people = c.get("/people").body();
        assertTrue(people.contains("Restored 3 photo(s): 1 new people, 0 existing people extended, 0 stranger(s); 0 photo(s) were "
                + "already here. Embedded 3 photo(s) for this doorbell&#39;s model facereid so they are recognised (0 already were)."),
                people);
        assertEquals(3, engine.embedCalls());
        Identification id = household.gallery().identify(KnownFaces.person(0));
        assertInstanceOf(Identification.Known.class, id);
        assertEquals("Alex", ((Identification.Known) id).name());
        try (var left = java.nio.file.Files.list(dir.resolve("home"))) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith(".web-import-")), "the upload is not kept");
        }
    }

    /** Web enrolment asks the doorbell's memory plan first: beyond it, 409 with the reason, and nothing is stored. */
    @Test
    void anEnrolmentBeyondTheBudgetIsRefusedWith409() throws Exception {
        engine.register(0x20C040, KnownFaces.person(1)).register(0x2040E0, KnownFaces.person(2));
        // A stand-in plan: 100 bytes of frame loop, then 1 KiB per gallery descriptor; room for two people.
        io.tinyreid.app.engine.GalleryCapacity.Plans plans = (model, display, n, budget) -> Optional.of(
                io.tinyreid.app.budget.DoorbellLayout.of(List.of(
                        io.tinyreid.app.budget.Region.resident("frame loop", io.tinyreid.app.budget.Part.FRAME, 100, "test"),
                        io.tinyreid.app.budget.Region.resident("gallery", io.tinyreid.app.budget.Part.GALLERY, n * 1024L, "test")),
                        budget));
        server.close();
        AdminPassword pw = new AdminPassword(dir.resolve("pw"), 1000);
        server = new WebServer(pw, new HouseholdPages(household, m -> engine.engine(), new FakeDoor(), pw, ZoneId.of("UTC"))
                .checkingBudget(new io.tinyreid.app.engine.GalleryCapacity(plans, io.tinyreid.app.budget.DoorbellBudget.Display.GRAY,
                        100 + 2 * 1024)), guessTime).start("127.0.0.1", 0);
        WebClient c = loggedIn();
        int[] colours = {RED, 0x20C040, 0x2040E0};
        String[] names = {"Alex", "Sam", "Lena"};
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ok = c.postMultipart("/people", Map.of("name", names[i]),
                    List.<Object[]>of(new Object[] {"photos", "p.png", ColourCodedEngine.photo(colours[i], 160, 160)}));
            assertEquals(303, ok.statusCode(), ok.body());
        }
        pollUntil(() -> household.gallery().people().size(), n -> n == 2);
        HttpResponse<String> third = c.postMultipart("/people", Map.of("name", "Lena"),
                List.<Object[]>of(new Object[] {"photos", "p.png", ColourCodedEngine.photo(colours[2], 160, 160)}));
        assertEquals(409, third.statusCode(), third.body());
        assertTrue(third.body().contains("Lena cannot be enrolled") && third.body().contains(
                "it holds at most 2 gallery descriptor(s), the household has 2 and this enrolment adds 1"), third.body());
        // More photos of someone enrolled add no descriptor (one mean template per person): still welcome.
        HttpResponse<String> more = c.postMultipart("/people", Map.of("name", "Alex"),
                List.<Object[]>of(new Object[] {"photos", "p2.png", ColourCodedEngine.photo(RED, 170, 160)}));
        assertEquals(303, more.statusCode(), more.body());
        assertEquals(List.of("Alex", "Sam"), household.gallery().people().stream().map(Person::name).toList());
    }

    @Test
    void enrollingManyPhotosShowsItsProgressThenTheResult() throws Exception {
        embedGate = new java.util.concurrent.Semaphore(0);
        WebClient c = loggedIn();
        List<Object[]> files = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            files.add(new Object[] {"photos", "robin-" + i + ".png", ColourCodedEngine.photo(RED, 160 + i, 160)});
        }
        HttpResponse<String> r = c.postMultipart("/people", Map.of("name", "Robin"), files);
        assertEquals(303, r.statusCode(), r.body());
        String job = r.headers().firstValue("Location").orElseThrow();
        assertTrue(job.matches("/jobs/\\d+"), job);
        HttpResponse<String> page = c.get(job);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<h1>Adding Robin</h1>") && page.body().contains("max=\"8\""), page.body());
        assertTrue(page.body().contains("Starting..."), "no photo is through yet: " + page.body());
        HttpResponse<String> anonymous = new WebClient(server.port()).get(job);
        assertEquals("/login", anonymous.headers().firstValue("Location").orElse(""), "a visitor must log in first");
        WebClient other = new WebClient(server.port());
        other.get("/login");
        other.post("/login", Map.of("password", "correct horse"));
        assertEquals(404, other.get(job).statusCode(), "nor can another session");

        for (int through = 1; through < 8; through++) { // the page follows each photo let through, and no further
            embedGate.release();
            String expected = "Checked " + through + " of 8 photos (last: robin-" + through + ".png)";
            HttpResponse<String> now = pollUntil(() -> c.get(job), p -> p.statusCode() != 200 || p.body().contains(expected));
            assertEquals(200, now.statusCode(), "still running with photo " + (through + 1) + " held back");
            assertTrue(now.body().contains("value=\"" + through + "\" max=\"8\""), now.body());
        }
        embedGate.release();
        HttpResponse<String> last = pollUntil(() -> c.get(job), p -> p.statusCode() != 200);
        assertEquals(303, last.statusCode(), "the task page sends the browser on when done");
        Person robin = household.gallery().personNamed("Robin").orElseThrow();
        assertEquals("/people/" + robin.id(), last.headers().firstValue("Location").orElseThrow());
        assertEquals(8, robin.photoCount());
        assertTrue(c.get("/people/" + robin.id()).body().contains("Added 8 photos of Robin."));
        assertEquals(404, c.get(job).statusCode(), "a shown result is forgotten");
    }

    @Test
    void switchingModelsShowsLiveProgressOnTheSettingsPage() throws Exception {
        List<io.tinyreid.app.gallery.PhotoInput> photos = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            photos.add(new io.tinyreid.app.gallery.PhotoInput("p" + i, ColourCodedEngine.photo(RED, 150 + i, 160)));
        }
        assertEquals(6, household.gallery().enrol(engine.engine(), "Robin", photos,
                io.tinyreid.app.gallery.Progress.NONE).acceptedCount());
        embedGate = new java.util.concurrent.Semaphore(0);
        WebClient c = loggedIn();
        c.get("/settings");
        assertFalse(c.get("/settings").body().contains("settings.js"), "no polling when nothing runs");
        assertEquals(303, c.post("/settings/model", Map.of("model", "dlib-resnet")).statusCode());
        String page = c.get("/settings").body();
        assertTrue(page.contains("id=\"model-job\"") && page.contains("/static/settings.js"), page);
        for (int through = 1; through < 6; through++) { // the job's text follows each photo let through, and no further
            embedGate.release();
            String expected = "{\"running\":true,\"text\":\"Switching to dlib-resnet: " + through + " of 6 photos\"}";
            String seen = pollUntil(() -> c.get("/api/model-job").body(), j -> j.equals(expected) || j.contains("\"running\":false"));
            assertEquals(expected, seen, "photo " + (through + 1) + " is held back");
        }
        embedGate.release();
        String json = pollUntil(() -> c.get("/api/model-job").body(), j -> j.contains("\"running\":false"));
        assertEquals("{\"running\":false,\"text\":\"Switched to dlib-resnet: 6 photos embedded.\"}", json);
        assertEquals(FaceModel.DLIB_RESNET, household.gallery().model());
        assertFalse(c.get("/settings").body().contains("settings.js"), "polling ends with the switch");
        assertEquals(401, new WebClient(server.port()).get("/api/model-job").statusCode(), "only for the logged-in");
    }

    @Test
    void theCurrentPasswordCheckIsThrottledPerSessionAndPerAddress() throws Exception {
        WebClient tablet = loggedIn();
        tablet.get("/settings");
        Map<String, String> change = new java.util.HashMap<>(Map.of("password", "new password 1", "confirm", "new password 1"));
        for (int i = 0; i < 3; i++) {
            change.put("current", "guess " + i);
            HttpResponse<String> r = tablet.post("/settings/password", change);
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("The current password is not right."), r.body());
        }
        change.put("current", "correct horse");
        HttpResponse<String> r = tablet.post("/settings/password", change);
        assertEquals(429, r.statusCode(), "the fourth guess waits, right or not: " + r.body());
        assertTrue(r.body().contains("Too many wrong passwords. Try again in"), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());

        // The same session from another address (a roaming tablet) is still throttled ...
        WebClient roaming = new WebClient(server.port(), "127.0.0.2");
        roaming.cookie = tablet.cookie;
        roaming.csrf = tablet.csrf;
        assertEquals(429, roaming.post("/settings/password", change).statusCode());
        // ... and so is a login from the tablet's address.
        WebClient sameAddress = new WebClient(server.port());
        sameAddress.get("/login");
        assertEquals(429, sameAddress.post("/login", Map.of("password", "correct horse")).statusCode());
        // Another device, with its own address and session, logs in and changes the password.
        WebClient phone = new WebClient(server.port(), "127.0.0.3");
        phone.get("/login");
        assertEquals(303, phone.post("/login", Map.of("password", "correct horse")).statusCode());
        phone.get("/settings");
        r = phone.post("/settings/password", change);
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/login", r.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void eachLimitGetsItsOwnStatusAndWords() throws Exception {
        WebClient c = loggedIn();
        String longName = "N".repeat(100_000);
        HttpResponse<String> r = c.post("/people/from-live", Map.of("name", longName));
        assertEquals(413, r.statusCode(), "a 100 kB form is too large: " + r.body());
        assertTrue(r.body().contains("That form is too large"), r.body());
        assertTrue(r.body().contains("at most 64 characters"), r.body());
        assertFalse(r.body().toLowerCase(java.util.Locale.ROOT).contains("upload"), r.body());
        r = c.postMultipart("/people", Map.of("name", longName),
                List.<Object[]>of(new Object[] {"photos", "a.png", ColourCodedEngine.photo(RED, 160, 160)}));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("at most 64 characters"), r.body());
        assertFalse(r.body().toLowerCase(java.util.Locale.ROOT).contains("upload"), r.body());

        byte[] part = new byte[(int) (26.5 * (1 << 20))]; // four of them: 106 MB, each within the per-photo limit
        List<Object[]> files = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(new Object[] {"photos", "big" + i + ".jpg", part});
        }
        r = c.postMultipart("/people", Map.of("name", "Big"), files);
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains(WebServer.MAX_UPLOAD_REQUEST_BYTES / (1 << 20) + " MiB in all"), r.body());
        assertTrue(household.gallery().people().isEmpty());
    }

    @Test
    void aPhotoMissingOnDiskIsACleanNotFound() throws Exception {
        WebClient c = loggedIn();
        atTheDoor.set(new FacePhoto(ColourCodedEngine.photo(RED, 160, 160), new FaceBox(40, 40, 80, 80, 1)));
        assertEquals(303, c.post("/people/from-live", Map.of("name", "Alex")).statusCode());
        Person alex = household.gallery().personNamed("Alex").orElseThrow();
        long photoId = household.gallery().photosOf(alex.id()).getFirst().id();
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{32}\\.(jpg|png|pgm)")).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        HttpResponse<String> r = c.get("/photos/" + photoId);
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.body().contains("missing"), r.body());
        assertFalse(r.body().contains(dir.toString()), "no absolute path: " + r.body());
        assertFalse(r.body().contains("could not be saved"), r.body());
        assertEquals(200, c.get("/people/" + alex.id()).statusCode(), "the person's page still shows");
    }

    @Test
    void namesMayUseJoinersAndMarksButNoControlsOrDirectionOverrides() throws Exception {
        WebClient c = loggedIn();
        atTheDoor.set(new FacePhoto(ColourCodedEngine.photo(RED, 160, 160), new FaceBox(40, 40, 80, 80, 1)));
        assertEquals(303, c.post("/people/from-live", Map.of("name", "Alex")).statusCode());
        long id = household.gallery().personNamed("Alex").orElseThrow().id();
        c.get("/people/" + id);
        for (String good : List.of("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", // Persian with a ZWNJ
                "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", // family emoji: ZWJ sequence
                "Jose\u0301", "\u0915\u094d\u200d\u0937")) { // combining accent; Devanagari with ZWJ
            HttpResponse<String> r = c.post("/people/" + id + "/rename", Map.of("name", good));
            assertEquals(303, r.statusCode(), good + ": " + r.body());
            assertEquals(good, household.gallery().person(id).orElseThrow().name());
        }
        for (String bad : List.of("Eve\u202egnp.exe", "Eve\u2066x\u2069", "A\u0007B", "A\u200eB", "A\u2028B")) {
            HttpResponse<String> r = c.post("/people/" + id + "/rename", Map.of("name", bad));
            assertEquals(400, r.statusCode(), bad);
            assertTrue(r.body().contains("cannot contain control characters or text-direction overrides"), r.body());
        }
    }

    @Test
    void pagesCarryNoInlineStylesTheirOwnCspWouldBlockAndPersonalImagesAreNotCached() throws Exception {
        WebClient c = loggedIn();
        atTheDoor.set(new FacePhoto(ColourCodedEngine.photo(RED, 160, 160), new FaceBox(40, 40, 80, 80, 1)));
        assertEquals(303, c.post("/people/from-live", Map.of("name", "Alex")).statusCode());
        Person alex = household.gallery().personNamed("Alex").orElseThrow();
        for (String path : List.of("/live", "/people", "/people/" + alex.id(), "/strangers", "/history", "/settings")) {
            HttpResponse<String> r = c.get(path);
            assertEquals(200, r.statusCode(), path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertFalse(r.body().contains(" style="), path + " has an inline style the CSP blocks");
        }
        long photo = household.gallery().photosOf(alex.id()).getFirst().id();
        HttpResponse<byte[]> img = c.getBytes("/photos/" + photo);
        assertEquals(200, img.statusCode());
        assertEquals("no-store", img.headers().firstValue("Cache-Control").orElse(""));
    }
}
