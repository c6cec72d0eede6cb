package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tinyreid.app.notify.MqttConfig;
import io.tinyreid.app.notify.WebhookConfig;
import io.tinyreid.app.settings.Settings;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.Household;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tinyreid settings ...}: the household's settings from a terminal (a doorbell without a
 * browser nearby): notifications, limits, the default source. Every value is checked before it
 * is kept; secrets are never printed.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "List or change the household's settings (MQTT, webhook, limits, default source).")
public final class SettingsCommand implements Runnable {
    /** Keys a user may set here, with what they hold. */
    static final Map<String, String> KEYS = new java.util.TreeMap<>(Map.ofEntries(
            Map.entry("mqtt.host", "MQTT broker host (empty: MQTT off)"),
            Map.entry("mqtt.port", "MQTT broker port (1883)"),
            Map.entry("mqtt.username", "MQTT user"),
            Map.entry("mqtt.password", "MQTT password"),
            Map.entry("mqtt.topic-prefix", "topics under PREFIX/DEVICE/ (tinyreid)"),
            Map.entry("mqtt.device-id", "device id in topics and Home Assistant (doorbell)"),
            Map.entry("mqtt.discovery", "announce to Home Assistant: true/false (true)"),
            Map.entry("mqtt.discovery-prefix", "Home Assistant discovery prefix (homeassistant)"),
            Map.entry("webhook.url", "POST every event here (http:// or https://)"),
            Map.entry("webhook.secret", "sign webhook bodies with HMAC-SHA256"),
            Map.entry("webhook.include-snapshot", "add the snapshot to webhook bodies: true/false (false)"),
            Map.entry(Settings.STRANGERS_CAP, "strangers kept at most (50)"),
            Map.entry(Settings.STRANGERS_MAX_AGE_DAYS, "strangers forgotten after this many days unseen (30)"),
            Map.entry(Settings.EVENTS_MAX_AGE_DAYS, "history kept this many days (90)"),
            Map.entry("source.last", "what 'tinyreid run' watches without --source")));
    private static final Set<String> SECRETS = Set.of("mqtt.password", "webhook.secret");

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "Show every setting that is set, and the keys that can be.")
    int list(@Mixin DataDirOption data) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                PrintWriter out = out();
                Map<String, String> all = h.settings().all();
                TextTable t = new TextTable("KEY", "VALUE", "MEANING");
                for (Map.Entry<String, String> e : all.entrySet()) {
                    t.row(e.getKey(), SECRETS.contains(e.getKey()) ? "(hidden)" : e.getValue(), KEYS.getOrDefault(e.getKey(), ""));
                }
                for (Map.Entry<String, String> e : KEYS.entrySet()) {
                    if (!all.containsKey(e.getKey())) {
                        t.row(e.getKey(), "-", e.getValue());
                    }
                }
                t.print(out);
                out.flush();
                return 0;
            }
        });
    }

    @Command(name = "set", description = "Set KEY to VALUE (checked first; nothing changes when it is refused).")
    int set(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "KEY") String key,
            @Parameters(index = "1", paramLabel = "VALUE") String value) {
        return CliSupport.guarded(err(), () -> {
            known(key);
            try (Household h = data.open()) {
                Settings s = h.settings();
                Optional<String> before = s.get(key);
                s.set(key, value.strip());
                try {
                    check(s, key, value.strip());
                } catch (IllegalArgumentException e) {
                    if (before.isPresent()) {
                        s.set(key, before.get());
                    } else {
                        s.remove(key);
                    }
                    throw new IllegalArgumentException(e.getMessage() + "; " + key + " is unchanged");
                }
                out().println(key + " = " + (SECRETS.contains(key) ? "(hidden)" : value.strip()) + hint(key));
                out().flush();
                return 0;
            }
        });
    }

    @Command(name = "unset", description = "Remove KEY (back to its default).")
    int unset(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "KEY") String key) {
        return CliSupport.guarded(err(), () -> {
            known(key);
            try (Household h = data.open()) {
                h.settings().remove(key);
                out().println(key + " removed" + hint(key));
                out().flush();
                return 0;
            }
        });
    }

    private static void known(String key) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "' (see 'tinyreid settings list'; the model and "
                    + "threshold are changed with 'tinyreid people' commands or on the web UI)");
        }
    }

    /** Checks the configuration {@code key} belongs to, as the doorbell will read it. */
    static void check(Settings s, String key, String value) {
        if (key.startsWith("mqtt.")) {
            if (key.equals("mqtt.discovery") && !value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("mqtt.discovery is true or false");
            }
            try {
                MqttConfig.from(s);
            } catch (io.tinyreid.app.store.StoreException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        } else if (key.startsWith("webhook.")) {
            if (key.equals("webhook.include-snapshot") && !value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("webhook.include-snapshot is true or false");
            }
            if (key.equals("webhook.url")) {
                try {
                    new WebhookConfig(new URI(value), null, false);
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("webhook.url is not a URL: " + e.getMessage());
                }
            }
        } else if (key.equals("source.last")) {
            SourceSpec.parse(value, false);
        } else {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
            }
            if (n < 1) {
                throw new IllegalArgumentException(key + " must be at least 1");
            }
        }
    }

    private static String hint(String key) {
        return key.startsWith("mqtt.") || key.startsWith("webhook.")
                ? " (a running doorbell picks this up when restarted or when notifications are saved on its Settings page)" : "";
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
