package io.tinyreid.app.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpResponseException;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import io.tinyreid.app.json.JsonString;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.tls.TlsIdentity;

/**
 * The doorbell's web UI: login, live view, people, strangers, history and settings.
 *
 * <p>Security model: one admin password, set on first run with a setup code printed on the
 * console (so nobody else on the network can claim the doorbell first); random session tokens in
 * HttpOnly SameSite=Strict cookies; a CSRF token on every state-changing request plus an Origin
 * check; login throttling; strict Content-Security-Policy; uploads limited in size, count and type;
 * ids from URLs parsed as numbers and looked up, never used as paths. Errors show a message and an
 * incident number; stack traces go to the server log only.
 */
public final class WebServer implements AutoCloseable {
    /** Largest photo accepted per file. */
    public static final long MAX_UPLOAD_FILE_BYTES = 32L << 20;
    /** Largest multipart request. */
    public static final long MAX_UPLOAD_REQUEST_BYTES = 100L << 20;
    /** Largest form without files (names, settings). */
    static final long MAX_FORM_BYTES = 64 * 1024;
    /** Most photos in one upload. */
    public static final int MAX_UPLOAD_FILES = 20;
    static final String SESSION_COOKIE = "tinyreid_session";
    static final String SESSION_ATTRIBUTE = "tinyreid.session";
    private static final int MAX_STREAM_VIEWERS = 8;
    /** While no frame comes, a stream re-sends a picture this often. */
    private static final long STREAM_KEEPALIVE_MILLIS = 2000;

    /** What the web UI shows and controls. */
    public interface Backend {
        /** The live frames. */
        LiveView liveView();

        /** One line on the source and the pipeline, for the live page. */
        String statusLine();

        /** Registers the data pages (people, strangers, history, settings). */
        void registerPages(JavalinConfig config, Pages pages);
    }

    private final AdminPassword password;
    private final Backend backend;
    private final Sessions sessions = new Sessions();
    private final PasswordCheck passwordCheck;
    private final GuessThrottle setupThrottle;
    private final LiveEncoder encoder;
    private final Semaphore streamViewers = new Semaphore(MAX_STREAM_VIEWERS);
    private final Pages pages;
    private final String setupCode;
    private volatile Javalin app;
    private volatile TlsIdentity tls;

    /** Builds the server (not yet listening). */
    public WebServer(AdminPassword password, Backend backend) {
        this(password, backend, InstantSource.system());
    }

    /** Builds the server with {@code clock} timing the guess throttles (tests drive it). */
    public WebServer(AdminPassword password, Backend backend, InstantSource clock) {
        this.password = password;
        this.backend = backend;
        this.passwordCheck = new PasswordCheck(password, clock);
        this.setupThrottle = new GuessThrottle(clock);
        this.encoder = new LiveEncoder(backend.liveView());
        this.pages = new Pages(this);
        this.setupCode = newSetupCode();
    }

    private static String newSetupCode() {
        byte[] b = new byte[5];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The one-time code that must accompany the first password (print it where the owner sees it). */
    public String setupCode() {
        return setupCode;
    }

    /** True while no admin password exists (the first visitor with the setup code sets it). */
    public boolean needsSetup() {
        return !password.isSet();
    }

    /** Starts listening over plain HTTP (only for {@code --insecure-http} and loopback tests); port 0 picks a free port. */
    public WebServer start(String host, int port) {
        app = Javalin.create(this::configure).start(host, port);
        return this;
    }

    /** Starts listening over HTTPS with {@code identity}'s certificate; port 0 picks a free port. */
    public WebServer startTls(String host, int port, TlsIdentity identity) {
        this.tls = identity;
        app = Javalin.create(config -> {
            configure(config);
            config.jetty.addConnector((server, http) -> TlsConnector.create(server, http, identity, host, port));
        }).start();
        return this;
    }

    /** The certificate's SHA-256 fingerprint when serving HTTPS. */
    public Optional<String> fingerprint() {
        return Optional.ofNullable(tls).map(TlsIdentity::fingerprint);
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }

    Sessions sessions() {
        return sessions;
    }

    /** The throttled check of the admin password (see {@link PasswordCheck}). */
    boolean passwordMatches(Context ctx, String candidate) {
        return passwordCheck.matches(ctx, candidate);
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = MAX_FORM_BYTES;
        config.jetty.multipartConfig.maxFileSize(MAX_UPLOAD_FILE_BYTES, SizeUnit.BYTES);
        config.jetty.multipartConfig.maxTotalRequestSize(MAX_UPLOAD_REQUEST_BYTES, SizeUnit.BYTES);
        config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        config.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
        config.staticFiles.add(sf -> {
            sf.hostedPath = "/static";
            sf.directory = "/io/tinyreid/app/web/static";
            sf.location = Location.CLASSPATH;
            sf.headers = java.util.Map.of("Cache-Control", "max-age=300");
        });
        config.routes.before(this::guard);
        config.routes.get("/", ctx -> ctx.redirect(password.isSet() ? "/live" : "/setup"));
        config.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok"));
        config.routes.get("/setup", this::setupPage);
        config.routes.post("/setup", this::setup);
        config.routes.get("/login", this::loginPage);
        config.routes.post("/login", this::login);
        config.routes.post("/logout", this::logout);
        config.routes.get("/live", this::livePage);
        config.routes.get("/live/frame.jpg", this::liveFrame);
        config.routes.get("/live/stream.mjpeg", this::liveStream);
        config.routes.get("/api/live", this::liveJson);
        backend.registerPages(config, pages);
        config.routes.exception(HttpResponseException.class, (e, ctx) -> pages.error(ctx, e.getStatus(),
                switch (e.getStatus()) {
                    case 404 -> "There is no such page.";
                    case 405 -> "That action is not available here.";
                    case 413 -> "That upload is too large.";
                    default -> e.getMessage();
                }));
        config.routes.exception(UserError.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            pages.error(ctx, e.status(), e.getMessage());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            String incident = Incident.log("on " + ctx.method() + " " + ctx.path(), e);
            pages.error(ctx, 500, "Something went wrong on the doorbell (incident " + incident
                    + "). Nothing was changed; the details are in the server log.");
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                pages.error(ctx, 404, "There is no such page.");
            }
        });
        config.routes.error(405, ctx -> pages.error(ctx, 405, "That action is not available here."));
    }

    // ------------------------------------------------------------------ guard

    private static final Set<String> OPEN_PATHS = Set.of("/healthz");

    private void guard(Context ctx) {
        securityHeaders(ctx);
        String path = ctx.path();
        if (path.startsWith("/static/") || OPEN_PATHS.contains(path)) {
            return;
        }
        long now = System.currentTimeMillis();
        String token = ctx.cookie(SESSION_COOKIE);
        Sessions.Session s = sessions.find(token, now);
        if (s == null) {
            if (!Sessions.wellFormed(token)) {
                token = sessions.newToken();
                setCookie(ctx, token);
            }
            s = sessions.anonymous(token, now);
        }
        ctx.attribute(SESSION_ATTRIBUTE, s);
        boolean mutating = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
        if (!password.isSet()) {
            if (!path.equals("/setup")) {
                deny(ctx, "/setup", "Set the admin password first.");
            }
        } else if (!s.authenticated() && !path.equals("/login") && !path.equals("/setup")) {
            deny(ctx, "/login", "Please log in.");
        }
        if (mutating) {
            checkOrigin(ctx);
            String csrf = ctx.header("X-CSRF-Token");
            if (ctx.isMultipartFormData()) {
                Uploads.checkDeclaredLength(ctx);
            }
            if (csrf == null) {
                try {
                    csrf = ctx.formParam("_csrf");
                } catch (Exception e) { // an oversized or broken body
                    throw ctx.isMultipartFormData() ? Uploads.unreadable(e) : formUnreadable(e);
                }
            }
            if (!s.csrfMatches(csrf)) {
                throw new UserError(403, "This form has expired (or came from another site). Reload the page and try again.");
            }
        }
    }

    /** The user's view of a (non-upload) form body that could not be read: too large, or broken. */
    private static UserError formUnreadable(Exception e) {
        if (e instanceof HttpResponseException h && h.getStatus() == 413) {
            return new UserError(413, "That form is too large: at most " + (MAX_FORM_BYTES >> 10)
                    + " KiB (a name has at most 64 characters).");
        }
        return new UserError(400, "The form could not be read; please reload the page and try again.");
    }

    private static void deny(Context ctx, String to, String why) {
        if (ctx.method().name().equals("GET") && !ctx.path().startsWith("/api/") && !ctx.path().startsWith("/live/")) {
            ctx.redirect(to);
            ctx.skipRemainingHandlers();
            throw new RedirectDone();
        }
        throw new UserError(401, why);
    }

    /** Ends request handling after a redirect from the guard. */
    static final class RedirectDone extends HttpResponseException {
        private static final long serialVersionUID = 1L;

        RedirectDone() {
            super(302, "redirect", java.util.Map.of());
        }
    }

    private static void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            throw new UserError(403, "Requests from other sites are refused.");
        }
        if (origin != null && !origin.equals("null")) {
            String host = ctx.header("Host");
            URI u;
            try {
                u = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new UserError(403, "Requests from other sites are refused.");
            }
            String originHost = u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
            if (host == null || !host.equalsIgnoreCase(originHost)) {
                throw new UserError(403, "Requests from other sites are refused.");
            }
        }
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; "
                + "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        if ("https".equals(ctx.scheme())) {
            ctx.header("Strict-Transport-Security", "max-age=31536000"); // a year; no subdomains: not ours to promise
        }
    }

    private static void setCookie(Context ctx, String token) {
        Cookie c = new Cookie(SESSION_COOKIE, token, "/", -1, "https".equals(ctx.scheme()), true, null,
                SameSite.STRICT);
        ctx.cookie(c);
    }

    static Sessions.Session session(Context ctx) {
        return ctx.attribute(SESSION_ATTRIBUTE);
    }

    // ------------------------------------------------------------------ setup and login

    private void setupPage(Context ctx) {
        if (password.isSet()) {
            ctx.redirect("/login");
            return;
        }
        sendSetupPage(ctx, 200, ctx.queryParam("code"), null);
    }

    private void sendSetupPage(Context ctx, int status, String code, String problem) {
        pages.send(ctx, status, Html.page("Welcome", null, null, problem, true, """
                <section class="card narrow">
                <h1>Welcome to your doorbell</h1>
                <p>Choose the admin password for this doorbell. You will use it to log in from any phone or computer.</p>
                <form method="post" action="/setup" class="stack">%s
                <label>Setup code <small>(printed on the doorbell's console)</small>
                <input name="code" required autocomplete="off" value="%s" spellcheck="false"></label>
                <label>Password <input type="password" name="password" required minlength="%d" autocomplete="new-password"></label>
                <label>Repeat password <input type="password" name="confirm" required minlength="%d" autocomplete="new-password"></label>
                <button class="primary">Set password</button>
                </form></section>""".formatted(Html.csrfField(session(ctx).csrf()), Html.esc(code == null ? "" : code),
                AdminPassword.MIN_LENGTH, AdminPassword.MIN_LENGTH)));
    }

    private synchronized void setup(Context ctx) throws IOException {
        if (password.isSet()) {
            throw new UserError(409, "The admin password is already set. Log in instead.");
        }
        // Setup codes have their own throttle: guessing them must not lock the owner out of logging in.
        String address = ctx.ip();
        long wait = setupThrottle.waitMillis(address);
        if (wait > 0) {
            UserError e = PasswordCheck.tooManyGuesses("wrong setup codes", wait);
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            sendSetupPage(ctx, 429, null, e.getMessage());
            return;
        }
        String code = ctx.formParam("code");
        if (code == null || !java.security.MessageDigest.isEqual(code.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8),
                setupCode.getBytes(StandardCharsets.UTF_8))) {
            setupThrottle.failed(address);
            sendSetupPage(ctx, 403, null, "The setup code is not right. It is printed on the doorbell's console.");
            return;
        }
        setupThrottle.succeeded(address);
        String p = ctx.formParam("password");
        String problem = AdminPassword.problemWith(p);
        if (problem == null && !p.equals(ctx.formParam("confirm"))) {
            problem = "The two passwords differ.";
        }
        if (problem != null) {
            sendSetupPage(ctx, 400, code.strip(), problem);
            return;
        }
        password.set(p);
        logIn(ctx);
        session(ctx).flash("Password set. Welcome!", false);
        ctx.redirect("/live");
    }

    private void loginPage(Context ctx) {
        if (session(ctx).authenticated()) {
            ctx.redirect("/live");
            return;
        }
        sendLoginPage(ctx, 200, null, false);
    }

    private void sendLoginPage(Context ctx, int status, String message, boolean error) {
        pages.send(ctx, status, Html.page("Log in", null, null, message, error, """
                <section class="card narrow">
                <h1>Log in</h1>
                <form method="post" action="/login" class="stack">%s
                <label>Password <input type="password" name="password" required autofocus autocomplete="current-password"></label>
                <button class="primary">Log in</button>
                </form></section>""".formatted(Html.csrfField(session(ctx).csrf()))));
    }

    private void login(Context ctx) {
        boolean right;
        try {
            right = passwordCheck.matches(ctx, ctx.formParam("password"));
        } catch (UserError throttled) {
            ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            sendLoginPage(ctx, throttled.status(), throttled.getMessage(), true);
            return;
        }
        if (!right) {
            sendLoginPage(ctx, 401, "Wrong password.", true);
            return;
        }
        logIn(ctx);
        ctx.redirect(LocalPath.orElse(ctx.queryParam("next"), "/live"), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void logIn(Context ctx) {
        Sessions.Session fresh = sessions.create(System.currentTimeMillis());
        setCookie(ctx, fresh.token);
        ctx.attribute(SESSION_ATTRIBUTE, fresh);
    }

    private void logout(Context ctx) {
        Sessions.Session s = session(ctx);
        sessions.remove(s);
        setCookie(ctx, sessions.newToken());
        ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ------------------------------------------------------------------ live

    private void livePage(Context ctx) {
        pages.render(ctx, "Live", "/live", """
                <section class="live">
                <div class="screen"><img id="live-frame" alt="Live view of the door" src="/static/waiting.svg"></div>
                <aside class="card">
                <h2>At the door</h2>
                <ul id="live-faces" class="faces" aria-live="polite"><li class="muted">Nobody</li></ul>
                <p id="live-status" class="muted small">%s</p>
                <details><summary>Add the person at the door</summary>
                <form method="post" action="/people/from-live" class="stack">%s
                <label>Name <input name="name" required maxlength="64" autocomplete="off"></label>
                <button>Add from live view</button></form></details>
                </aside></section>""".formatted(Html.esc(backend.statusLine()), Html.csrfField(session(ctx).csrf())),
                "/static/live.js");
    }

    private void liveFrame(Context ctx) throws Exception {
        long after = parseLong(ctx.queryParam("after"), 0);
        LiveEncoder.Encoded e = encoder.newer(after, 2000);
        if (e == null) {
            ctx.status(204);
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Sequence", Long.toString(e.sequence()));
        ctx.contentType("image/jpeg").result(e.jpeg());
    }

    private void liveJson(Context ctx) throws Exception {
        LiveEncoder.Encoded e = encoder.latest();
        String faces = e == null ? "[]" : e.facesJson();
        long seq = e == null ? 0 : e.sequence();
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result("{\"sequence\":" + seq + ",\"status\":" + JsonString.quote(backend.statusLine())
                + ",\"faces\":" + faces + "}");
    }

    private void liveStream(Context ctx) throws Exception {
        if (!streamViewers.tryAcquire()) {
            throw new UserError(503, "Too many live streams are open; close one and retry.", 5);
        }
        try {
            String boundary = "tinyreidframe";
            ctx.res().setContentType("multipart/x-mixed-replace;boundary=" + boundary);
            ctx.res().setHeader("Cache-Control", "no-store");
            OutputStream out = ctx.res().getOutputStream();
            long seq = 0;
            long deadline = System.nanoTime() + 3600_000_000_000L; // reconnect hourly so sessions expire
            while (System.nanoTime() < deadline) {
                long asked = System.nanoTime();
                LiveEncoder.Encoded e;
                try {
                    e = encoder.newer(seq, STREAM_KEEPALIVE_MILLIS);
                } catch (UserError busy) {
                    e = null;
                }
                byte[] jpeg;
                if (e != null) {
                    seq = e.sequence();
                    jpeg = e.jpeg();
                } else {
                    // No frame: send something anyway, so a viewer who left is noticed (the write fails)
                    // and does not hold a stream slot while the camera is dead.
                    LiveEncoder.Encoded last = encoder.latest();
                    jpeg = last != null ? last.jpeg() : encoder.waitingJpeg();
                    long left = STREAM_KEEPALIVE_MILLIS - (System.nanoTime() - asked) / 1_000_000L;
                    if (left > 0) {
                        Thread.sleep(left); // the waiters were all busy: pace, do not spin
                    }
                }
                out.write(("--" + boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException viewerLeft) {
            // the viewer closed the stream
        } finally {
            streamViewers.release();
        }
    }

    static long parseLong(String s, long fallback) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return fallback;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** For tests and the demo: a label for the live status (the backend's line). */
    Supplier<String> status() {
        return backend::statusLine;
    }
}
