package io.tinyreid.app.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.javalin.config.JavalinConfig;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.testing.ManualTime;
import io.tinyreid.app.tls.SelfSignedCertificate;
import io.tinyreid.app.tls.TlsIdentity;

/** Login, setup code, sessions, CSRF and error pages, over real HTTPS (the doorbell's own certificate). */
class WebSecurityTest {
    @TempDir
    static Path certificateDir;
    static TlsIdentity identity;
    @TempDir
    Path dir;
    WebServer server;
    AdminPassword password;
    /** The guess throttles' time: it moves only when a test says so. */
    final ManualTime time = new ManualTime(java.time.Instant.parse("2026-12-04T12:00:00Z"));

    /** A backend with no data pages but one that throws, to check that errors show no stack trace. */
    final class Backend implements WebServer.Backend {
        final LiveView view = new LiveView();

        @Override public LiveView liveView() { return view; }

        @Override public String statusLine() { return "test source: live"; }

        @Override
        public void registerPages(JavalinConfig config, Pages pages) {
            config.routes.get("/boom", ctx -> {
                throw new IllegalStateException("secret internal detail");
            });
            config.routes.post("/people", ctx -> pages.redirect(ctx, "/people", "added", false));
            config.routes.get("/people", ctx -> pages.render(ctx, "People", "/people", "<h1>People</h1>"));
        }
    }

    @BeforeAll
    static void certificate() throws Exception {
        identity = SelfSignedCertificate.loadOrCreate(certificateDir, List.of(InetAddress.getLoopbackAddress()));
    }

    @BeforeEach
    void start() throws Exception {
        password = new AdminPassword(dir.resolve("admin-password"), 1000);
        server = new WebServer(password, new Backend(), time).startTls("127.0.0.1", 0, identity);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebClient setUp() throws Exception {
        return WebClient.admin(server, "correct horse");
    }

    @Test
    void firstRunNeedsTheSetupCodeThenSetsASlowSaltedHash() throws Exception {
        WebClient c = WebClient.to(server);
        HttpResponse<String> r = c.get("/live");
        assertEquals(302, r.statusCode());
        assertEquals("/setup", r.headers().firstValue("Location").orElseThrow());
        c.get("/setup");
        r = c.post("/setup", Map.of("code", "wrong", "password", "correct horse", "confirm", "correct horse"));
        assertFalse(password.isSet(), "a wrong setup code sets nothing");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("setup code is not right"), r.body());
        r = c.post("/setup", Map.of("code", server.setupCode(), "password", "short", "confirm", "short"));
        assertFalse(password.isSet());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("at least 8 characters"), r.body());
        assertTrue(r.body().contains("value=\"" + server.setupCode() + "\""), "the code stays filled in");
        setUp();
        assertTrue(password.isSet());
        String stored = Files.readString(dir.resolve("admin-password"));
        assertTrue(stored.startsWith("pbkdf2-sha256:1000:"), stored);
        assertFalse(stored.contains("correct horse"));
        assertEquals(409, WebClient.to(server).postWithFreshCsrf("/setup", Map.of("code", server.setupCode(),
                "password", "another one", "confirm", "another one")).statusCode(), "setup happens once");
    }

    @Test
    void wrongPasswordIsRefusedThenThrottledAndRightOneLogsInWithAFreshCookie() throws Exception {
        setUp();
        WebClient c = WebClient.to(server);
        HttpResponse<String> page = c.get("/login");
        String anonymousCookie = c.cookie;
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Secure"), "over TLS the cookie never goes out in clear: " + setCookie);
        assertEquals("max-age=31536000", page.headers().firstValue("Strict-Transport-Security").orElse(""));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = c.post("/login", Map.of("password", "not it"));
            assertEquals(401, r.statusCode());
            assertTrue(r.body().contains("Wrong password."), r.body());
        }
        assertEquals(302, c.get("/live").statusCode(), "still logged out");
        HttpResponse<String> throttled = c.post("/login", Map.of("password", "correct horse"));
        assertEquals(429, throttled.statusCode(), "throttled even with the right password");
        assertTrue(throttled.body().contains("Too many wrong passwords. Try again in 1 s."), throttled.body());
        assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(""));
        assertEquals(302, c.get("/live").statusCode());
        time.advance(java.time.Duration.ofMillis(999));
        assertEquals(429, c.post("/login", Map.of("password", "correct horse")).statusCode(), "1 ms before the wait ends");
        time.advance(java.time.Duration.ofMillis(1));
        assertEquals(401, c.post("/login", Map.of("password", "still not it")).statusCode(), "the wait is over");
        throttled = c.post("/login", Map.of("password", "correct horse"));
        assertEquals(429, throttled.statusCode(), "a fourth wrong guess doubles the wait");
        assertTrue(throttled.body().contains("Try again in 2 s."), throttled.body());
        assertEquals("2", throttled.headers().firstValue("Retry-After").orElse(""));
        time.advance(java.time.Duration.ofMillis(2000));
        HttpResponse<String> ok = c.post("/login", Map.of("password", "correct horse"));
        assertEquals(303, ok.statusCode());
        assertEquals("/live", ok.headers().firstValue("Location").orElseThrow());
        assertNotEquals(anonymousCookie, c.cookie, "a new session token after login (no fixation)");
        HttpResponse<String> live = c.get("/live");
        assertEquals(200, live.statusCode());
        assertTrue(live.body().contains("test source: live"));
        assertTrue(live.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals("nosniff", live.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenOrFromAnotherSiteAreRefused() throws Exception {
        WebClient c = setUp();
        c.get("/people");
        HttpResponse<String> r = c.post("/people", Map.of("_csrf", "forged", "name", "Eve"));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("This form has expired"), r.body());
        r = c.post("/people", Map.of("name", "Alice"));
        assertEquals(303, r.statusCode(), "the page's own token works");
        WebClient other = setUp2();
        other.csrf = c.csrf;
        assertEquals(403, other.post("/people", Map.of("name", "Mallory")).statusCode(), "tokens are per session");
    }

    private WebClient setUp2() throws Exception {
        WebClient c = WebClient.to(server);
        c.get("/login");
        c.post("/login", Map.of("password", "correct horse"));
        c.get("/people");
        return c;
    }

    @Test
    void errorsShowAMessageAndIncidentButNoStackTrace() throws Exception {
        WebClient c = setUp();
        HttpResponse<String> r = c.get("/boom");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("incident"), r.body());
        assertFalse(r.body().contains("secret internal detail"));
        assertFalse(r.body().contains("at io.tinyreid"), "no stack trace");
        assertFalse(r.body().contains("Exception"));
        HttpResponse<String> missing = c.get("/no/such/page");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("There is no such page."));
        assertEquals(401, WebClient.to(server).get("/api/live").statusCode(), "API needs a login");
    }

    @Test
    void anOversizedUploadIsRefusedWithAMessage() throws Exception {
        WebClient c = setUp();
        c.get("/people");
        byte[] big = new byte[(int) WebServer.MAX_UPLOAD_FILE_BYTES + 1024];
        HttpResponse<String> r = c.postMultipart("/people", Map.of("name", "Big"),
                java.util.List.<Object[]>of(new Object[] {"photos", "big.jpg", big}));
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("too large"), r.body());
        assertFalse(r.body().contains("incident"), "a refusal, not a crash");
        assertEquals(200, c.get("/people").statusCode(), "the server carries on");
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        WebClient c = setUp();
        c.get("/live");
        String authenticated = c.cookie;
        assertEquals(303, c.post("/logout", Map.of()).statusCode());
        WebClient replay = WebClient.to(server);
        replay.cookie = authenticated;
        assertEquals(302, replay.get("/live").statusCode(), "the old token is dead");
    }

    @Test
    void aFloodOfAnonymousVisitorsCannotExpireTheVictimsLoginForm() throws Exception {
        setUp();
        WebClient victim = WebClient.to(server);
        victim.get("/login");
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> r = WebClient.to(server).get("/login"); // no cookie: a new visitor each time
            assertEquals(200, r.statusCode());
        }
        HttpResponse<String> r = victim.post("/login", Map.of("password", "correct horse"));
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/live", r.headers().firstValue("Location").orElseThrow());
        assertEquals(200, victim.get("/live").statusCode());
    }

    @Test
    void afterLoginOnlyLocalPathsAreFollowed() throws Exception {
        setUp();
        for (String[] nextAndTo : new String[][] {{"/people", "/people"}, {"//attacker", "/live"}, {"//attacker.example/", "/live"},
                {"/\\attacker.example", "/live"}, {"https://attacker.example/", "/live"}, {"/%2F%2Fattacker", "/live"}}) {
            WebClient c = WebClient.to(server);
            c.get("/login");
            HttpResponse<String> r = c.post("/login?next=" + WebClient.enc(nextAndTo[0]), Map.of("password", "correct horse"));
            assertEquals(303, r.statusCode(), r.body());
            assertEquals(nextAndTo[1], r.headers().firstValue("Location").orElseThrow(), "next=" + nextAndTo[0]);
        }
    }

    @Test
    void wrongSetupCodesAreThrottledOnTheirOwnAndDoNotLockOutLogin() throws Exception {
        WebClient guesser = WebClient.to(server, "127.0.0.2");
        guesser.get("/setup");
        for (int i = 0; i < 3; i++) {
            assertEquals(403, guesser.post("/setup", Map.of("code", "0000" + i, "password", "pwned pwned",
                    "confirm", "pwned pwned")).statusCode());
        }
        HttpResponse<String> r = guesser.post("/setup", Map.of("code", "00009", "password", "pwned pwned",
                "confirm", "pwned pwned"));
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(r.body().contains("Too many wrong setup codes"), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        assertFalse(password.isSet());

        setUp(); // the owner, from another address, is not slowed down
        WebClient sameAddressLater = WebClient.to(server, "127.0.0.2");
        sameAddressLater.get("/login");
        r = sameAddressLater.post("/login", Map.of("password", "correct horse"));
        assertEquals(303, r.statusCode(), "setup-code guesses do not count against logins: " + r.body());
    }

    @Test
    void theTlsPortSpeaksNoPlainHttpAndAPlainServerClaimsNoTls() throws Exception {
        WebClient plain = new WebClient(server.port());
        try {
            HttpResponse<String> r = plain.get("/login");
            assertNotEquals(200, r.statusCode(), "the TLS port served a page in clear: " + r.body());
        } catch (java.io.IOException expected) {
            // the TLS handshake fails: nothing is served in clear
        }
        WebClient other = new WebClient(server.port(), null, "00:11:22");
        assertThrows(java.io.IOException.class, () -> other.get("/login"), "a client pinned to another certificate refuses");

        try (WebServer insecure = new WebServer(password, new Backend(), time).start("127.0.0.1", 0)) {
            HttpResponse<String> r = WebClient.to(insecure).get("/setup");
            assertEquals(200, r.statusCode());
            assertFalse(r.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"), "plain HTTP: no Secure cookie");
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isEmpty(), "plain HTTP: no HSTS");
        }
    }
}
