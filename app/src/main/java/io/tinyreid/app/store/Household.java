package io.tinyreid.app.store;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.tinyreid.app.events.EventStore;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceModels;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Thresholds;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.app.settings.Settings;

/**
 * One household's data opened from a {@link DataDirectory}: the database, the gallery (people and
 * strangers), the event history and the settings. The entry point for the CLI, pipeline and web UI.
 */
public final class Household implements AutoCloseable {
    /** Files this young are never swept: another process may be about to commit the row naming them. */
    private static final Duration SWEEP_MIN_AGE = Duration.ofMinutes(10);

    private final DataDirectory dir;
    private final Database db;
    private final FileVault photos;
    private final FileVault snapshots;
    private final Settings settings;
    private final Gallery gallery;
    private final EventStore events;

    private Household(DataDirectory dir, Database db, FileVault photos, FileVault snapshots, Settings settings,
                      Gallery gallery, EventStore events) {
        this.dir = dir;
        this.db = db;
        this.photos = photos;
        this.snapshots = snapshots;
        this.settings = settings;
        this.gallery = gallery;
        this.events = events;
    }

    /** Opens the household in {@code dir} (created if missing) with the model named by the {@code model} setting. */
    public static Household open(DataDirectory dir) {
        return open(dir, null, Clock.systemUTC());
    }

    /**
     * Opens the household; {@code model} (if not null) is the model the gallery identifies with,
     * otherwise the one named by the {@code model} setting (default {@code facereid}).
     */
    public static Household open(DataDirectory dir, FaceModel model, Clock clock) {
        try {
            Files.createDirectories(dir.root());
        } catch (IOException e) {
            throw FileVault.ioFailure("creating the data directory " + dir.root(), e);
        }
        Database db = Database.open(dir.database());
        try {
            FileVault photos = new FileVault(dir.photos());
            FileVault snapshots = new FileVault(dir.snapshots());
            Settings settings = new Settings(db);
            FaceModel m = model != null ? model : FaceModels.byId(settings.get(Settings.MODEL, FaceModel.FACEREID.id()));
            Thresholds thresholds = Thresholds.builtIn().overlay(dir.root().resolve("thresholds.properties"));
            Gallery gallery = new Gallery(db, photos, settings, thresholds, new PhotoDecoder(PhotoLimits.DEFAULT), m, clock);
            EventStore events = new EventStore(db, snapshots, settings, clock);
            Household h = new Household(dir, db, photos, snapshots, settings, gallery, events);
            h.sweep();
            return h;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Where the household lives. */
    public DataDirectory directory() {
        return dir;
    }

    /** People, strangers, photos and identification. */
    public Gallery gallery() {
        return gallery;
    }

    /** The history. */
    public EventStore events() {
        return events;
    }

    /** Settings. */
    public Settings settings() {
        return settings;
    }

    /** The database (for export/import and tests). */
    public Database database() {
        return db;
    }

    /** The photo files. */
    public FileVault photos() {
        return photos;
    }

    /** The snapshot files. */
    public FileVault snapshots() {
        return snapshots;
    }

    /** Removes files left by a process killed between writing a file and committing its row. */
    private void sweep() {
        Set<String> photoFiles = referenced("SELECT file FROM photos");
        Set<String> snapshotFiles = referenced("SELECT snapshot FROM events WHERE snapshot IS NOT NULL");
        photos.sweep(photoFiles, SWEEP_MIN_AGE);
        snapshots.sweep(snapshotFiles, SWEEP_MIN_AGE);
        sweepStaging();
    }

    /** Removes export/import staging folders left by a process killed mid-way. */
    private void sweepStaging() {
        java.time.Instant cutoff = java.time.Instant.now().minus(SWEEP_MIN_AGE);
        try (java.util.stream.Stream<java.nio.file.Path> dirs = Files.list(dir.root())) {
            for (java.nio.file.Path d : dirs.filter(p -> p.getFileName().toString().startsWith(".staging-")).toList()) {
                if (Files.getLastModifiedTime(d).toInstant().isBefore(cutoff)) {
                    try (java.util.stream.Stream<java.nio.file.Path> walk = Files.walk(d)) {
                        for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // housekeeping only
        }
    }

    /** File names referenced by the rows {@code sql} selects. */
    Set<String> referenced(String sql) {
        return db.read("listing stored files", c -> {
            Set<String> s = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    s.add(rs.getString(1));
                }
            }
            return s;
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
