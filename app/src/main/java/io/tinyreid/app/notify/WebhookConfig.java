package io.tinyreid.app.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import io.tinyreid.app.settings.Settings;

/**
 * A URL to POST each event to (settings {@code webhook.url}, {@code webhook.secret} for an
 * HMAC-SHA256 signature header, {@code webhook.include-snapshot}).
 */
public record WebhookConfig(URI url, String secret, boolean includeSnapshot) {
    public WebhookConfig {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("webhook.url must be an http:// or https:// URL, not '" + url + "'");
        }
    }

    /** The webhook settings, or empty when {@code webhook.url} is not set. */
    public static Optional<WebhookConfig> from(Settings s) {
        Optional<String> url = s.get("webhook.url");
        if (url.isEmpty() || url.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new WebhookConfig(new URI(url.get().trim()), s.get("webhook.secret").orElse(null),
                    Boolean.parseBoolean(s.get("webhook.include-snapshot", "false"))));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook.url is not a URL: " + e.getMessage(), e);
        }
    }
}
