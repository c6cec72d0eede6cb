package io.tinyreid.app.notify;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;

/** The JSON form of an event sent to MQTT and webhooks (documented in app/README.md). */
public final class EventJson {
    private EventJson() {}

    /** {@code {"id":..,"time":"..","kind":"known","person":"Alice","person_id":1,...}}. */
    public static String of(Event e, String device) {
        return new JsonWriter()
                .put("id", e.id())
                .put("time", e.at().toString())
                .put("kind", e.kind() == EventKind.KNOWN ? "known" : "stranger")
                .put("person", e.kind() == EventKind.KNOWN ? e.label() : null)
                .put("person_id", e.personId())
                .put("stranger_id", e.strangerId())
                .put("label", e.label())
                .put("distance", e.distance())
                .put("model", e.modelId())
                .put("has_snapshot", e.hasSnapshot())
                .put("device", device)
                .toString();
    }
}
