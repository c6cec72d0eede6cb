package io.tinyreid.app.settings;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.tinyreid.app.store.Database;
import io.tinyreid.app.store.StoreException;

/**
 * Household settings: a small key/value table in the database (keys are lowercase dotted words).
 * Well-known keys are constants here; other modules may add their own under their own prefix.
 */
public final class Settings {
    /** The active descriptor model id (default {@code facereid}). */
    public static final String MODEL = "model";
    /** Prefix of per-model accept-threshold overrides: {@code threshold.<model-id>}. */
    public static final String THRESHOLD_PREFIX = "threshold.";
    /** How often a stranger may be named: strict | balanced | lenient | 1/N (default balanced). */
    public static final String STRANGERS_NAMED = "strangers.named";
    /** Most strangers kept (default 50). */
    public static final String STRANGERS_CAP = "strangers.cap";
    /** Strangers not seen for this many days are forgotten (default 30). */
    public static final String STRANGERS_MAX_AGE_DAYS = "strangers.max-age-days";
    /** Events older than this many days are deleted with their snapshots (default 90). */
    public static final String EVENTS_MAX_AGE_DAYS = "events.max-age-days";

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int MAX_VALUE = 4096;

    private final Database db;

    public Settings(Database db) {
        this.db = db;
    }

    /** The value of {@code key}, if set. */
    public Optional<String> get(String key) {
        checkKey(key);
        return db.read("reading setting " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** The value of {@code key}, or {@code fallback}. */
    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    /** An integer setting, or {@code fallback}; a stored value that is not a number is an error. */
    public int getInt(String key, int fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new StoreException(StoreException.Reason.INVALID, "setting " + key + " = '" + v.get()
                    + "' is not a whole number");
        }
    }

    /** Sets {@code key} (committed when this returns). */
    public void set(String key, String value) {
        checkKey(key);
        if (value == null || value.length() > MAX_VALUE) {
            throw new StoreException(StoreException.Reason.INVALID, "setting " + key + " needs a value of at most "
                    + MAX_VALUE + " characters");
        }
        db.write("saving setting " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Removes {@code key}, returning to its default. */
    public void remove(String key) {
        checkKey(key);
        db.write("removing setting " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Every stored setting, sorted by key. */
    public Map<String, String> all() {
        return db.read("reading settings", c -> {
            Map<String, String> m = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM settings");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getString(2));
                }
            }
            return Collections.unmodifiableMap(m);
        });
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new StoreException(StoreException.Reason.INVALID, "setting name '" + key
                    + "' must be 1-64 characters of a-z 0-9 . _ -");
        }
    }
}
