package io.tinyreid.app.notify;

import io.tinyreid.app.events.Event;

/** Something that tells the outside world about events (an MQTT broker, a webhook). */
public interface Notifier extends AutoCloseable {
    /** Short name for status and logs, e.g. "mqtt 127.0.0.1:1883". */
    String name();

    /** Delivers one event; {@code snapshot} is its JPEG/PNG or null. Throws when delivery failed. */
    void deliver(Event event, byte[] snapshot) throws Exception;

    @Override
    void close();
}
