package io.tinyreid.app.events;

import java.time.Instant;

/**
 * A page of history, newest first. Null fields do not filter. {@code beforeId} pages backwards.
 */
public record EventQuery(Long personId, EventKind kind, Instant from, Instant to, Long beforeId, int limit) {
    /** Most events one query returns. */
    public static final int MAX_LIMIT = 500;

    public EventQuery {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }

    /** The latest {@code limit} events. */
    public static EventQuery latest(int limit) {
        return new EventQuery(null, null, null, null, null, limit);
    }

    /** The latest {@code limit} events of one person. */
    public static EventQuery ofPerson(long personId, int limit) {
        return new EventQuery(personId, null, null, null, null, limit);
    }
}
