package io.tinyreid.app.events;

import java.time.Instant;

/**
 * A recorded event. {@code label} is the person's current name (or the name at the time if they were
 * removed), or "stranger #id"; {@code personId} is set for known people and for strangers named later.
 */
public record Event(long id, Instant at, EventKind kind, Long personId, Long strangerId, String label,
                    double distance, String modelId, boolean hasSnapshot) {}
