package io.tinyreid.app.store;

import java.util.List;

/**
 * The database schema as an ordered list of migrations; {@code PRAGMA user_version} records how
 * many have been applied. Append new migrations; never edit a released one.
 */
final class Schema {
    private Schema() {}

    /** Migration {@code i} takes the database from version {@code i} to {@code i + 1}. */
    static final List<String[]> MIGRATIONS = List.<String[]>of(
            new String[] {
                    """
                    CREATE TABLE people (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    )""",
                    "CREATE UNIQUE INDEX people_name ON people(name COLLATE NOCASE)",
                    """
                    CREATE TABLE strangers (
                        id INTEGER PRIMARY KEY,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        sightings INTEGER NOT NULL
                    )""",
                    // A photo belongs to exactly one person or one stranger; naming a stranger moves its photos.
                    """
                    CREATE TABLE photos (
                        id INTEGER PRIMARY KEY,
                        person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
                        stranger_id INTEGER REFERENCES strangers(id) ON DELETE CASCADE,
                        file TEXT NOT NULL UNIQUE,
                        sha256 TEXT NOT NULL,
                        format TEXT NOT NULL,
                        width INTEGER NOT NULL,
                        height INTEGER NOT NULL,
                        box_x INTEGER NOT NULL,
                        box_y INTEGER NOT NULL,
                        box_w INTEGER NOT NULL,
                        box_h INTEGER NOT NULL,
                        added_at INTEGER NOT NULL,
                        CHECK ((person_id IS NULL) <> (stranger_id IS NULL))
                    )""",
                    "CREATE INDEX photos_person ON photos(person_id)",
                    "CREATE INDEX photos_stranger ON photos(stranger_id)",
                    "CREATE INDEX photos_sha256 ON photos(sha256)",
                    """
                    CREATE TABLE descriptors (
                        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
                        model_id TEXT NOT NULL,
                        format TEXT NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (photo_id, model_id)
                    )""",
                    """
                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
                        stranger_id INTEGER,
                        label TEXT NOT NULL,
                        distance REAL,
                        model_id TEXT,
                        snapshot TEXT
                    )""",
                    "CREATE INDEX events_at ON events(at)",
                    "CREATE INDEX events_person ON events(person_id, at)",
                    "CREATE INDEX events_stranger ON events(stranger_id)",
                    """
                    CREATE TABLE settings (
                        key TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    )""",
            });

    /** The schema version this build writes. */
    static int latest() {
        return MIGRATIONS.size();
    }
}
