package io.tinyreid.app.notify;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tinyreid.app.events.Event;

/**
 * POSTs each event as JSON ({@link EventJson}, plus {@code snapshot_base64} when configured) to a
 * URL. With a secret, {@code X-TinyReID-Signature: sha256=<hex HMAC of the body>} lets the receiver
 * check it came from us. Retries 3 times with backoff on network errors and 5xx; 4xx is final.
 */
public final class WebhookNotifier implements Notifier {
    private static final int ATTEMPTS = 3;
    private final WebhookConfig config;
    private final HttpClient http;
    private final Duration backoff;

    public WebhookNotifier(WebhookConfig config) {
        this(config, Duration.ofSeconds(1));
    }

    WebhookNotifier(WebhookConfig config, Duration backoff) {
        this.config = config;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return "webhook " + config.url().getHost();
    }

    @Override
    public void deliver(Event e, byte[] snapshot) throws Exception {
        String json = EventJson.of(e, "webhook");
        if (config.includeSnapshot() && snapshot != null) {
            json = json.substring(0, json.length() - 1) + ",\"snapshot_base64\":\""
                    + Base64.getEncoder().encodeToString(snapshot) + "\"}";
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder req = HttpRequest.newBuilder(config.url())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "TinyReID")
                .header("X-TinyReID-Event", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.secret() != null && !config.secret().isEmpty()) {
            req.header("X-TinyReID-Signature", "sha256=" + hmac(config.secret(), body));
        }
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                last = new IllegalStateException("webhook answered HTTP " + r.statusCode());
                if (r.statusCode() / 100 == 4) {
                    break; // the receiver refuses this request; retrying will not help
                }
            } catch (java.io.IOException ex) {
                last = ex;
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(backoff.toMillis() << (attempt - 1));
            }
        }
        throw last;
    }

    /** Hex HMAC-SHA256 of {@code body} with {@code secret}. */
    static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Override
    public void close() {
        http.close();
    }
}
