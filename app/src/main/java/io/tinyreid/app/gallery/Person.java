package io.tinyreid.app.gallery;

import java.time.Instant;

/** A known member of the household. */
public record Person(long id, String name, Instant createdAt, int photoCount) {}
