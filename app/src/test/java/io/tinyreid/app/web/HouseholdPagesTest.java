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
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;

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
    WebServer server;
    final AtomicReference<FacePhoto> atTheDoor = new AtomicReference<>();
    final AtomicReference<SourceSpec> source = new AtomicReference<>(new SourceSpec.Camera(Path.of("/dev/video0")));

    final class FakeDoor implements LiveControl {
        final LiveView view = new LiveView();

        @Override public LiveView liveView() { return view; }

        @Override public String statusLine() { return "camera /dev/video0: live"; }

        @Override public SourceSpec source() { return source.get(); }

        @Override public void switchSource(SourceSpec spec) { source.set(spec); }

        @Override public Optional<FacePhoto> largestFaceNow() { return Optional.ofNullable(atTheDoor.get()); }

        @Override public void modelChanged() {}
    }

    @BeforeEach
    void start() throws Exception {
        household = Household.open(new DataDirectory(dir.resolve("home")), FaceModel.FACEREID, Clock.systemUTC());
        ColourCodedEngine engine = new ColourCodedEngine(FaceModel.FACEREID).register(RED, KnownFaces.person(0));
        AdminPassword pw = new AdminPassword(dir.resolve("pw"), 1000);
        pw.set("correct horse");
        server = new WebServer(pw, new HouseholdPages(household, m -> engine.engine(), new FakeDoor(), pw, ZoneId.of("UTC")))
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        household.close();
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
        assertEquals(400, c.post("/settings/threshold", Map.of("threshold", "abc")).statusCode());
        assertEquals(400, c.post("/settings/threshold", Map.of("threshold", "-5")).statusCode());
        assertEquals(303, c.post("/settings/threshold", Map.of("threshold", "150000000")).statusCode());
        assertEquals(150_000_000, household.gallery().threshold().accept());
        assertEquals(400, c.post("/settings/model", Map.of("model", "../../evil")).statusCode());
    }
}
