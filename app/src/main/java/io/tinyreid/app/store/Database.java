package io.tinyreid.app.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The household's SQLite database: WAL journal, {@code synchronous=FULL} (a committed transaction
 * survives a killed process and a power cut), foreign keys on, schema migrated on open. One
 * connection, used by one thread at a time; other processes may open the same file concurrently.
 */
public final class Database implements AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private int depth;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating if needed) and migrates the database at {@code file}. */
    public static Database open(Path file) {
        checkHeader(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection c;
        try {
            c = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw translate(e, "opening the database " + file, file);
        }
        Database db = new Database(file, c);
        try {
            db.verify();
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction; on any failure nothing of it is kept. */
    public <T> T write(String doing, SqlWork<T> work) {
        lock.lock();
        try {
            if (depth > 0) { // already inside a transaction of ours: join it
                return run(doing, work);
            }
            depth++;
            try {
                connection.setAutoCommit(false);
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e instanceof StoreException se ? se : translate(e, doing, file);
            } finally {
                depth--;
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the next call reports it
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs read-only {@code work} (a consistent snapshot per statement). */
    public <T> T read(String doing, SqlWork<T> work) {
        lock.lock();
        try {
            return run(doing, work);
        } finally {
            lock.unlock();
        }
    }

    /** SQLite's data_version: changes when another connection (process) commits to the file. */
    public long dataVersion() {
        return read("checking for changes", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The schema version recorded in the file. */
    public int schemaVersion() {
        return read("reading the schema version", Database::userVersion);
    }

    private <T> T run(String doing, SqlWork<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(e, doing, file);
        }
    }

    private void verify() {
        String result = read("checking the database", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                return rs.next() ? rs.getString(1) : "no result";
            }
        });
        if (!"ok".equals(result)) {
            throw new StoreException(StoreException.Reason.CORRUPT, "the database " + file + " is damaged (SQLite: "
                    + result + "); restore it from an export ('tinyreid people import') or move it aside to start afresh");
        }
    }

    private void migrate() {
        int version = schemaVersion();
        int latest = Schema.latest();
        if (version > latest) {
            throw new StoreException(StoreException.Reason.NEWER_SCHEMA, "the database " + file + " has schema version "
                    + version + ", written by a newer TinyReID (this one knows up to " + latest + "); upgrade TinyReID");
        }
        for (int v = version; v < latest; v++) {
            int target = v + 1;
            String[] statements = Schema.MIGRATIONS.get(v);
            write("migrating the database to schema version " + target, c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : statements) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + target);
                }
                return null;
            });
        }
    }

    private static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void checkHeader(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return;
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(SQLITE_MAGIC.length);
            }
            if (!Arrays.equals(head, SQLITE_MAGIC)) {
                throw new StoreException(StoreException.Reason.CORRUPT, file + " is not a SQLite database (damaged or "
                        + "overwritten); restore it from an export ('tinyreid people import') or move it aside to start afresh");
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what the user needs to see
        }
    }

    /** Maps an SQLite failure to a {@link StoreException} that says what happened and what to do. */
    static StoreException translate(Exception e, String doing, Path file) {
        if (e instanceof StoreException se) {
            return se;
        }
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xff;
            return switch (primary) {
                case 13 -> new StoreException(StoreException.Reason.DISK_FULL, "disk full while " + doing + " (" + file
                        + "); nothing was changed. Free some space and try again", e);
                case 11, 26 -> new StoreException(StoreException.Reason.CORRUPT, "the database " + file
                        + " is damaged or not a TinyReID database (while " + doing + "); restore it from an export", e);
                case 5, 6 -> new StoreException(StoreException.Reason.BUSY, "the database " + file
                        + " is busy (another TinyReID process is writing); try again", e);
                case 19 -> new StoreException(StoreException.Reason.INVALID, "refused while " + doing + ": "
                        + se.getMessage(), e);
                case 8, 14 -> new StoreException(StoreException.Reason.IO, "cannot write the database " + file
                        + " while " + doing + " (read-only or cannot be opened: check permissions)", e);
                default -> new StoreException(StoreException.Reason.IO, "database error while " + doing + ": "
                        + se.getMessage(), e);
            };
        }
        return new StoreException(StoreException.Reason.IO, "failed while " + doing + ": " + e, e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing left to save
        } finally {
            lock.unlock();
        }
    }
}
