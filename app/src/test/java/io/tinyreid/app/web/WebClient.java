package io.tinyreid.app.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A minimal browser for HTTP-level tests: keeps the session cookie, reads CSRF tokens, does not follow redirects. */
final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final HttpClient http;
    final String base;
    String cookie;
    String csrf;
    /** Longest wait for an answer (a stuck server fails the test instead of hanging it). */
    Duration timeout = Duration.ofSeconds(60);

    WebClient(int port) {
        this(port, null);
    }

    /** A browser on another machine of the LAN: connects from {@code fromAddress} (e.g. 127.0.0.2). */
    WebClient(int port, String fromAddress) {
        this(port, fromAddress, null);
    }

    /**
     * A browser that speaks HTTPS when {@code pinnedFingerprint} is given and then trusts exactly the
     * certificate with that SHA-256 fingerprint (as a household told to check the printed one would).
     */
    WebClient(int port, String fromAddress, String pinnedFingerprint) {
        this.base = (pinnedFingerprint == null ? "http" : "https") + "://127.0.0.1:" + port;
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5));
        if (pinnedFingerprint != null) {
            b.sslContext(PinnedTrust.context(pinnedFingerprint));
        }
        if (fromAddress != null) {
            try {
                b.localAddress(java.net.InetAddress.getByName(fromAddress));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(fromAddress, e);
            }
        }
        this.http = b.build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        return remember(send(b));
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET().timeout(timeout);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        Map<String, String> f = new LinkedHashMap<>(form);
        if (csrf != null && !f.containsKey("_csrf")) {
            f.put("_csrf", csrf);
        }
        String body = f.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return remember(send(b));
    }

    /** Posts multipart form data: {@code files} maps field name to (filename, bytes) entries. */
    HttpResponse<String> postMultipart(String path, Map<String, String> fields, List<Object[]> files)
            throws IOException, InterruptedException {
        String boundary = "----tinyreidtest" + System.nanoTime();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Map<String, String> f = new LinkedHashMap<>(fields);
        if (csrf != null && !f.containsKey("_csrf")) {
            f.put("_csrf", csrf);
        }
        for (Map.Entry<String, String> e : f.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Object[] file : files) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file[0] + "\"; filename=\""
                    + file[1] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes((byte[]) file[2]);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        return remember(send(b));
    }

    /** Fetches the login page first to get a session and token, then posts. */
    HttpResponse<String> postWithFreshCsrf(String path, Map<String, String> form) throws IOException, InterruptedException {
        get("/login");
        get("/setup");
        return post(path, form);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        b.timeout(timeout);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> remember(HttpResponse<String> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            if (c.startsWith(WebServer.SESSION_COOKIE + "=")) {
                cookie = c.substring(0, c.indexOf(';'));
            }
        }
        Matcher m = CSRF.matcher(r.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return r;
    }

    /** A browser that set the admin password with the server's setup code (so it is logged in). */
    static WebClient admin(WebServer server, String password) throws IOException, InterruptedException {
        WebClient c = to(server);
        c.get("/setup");
        HttpResponse<String> r = c.post("/setup", Map.of("code", server.setupCode(), "password", password,
                "confirm", password));
        if (r.statusCode() != 302 || !"/live".equals(r.headers().firstValue("Location").orElse(""))) {
            throw new AssertionError("setup failed: " + r.statusCode() + " " + r.body());
        }
        return c;
    }

    /** A browser for {@code server}: HTTPS pinned to its certificate when it serves TLS. */
    static WebClient to(WebServer server) {
        return to(server, null);
    }

    /** A browser for {@code server} connecting from {@code fromAddress}. */
    static WebClient to(WebServer server, String fromAddress) {
        return new WebClient(server.port(), fromAddress, server.fingerprint().orElse(null));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
