package io.tinyreid.app.notify;

import java.util.Optional;
import java.util.regex.Pattern;

import io.tinyreid.app.settings.Settings;

/**
 * Where and how to publish events over MQTT (settings {@code mqtt.*}). Topics live under
 * {@code <prefix>/<device>/}; Home Assistant discovery configs under {@code <discovery-prefix>/}.
 */
public record MqttConfig(String host, int port, String username, String password, String prefix, String deviceId,
                         boolean discovery, String discoveryPrefix) {
    private static final Pattern TOPIC_PART = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern DEVICE = Pattern.compile("[a-z0-9_-]{1,32}");

    public MqttConfig {
        if (host == null || host.isBlank() || host.length() > 253) {
            throw new IllegalArgumentException("mqtt.host must name the broker");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("mqtt.port must be 1..65535, not " + port);
        }
        if (!TOPIC_PART.matcher(prefix).matches() || !TOPIC_PART.matcher(discoveryPrefix).matches()) {
            throw new IllegalArgumentException("MQTT topic prefixes are words separated by '/', without wildcards");
        }
        if (!DEVICE.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("mqtt.device-id must be 1-32 characters of a-z 0-9 _ -");
        }
    }

    /** The topic under which this doorbell publishes. */
    public String base() {
        return prefix + "/" + deviceId;
    }

    /** The MQTT settings, or empty when {@code mqtt.host} is not set. */
    public static Optional<MqttConfig> from(Settings s) {
        Optional<String> host = s.get("mqtt.host");
        if (host.isEmpty() || host.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new MqttConfig(host.get().trim(), s.getInt("mqtt.port", 1883),
                s.get("mqtt.username").orElse(null), s.get("mqtt.password").orElse(null),
                s.get("mqtt.topic-prefix", "tinyreid"), s.get("mqtt.device-id", "doorbell"),
                Boolean.parseBoolean(s.get("mqtt.discovery", "true")), s.get("mqtt.discovery-prefix", "homeassistant")));
    }
}
