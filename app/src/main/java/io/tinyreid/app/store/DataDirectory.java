package io.tinyreid.app.store;

import java.nio.file.Path;

/**
 * Where a household lives: {@code tinyreid.db} (SQLite, WAL) with {@code photos/} and
 * {@code snapshots/} beside it. Default {@code ~/.tinyreid}; overridden by {@code --data-dir} or
 * the {@code TINYREID_HOME} environment variable.
 */
public record DataDirectory(Path root) {
    /** Environment variable that overrides the default location. */
    public static final String ENV = "TINYREID_HOME";

    public DataDirectory {
        root = root.toAbsolutePath().normalize();
    }

    /** The explicit directory if given, else {@code $TINYREID_HOME}, else {@code ~/.tinyreid}. */
    public static DataDirectory resolve(Path explicit) {
        if (explicit != null) {
            return new DataDirectory(explicit);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new DataDirectory(Path.of(env));
        }
        return new DataDirectory(Path.of(System.getProperty("user.home"), ".tinyreid"));
    }

    /** The SQLite database file. */
    public Path database() {
        return root.resolve("tinyreid.db");
    }

    /** Photos of people and strangers (original uploads and face crops). */
    public Path photos() {
        return root.resolve("photos");
    }

    /** Event snapshots. */
    public Path snapshots() {
        return root.resolve("snapshots");
    }
}
