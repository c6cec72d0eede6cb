package io.tinyreid.app.gallery;

import java.time.Instant;

/**
 * An unknown face the doorbell has seen, kept so it can be recognised again and named later.
 *
 * @param photoId the most recent face photo (for display)
 */
public record Stranger(long id, Instant firstSeen, Instant lastSeen, int sightings, long photoId) {}
