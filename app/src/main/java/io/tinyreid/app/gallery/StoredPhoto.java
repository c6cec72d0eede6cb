package io.tinyreid.app.gallery;

import java.time.Instant;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.photo.PhotoFormat;

/**
 * A photo kept for a person or a stranger, with the face found in it (re-embedding with another
 * model uses this box). Exactly one of {@code personId}/{@code strangerId} is non-null.
 */
public record StoredPhoto(long id, Long personId, Long strangerId, PhotoFormat format, int width, int height,
                          FaceBox face, Instant addedAt) {}
