package io.tinyreid.app.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.tinyreid.app.photo.PhotoFormat;
import io.tinyreid.app.settings.Settings;
import io.tinyreid.app.store.Database;
import io.tinyreid.app.store.FileVault;
import io.tinyreid.app.store.StoreException;

/**
 * The history of the door: events with optional snapshots (files beside the database). Appends are
 * durable when {@link #append} returns; listeners (notifications, live UI) are told after commit.
 */
public final class EventStore {
    /** Largest snapshot accepted. */
    public static final int MAX_SNAPSHOT_BYTES = 4 << 20;
    /** Default retention in days. */
    public static final int DEFAULT_MAX_AGE_DAYS = 90;
    private static final int PRUNE_EVERY = 100;

    private final Database db;
    private final FileVault snapshots;
    private final Settings settings;
    private final Clock clock;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private int appendsSincePrune;

    public EventStore(Database db, FileVault snapshots, Settings settings, Clock clock) {
        this.db = db;
        this.snapshots = snapshots;
        this.settings = settings;
        this.clock = clock;
    }

    /** Calls {@code listener} with every event appended from now on (on the appending thread; keep it quick). */
    public void addListener(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(Consumer<Event> listener) {
        listeners.remove(listener);
    }

    /**
     * Appends an event (snapshot file first, then the row); returns it once committed. A person
     * removed meanwhile (identified a moment before) is recorded by name only.
     */
    public Event append(NewEvent e) {
        String file = null;
        if (e.snapshot() != null) {
            if (e.snapshot().length > MAX_SNAPSHOT_BYTES) {
                throw new StoreException(StoreException.Reason.INVALID, "snapshot of " + e.snapshot().length
                        + " bytes is over the " + MAX_SNAPSHOT_BYTES + " byte limit");
            }
            PhotoFormat f = PhotoFormat.sniff(e.snapshot()).filter(x -> x != PhotoFormat.PGM).orElseThrow(() ->
                    new StoreException(StoreException.Reason.INVALID, "a snapshot must be a JPEG or PNG"));
            file = snapshots.store(e.snapshot(), f.extension());
        }
        String snapshotFile = file;
        long id;
        try {
            id = db.write("recording an event", c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO events(at, kind, person_id, stranger_id, label, distance, model_id, snapshot)
                        VALUES (?, ?, (SELECT id FROM people WHERE id = ?), ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, e.at().toEpochMilli());
                    ps.setString(2, e.kind().name());
                    ps.setObject(3, e.personId());
                    ps.setObject(4, e.strangerId());
                    ps.setString(5, e.label());
                    ps.setObject(6, Double.isFinite(e.distance()) ? e.distance() : null);
                    ps.setString(7, e.modelId());
                    ps.setString(8, snapshotFile);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
        } catch (RuntimeException ex) {
            if (snapshotFile != null) {
                snapshots.delete(snapshotFile);
            }
            throw ex;
        }
        Event stored = event(id).orElseThrow();
        for (Consumer<Event> l : listeners) {
            try {
                l.accept(stored);
            } catch (RuntimeException ignored) {
                // a failing listener (e.g. an unreachable broker) must not lose or fail the event
            }
        }
        if (++appendsSincePrune >= PRUNE_EVERY) {
            appendsSincePrune = 0;
            prune();
        }
        return stored;
    }

    /** One event. */
    public Optional<Event> event(long id) {
        return db.read("reading an event", c -> select(c, "e.id = ?", List.of(id), 1)).stream().findFirst();
    }

    /** Events matching {@code q}, newest first. */
    public List<Event> query(EventQuery q) {
        StringBuilder where = new StringBuilder("1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.personId() != null) {
            where.append(" AND e.person_id = ?");
            args.add(q.personId());
        }
        if (q.kind() != null) {
            where.append(" AND e.kind = ?");
            args.add(q.kind().name());
        }
        if (q.from() != null) {
            where.append(" AND e.at >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            where.append(" AND e.at < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.beforeId() != null) {
            where.append(" AND e.id < ?");
            args.add(q.beforeId());
        }
        return db.read("reading the history", c -> select(c, where.toString(), args, q.limit()));
    }

    /** The snapshot of an event, if it has one. */
    public Optional<byte[]> snapshot(long eventId) {
        Optional<String> file = db.read("reading an event", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT snapshot FROM events WHERE id = ?")) {
                ps.setLong(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        return file.map(snapshots::read);
    }

    /** Number of events stored. */
    public long count() {
        return db.read("counting events", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Deletes events (and snapshots) older than the retention setting; returns how many. */
    public int prune() {
        int days = Math.max(1, settings.getInt(Settings.EVENTS_MAX_AGE_DAYS, DEFAULT_MAX_AGE_DAYS));
        long cutoff = clock.instant().minus(Duration.ofDays(days)).toEpochMilli();
        List<String> files = db.write("pruning old events", c -> {
            List<String> f = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT snapshot FROM events WHERE at < ? AND snapshot IS NOT NULL")) {
                ps.setLong(1, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        f.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE at < ?")) {
                ps.setLong(1, cutoff);
                ps.executeUpdate();
            }
            return f;
        });
        files.forEach(snapshots::delete);
        return files.size();
    }

    private static List<Event> select(Connection c, String where, List<Object> args, int limit) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT e.id, e.at, e.kind, e.person_id, e.stranger_id, COALESCE(p.name, e.label), e.distance,
                       e.model_id, e.snapshot IS NOT NULL
                FROM events e LEFT JOIN people p ON p.id = e.person_id
                WHERE\s""" + where + " ORDER BY e.id DESC LIMIT " + limit)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(4);
                    Long person = rs.wasNull() ? null : pid;
                    long sid = rs.getLong(5);
                    Long stranger = rs.wasNull() ? null : sid;
                    double dist = rs.getDouble(7);
                    if (rs.wasNull()) {
                        dist = Double.POSITIVE_INFINITY;
                    }
                    out.add(new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), EventKind.valueOf(rs.getString(3)),
                            person, stranger, rs.getString(6), dist, rs.getString(8), rs.getBoolean(9)));
                }
            }
        }
        return out;
    }
}
