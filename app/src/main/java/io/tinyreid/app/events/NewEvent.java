package io.tinyreid.app.events;

import java.time.Instant;
import java.util.Objects;

import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.StrangerSighting;

/**
 * An event to append. {@code snapshot} is an encoded JPEG or PNG of the frame (or null).
 */
public record NewEvent(Instant at, EventKind kind, Long personId, Long strangerId, String label, double distance,
                       String modelId, byte[] snapshot) {
    public NewEvent {
        Objects.requireNonNull(at);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(label);
    }

    /** "Known person X at the door". */
    public static NewEvent known(Instant at, Identification.Known who, String modelId, byte[] snapshot) {
        return new NewEvent(at, EventKind.KNOWN, who.personId(), null, who.name(), who.distance(), modelId, snapshot);
    }

    /** "Stranger at the door", after the gallery recorded the sighting. */
    public static NewEvent stranger(Instant at, StrangerSighting s, String modelId, byte[] snapshot) {
        return new NewEvent(at, EventKind.STRANGER, null, s.stranger().id(), "stranger #" + s.stranger().id(),
                s.distance(), modelId, snapshot);
    }
}
