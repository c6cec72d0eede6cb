package io.tinyreid.app.notify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.gallery.Person;

/**
 * Publishes events to an MQTT broker in a shape Home Assistant understands without configuration
 * (MQTT discovery). Under {@code <prefix>/<device>/}:
 * <ul>
 * <li>{@code availability}: {@code online}/{@code offline} (retained; offline is the will)</li>
 * <li>{@code event}: every event as JSON (see {@link EventJson})</li>
 * <li>{@code doorbell}: {@code {"event_type":"known"|"stranger","person":..}} for an HA event entity</li>
 * <li>{@code visitor}: the name of the last visitor, or "stranger" (retained), an HA sensor</li>
 * <li>{@code stranger}: {@code ON} when a stranger rings, an HA binary sensor that turns itself off</li>
 * <li>{@code person/<id>}: {@code ON} when that person is recognised, one HA binary sensor each</li>
 * <li>{@code snapshot}: the event's JPEG (retained), an HA camera</li>
 * </ul>
 * Reconnects automatically with backoff; publishes wait at most a few seconds so a dead broker
 * cannot stall the notification worker for long.
 */
public final class MqttNotifier implements Notifier {
    private static final long PUBLISH_TIMEOUT_SECONDS = 5;
    private static final int OFF_DELAY_SECONDS = 60;

    private final MqttConfig config;
    private final Mqtt5AsyncClient client;
    private final Set<Long> announcedPeople = ConcurrentHashMap.newKeySet();
    private final Supplier<List<Person>> people;

    private MqttNotifier(MqttConfig config, Mqtt5AsyncClient client, Supplier<List<Person>> people) {
        this.config = config;
        this.client = client;
        this.people = people;
    }

    /** Connects (waiting up to {@code timeoutSeconds}) and announces the doorbell; fails with a clear message. */
    public static MqttNotifier connect(MqttConfig config, long timeoutSeconds) {
        return connect(config, timeoutSeconds, List::of);
    }

    /**
     * As {@link #connect(MqttConfig, long)}, also announcing a presence sensor for each of
     * {@code people} (so Home Assistant lists them before their first visit).
     */
    public static MqttNotifier connect(MqttConfig config, long timeoutSeconds, Supplier<List<Person>> people) {
        MqttNotifier[] self = new MqttNotifier[1];
        // With automatic reconnect a failed first connect would just be retried; report it instead.
        java.util.concurrent.CompletableFuture<Object> firstFailure = new java.util.concurrent.CompletableFuture<>();
        Mqtt5AsyncClient client = Mqtt5Client.builder()
                .identifier("tinyreid-" + config.deviceId())
                .serverHost(config.host())
                .serverPort(config.port())
                .automaticReconnect().initialDelay(1, TimeUnit.SECONDS).maxDelay(60, TimeUnit.SECONDS).applyAutomaticReconnect()
                .addDisconnectedListener(ctx -> {
                    if (self[0] == null) {
                        firstFailure.completeExceptionally(ctx.getCause());
                    }
                })
                .addConnectedListener(ctx -> {
                    if (self[0] != null) {
                        self[0].announce(); // after a reconnect: retained state may have been lost
                    }
                })
                .buildAsync();
        MqttNotifier n = new MqttNotifier(config, client, people);
        Mqtt5ConnectBuilder.Send<java.util.concurrent.CompletableFuture<com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck>> connect = client.connectWith()
                .cleanStart(true)
                .willPublish().topic(n.topic("availability")).payload(bytes("offline")).retain(true)
                .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish();
        if (config.username() != null) {
            connect = connect.simpleAuth().username(config.username())
                    .password(bytes(config.password() == null ? "" : config.password())).applySimpleAuth();
        }
        try {
            java.util.concurrent.CompletableFuture.anyOf(connect.send(), firstFailure).get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            client.disconnect();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot connect to the MQTT broker " + config.host() + ":" + config.port()
                    + " (" + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")", e);
        }
        self[0] = n;
        n.announce();
        return n;
    }

    @Override
    public String name() {
        return "mqtt " + config.host() + ":" + config.port();
    }

    @Override
    public void deliver(Event e, byte[] snapshot) throws Exception {
        String json = EventJson.of(e, config.deviceId());
        boolean known = e.kind() == EventKind.KNOWN;
        publish("event", bytes(json), false);
        publish("doorbell", bytes(new JsonWriter().put("event_type", known ? "known" : "stranger")
                .put("person", known ? e.label() : null).put("event_id", e.id()).toString()), false);
        publish("visitor", bytes(known ? e.label() : "stranger"), true);
        if (known && e.personId() != null) {
            if (config.discovery() && announcedPeople.add(e.personId())) {
                announcePerson(e.personId(), e.label());
            }
            publish("person/" + e.personId(), bytes("ON"), false);
        } else if (!known) {
            publish("stranger", bytes("ON"), false);
        }
        if (snapshot != null) {
            publish("snapshot", snapshot, true);
        }
    }

    /** Publishes availability and, with discovery on, the Home Assistant entity configs. */
    void announce() {
        try {
            if (config.discovery()) {
                String node = "tinyreid_" + config.deviceId().replace('-', '_');
                discovery("event", node, "doorbell", new JsonWriter()
                        .put("name", "Doorbell")
                        .put("state_topic", topic("doorbell"))
                        .put("event_types", new JsonWriter.RawJson("[\"known\",\"stranger\"]")));
                discovery("sensor", node, "visitor", new JsonWriter()
                        .put("name", "Last visitor")
                        .put("state_topic", topic("visitor"))
                        .put("icon", "mdi:doorbell-video"));
                discovery("binary_sensor", node, "stranger", new JsonWriter()
                        .put("name", "Stranger at the door")
                        .put("state_topic", topic("stranger"))
                        .put("device_class", "occupancy")
                        .put("off_delay", OFF_DELAY_SECONDS));
                discovery("camera", node, "snapshot", new JsonWriter()
                        .put("name", "Last visitor snapshot")
                        .put("topic", topic("snapshot")));
                announcedPeople.clear();
                for (Person p : people.get()) {
                    if (announcedPeople.add(p.id())) {
                        announcePerson(p.id(), p.name());
                    }
                }
            }
            publish("availability", bytes("online"), true);
        } catch (Exception e) {
            // the next reconnect announces again; events still flow
        }
    }

    private void announcePerson(long personId, String name) throws Exception {
        String node = "tinyreid_" + config.deviceId().replace('-', '_');
        discovery("binary_sensor", node, "person_" + personId, new JsonWriter()
                .put("name", name + " at the door")
                .put("state_topic", topic("person/" + personId))
                .put("device_class", "occupancy")
                .put("off_delay", OFF_DELAY_SECONDS));
    }

    private void discovery(String component, String node, String object, JsonWriter body) throws Exception {
        String json = body
                .put("unique_id", node + "_" + object)
                .put("availability_topic", topic("availability"))
                .put("device", new JsonWriter.RawJson(new JsonWriter()
                        .put("identifiers", new JsonWriter.RawJson("[\"" + node + "\"]"))
                        .put("name", "TinyReID " + config.deviceId())
                        .put("manufacturer", "TinyReID")
                        .put("model", "face re-identification doorbell").toString()))
                .toString();
        publishAbsolute(config.discoveryPrefix() + "/" + component + "/" + node + "/" + object + "/config", bytes(json), true);
    }

    private void publish(String sub, byte[] payload, boolean retain) throws Exception {
        publishAbsolute(topic(sub), payload, retain);
    }

    private void publishAbsolute(String topic, byte[] payload, boolean retain) throws Exception {
        client.publishWith().topic(topic).payload(payload).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .send().get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    String topic(String sub) {
        return config.base() + "/" + sub;
    }

    /** Topics this notifier publishes under (for documentation and tests). */
    List<String> stateTopics() {
        return List.of("availability", "event", "doorbell", "visitor", "stranger", "snapshot");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            publish("availability", bytes("offline"), true);
        } catch (Exception ignored) {
            // the broker publishes the will instead
        }
        try {
            client.disconnect().get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
