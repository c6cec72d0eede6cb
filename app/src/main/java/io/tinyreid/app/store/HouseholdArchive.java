package io.tinyreid.app.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorFormat;
import io.tinyreid.app.face.FaceModels;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.photo.PhotoFormat;

/**
 * Export of a household (people, strangers, their photos and descriptors; not history or settings,
 * which may hold secrets) to one zip, and import of such a zip into a household, merging people by
 * name and skipping photos already present. An archive is validated entirely before anything is
 * imported: entry names (no paths of its own reach the file system), sizes actually read (not the
 * sizes it declares), the format and schema version, the database's integrity, every photo's
 * signature and checksum, every descriptor's size.
 */
public final class HouseholdArchive {
    /** Archive format version written by this build. */
    public static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "archive.properties";
    static final String DATABASE = "tinyreid.db";
    static final String PHOTOS = "photos/";
    private static final String FORMAT_NAME = "tinyreid-household";

    /** Bounds on what an import will read. */
    public record Limits(long maxArchiveBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        /** 2 GiB archive, 20,000 entries, 64 MiB per photo, 512 MiB database, 4 GiB in all. */
        public static final Limits DEFAULT = new Limits(2L << 30, 20_000, 64L << 20, 4L << 30);
    }

    /** What an import did. */
    public record ImportReport(int peopleCreated, int peopleMerged, int photosImported, int photosAlreadyPresent,
                               int strangersImported) {}

    /** What an export wrote. */
    public record ExportReport(Path file, int people, int photos, int strangers, long bytes) {}

    private final Household household;
    private final Limits limits;

    public HouseholdArchive(Household household, Limits limits) {
        this.household = household;
        this.limits = limits;
    }

    public HouseholdArchive(Household household) {
        this(household, Limits.DEFAULT);
    }

    // ---------------------------------------------------------------- export

    /** Writes the household to {@code target} (replaced atomically when complete). */
    public ExportReport export(Path target, Progress progress) {
        Path dir = household.directory().root();
        Path staging = newStaging(dir);
        Path tmpZip = target.toAbsolutePath().resolveSibling(target.getFileName() + ".partial");
        try {
            Path copy = staging.resolve(DATABASE);
            household.database().read("copying the database for export", c -> {
                try (PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                    ps.setString(1, copy.toString());
                    ps.execute();
                }
                return null;
            });
            List<String> files = new ArrayList<>();
            int people;
            int strangers;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                 Statement s = c.createStatement()) {
                s.execute("DELETE FROM events");
                s.execute("DELETE FROM settings");
                s.execute("VACUUM");
                try (ResultSet rs = s.executeQuery("SELECT file FROM photos ORDER BY id")) {
                    while (rs.next()) {
                        files.add(rs.getString(1));
                    }
                }
                people = count(s, "SELECT COUNT(*) FROM people");
                strangers = count(s, "SELECT COUNT(*) FROM strangers");
            }
            Properties manifest = new Properties();
            manifest.setProperty("format", FORMAT_NAME);
            manifest.setProperty("version", Integer.toString(FORMAT_VERSION));
            manifest.setProperty("schema", Integer.toString(Schema.latest()));
            manifest.setProperty("created", Instant.now().toString());
            manifest.setProperty("people", Integer.toString(people));
            manifest.setProperty("photos", Integer.toString(files.size()));
            manifest.setProperty("strangers", Integer.toString(strangers));
            try (OutputStream fileOut = Files.newOutputStream(tmpZip);
                 ZipOutputStream zip = new ZipOutputStream(fileOut)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                manifest.store(new java.io.OutputStreamWriter(zip, StandardCharsets.UTF_8), "TinyReID household export");
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(DATABASE));
                Files.copy(copy, zip);
                zip.closeEntry();
                int done = 0;
                for (String f : files) {
                    zip.putNextEntry(new ZipEntry(PHOTOS + f));
                    Files.copy(household.photos().resolve(f), zip);
                    zip.closeEntry();
                    progress.update(++done, files.size(), f);
                }
            }
            try (var ch = java.nio.channels.FileChannel.open(tmpZip, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmpZip, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ExportReport(target, people, files.size(), strangers, Files.size(target));
        } catch (SQLException e) {
            throw Database.translate(e, "exporting the household", household.directory().database());
        } catch (IOException e) {
            throw FileVault.ioFailure("writing the export " + target, e);
        } finally {
            deleteQuietly(tmpZip);
            deleteTree(staging);
        }
    }

    // ---------------------------------------------------------------- import

    /** Validates {@code archive} completely, then merges it into the household. */
    public ImportReport importFrom(Path archive, Progress progress) {
        Path staging = newStaging(household.directory().root());
        try {
            Staged staged = unpack(archive, staging);
            try (Database source = Database.open(staged.database)) {
                List<SourcePhoto> photos = validate(archive, source, staged);
                return merge(source, photos, staging, progress);
            }
        } finally {
            deleteTree(staging);
        }
    }

    private record Staged(Path database, Set<String> photoFiles) {}

    private record SourcePhoto(long id, Long personId, Long strangerId, String file, String sha256, String format,
                               int width, int height, int bx, int by, int bw, int bh, long addedAt) {}

    private record StoredDescriptor(String modelId, String format, byte[] data) {}

    private Staged unpack(Path archive, Path staging) {
        String what = "'" + archive.getFileName() + "'";
        try {
            if (!Files.isRegularFile(archive)) {
                throw invalid(what + " is not a file");
            }
            if (Files.size(archive) > limits.maxArchiveBytes()) {
                throw invalid(what + " is larger than the " + (limits.maxArchiveBytes() >> 20) + " MiB import limit");
            }
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                if (zip.size() > limits.maxEntries()) {
                    throw invalid(what + " has " + zip.size() + " entries, more than the limit of " + limits.maxEntries());
                }
                Set<String> seen = new HashSet<>();
                Set<String> photoFiles = new HashSet<>();
                Properties manifest = null;
                boolean hasDb = false;
                long total = 0;
                Files.createDirectories(staging.resolve("photos"));
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    String name = e.getName();
                    if (!seen.add(name)) {
                        throw invalid(what + " contains '" + printable(name) + "' twice");
                    }
                    if (e.isDirectory()) {
                        if (!name.equals(PHOTOS)) {
                            throw invalid(what + " has an unexpected folder '" + printable(name) + "': not a TinyReID export");
                        }
                        continue;
                    }
                    Path out;
                    long max = limits.maxEntryBytes();
                    if (name.equals(MANIFEST)) {
                        out = staging.resolve(MANIFEST);
                        max = 64 * 1024;
                    } else if (name.equals(DATABASE)) {
                        out = staging.resolve(DATABASE);
                        max = 512L << 20;
                        hasDb = true;
                    } else if (name.startsWith(PHOTOS) && FileVault.isValidName(name.substring(PHOTOS.length()))) {
                        String file = name.substring(PHOTOS.length());
                        out = staging.resolve("photos").resolve(file); // a name we validated, never the entry's path
                        photoFiles.add(file);
                    } else {
                        throw invalid(what + " has an unexpected entry '" + printable(name) + "': not a TinyReID export");
                    }
                    try (InputStream in = zip.getInputStream(e)) {
                        total += copyBounded(in, out, max, what + " entry '" + name + "'");
                    }
                    if (total > limits.maxTotalBytes()) {
                        throw invalid(what + " unpacks to more than " + (limits.maxTotalBytes() >> 20) + " MiB");
                    }
                    if (name.equals(MANIFEST)) {
                        manifest = new Properties();
                        try (Reader r = new StringReader(Files.readString(out, StandardCharsets.UTF_8))) {
                            manifest.load(r);
                        }
                    }
                }
                if (manifest == null || !FORMAT_NAME.equals(manifest.getProperty("format"))) {
                    throw invalid(what + " is not a TinyReID household export (no " + MANIFEST + ")");
                }
                int version = parseInt(manifest.getProperty("version"), what + " version");
                if (version > FORMAT_VERSION) {
                    throw invalid(what + " was written by a newer TinyReID (archive version " + version
                            + "; this one reads up to " + FORMAT_VERSION + ")");
                }
                int schema = parseInt(manifest.getProperty("schema"), what + " schema");
                if (schema > Schema.latest() || schema < 1) {
                    throw invalid(what + " has database schema " + schema + "; this TinyReID reads 1.." + Schema.latest());
                }
                if (!hasDb) {
                    throw invalid(what + " has no " + DATABASE);
                }
                return new Staged(staging.resolve(DATABASE), photoFiles);
            }
        } catch (ZipException e) {
            throw invalid(what + " is not a readable zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw FileVault.ioFailure("reading " + archive, e);
        }
    }

    private List<SourcePhoto> validate(Path archive, Database source, Staged staged) {
        String what = "'" + archive.getFileName() + "'";
        return source.read("checking the archive", c -> {
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                    if (rs.next()) {
                        throw invalid(what + ": its database has broken links (table " + rs.getString(1) + ")");
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT name FROM people")) {
                    while (rs.next()) {
                        try {
                            Gallery.checkName(rs.getString(1));
                        } catch (StoreException e) {
                            throw invalid(what + ": a person's name is not acceptable (" + e.getMessage() + ")");
                        }
                    }
                }
                List<SourcePhoto> photos = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("""
                        SELECT id, person_id, stranger_id, file, sha256, format, width, height,
                               box_x, box_y, box_w, box_h, added_at FROM photos ORDER BY id""")) {
                    while (rs.next()) {
                        long pid = rs.getLong(2);
                        Long person = rs.wasNull() ? null : pid;
                        long sid = rs.getLong(3);
                        Long stranger = rs.wasNull() ? null : sid;
                        photos.add(new SourcePhoto(rs.getLong(1), person, stranger, rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getInt(11),
                                rs.getInt(12), rs.getLong(13)));
                    }
                }
                for (SourcePhoto p : photos) {
                    if (!FileVault.isValidName(p.file()) || !staged.photoFiles().contains(p.file())) {
                        throw invalid(what + ": photo #" + p.id() + " is missing from the archive");
                    }
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(staged.database().resolveSibling("photos").resolve(p.file()));
                    } catch (IOException e) {
                        throw FileVault.ioFailure("reading the unpacked archive", e);
                    }
                    PhotoFormat f = PhotoFormat.sniff(bytes).orElse(null);
                    if (f == null || !f.name().equals(p.format()) || !Gallery.sha256Of(bytes).equals(p.sha256())) {
                        throw invalid(what + ": photo #" + p.id() + " is damaged (format or checksum mismatch)");
                    }
                    if (p.width() <= 0 || p.height() <= 0 || p.bw() <= 0 || p.bh() <= 0 || p.bx() < 0 || p.by() < 0
                            || (long) p.bx() + p.bw() > p.width() || (long) p.by() + p.bh() > p.height()) {
                        throw invalid(what + ": photo #" + p.id() + " has an impossible face box");
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT photo_id, model_id, format, data FROM descriptors")) {
                    while (rs.next()) {
                        String model = rs.getString(2);
                        try {
                            Descriptor d = Descriptor.fromBytes(DescriptorFormat.valueOf(rs.getString(3)), rs.getBytes(4));
                            FaceModels.all().stream().filter(m -> m.id().equals(model) || model.startsWith(m.id() + "@")).findFirst().ifPresent(m -> {
                                if (!m.accepts(d)) {
                                    throw new IllegalArgumentException(d + " is not a " + model + " descriptor");
                                }
                            });
                        } catch (IllegalArgumentException | NullPointerException e) {
                            throw invalid(what + ": descriptor of photo #" + rs.getLong(1) + " is damaged ("
                                    + e.getMessage() + ")");
                        }
                    }
                }
                return photos;
            }
        });
    }

    private ImportReport merge(Database source, List<SourcePhoto> photos, Path staging, Progress progress) {
        Database db = household.database();
        FileVault vault = household.photos();
        int[] created = {0};
        int[] merged = {0};
        int imported = 0;
        int present = 0;
        int strangers = 0;
        java.util.Map<Long, Long> personMap = new java.util.HashMap<>();
        java.util.Map<Long, Long> strangerMap = new java.util.HashMap<>();
        int done = 0;
        for (SourcePhoto p : photos) {
            List<StoredDescriptor> descriptors = source.read("reading the archive", c -> {
                List<StoredDescriptor> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT model_id, format, data FROM descriptors WHERE photo_id = ?")) {
                    ps.setLong(1, p.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new StoredDescriptor(rs.getString(1), rs.getString(2), rs.getBytes(3)));
                        }
                    }
                }
                return out;
            });
            String[] ownerName = {null};
            long[] strangerRow = null;
            if (p.personId() != null) {
                ownerName[0] = source.read("reading the archive", c -> one(c, "SELECT name FROM people WHERE id = ?", p.personId()));
            } else {
                strangerRow = source.read("reading the archive", c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT first_seen, last_seen, sightings FROM strangers WHERE id = ?")) {
                        ps.setLong(1, p.strangerId());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                        }
                    }
                });
            }
            boolean duplicate = p.personId() != null && db.read("checking for duplicates", c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT COUNT(*) FROM photos f JOIN people pe ON pe.id = f.person_id
                        WHERE f.sha256 = ? AND pe.name = ? COLLATE NOCASE""")) {
                    ps.setString(1, p.sha256());
                    ps.setString(2, ownerName[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1) > 0;
                    }
                }
            });
            if (duplicate) {
                present++;
                progress.update(++done, photos.size(), p.file());
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(staging.resolve("photos").resolve(p.file()));
            } catch (IOException e) {
                throw FileVault.ioFailure("reading the unpacked archive", e);
            }
            String file = vault.store(bytes, PhotoFormat.valueOf(p.format()).extension());
            long[] sRow = strangerRow;
            try {
                boolean newStranger = db.write("importing a photo", c -> {
                    Long personId = null;
                    Long strangerId = null;
                    boolean madeStranger = false;
                    if (p.personId() != null) {
                        personId = personMap.get(p.personId());
                        if (personId == null) {
                            Long existing = oneLong(c, "SELECT id FROM people WHERE name = ? COLLATE NOCASE", ownerName[0]);
                            if (existing != null) {
                                merged[0]++;
                                personId = existing;
                            } else {
                                personId = insert(c, "INSERT INTO people(name, created_at) VALUES (?, ?)",
                                        ownerName[0], System.currentTimeMillis());
                                created[0]++;
                            }
                        }
                    } else {
                        strangerId = strangerMap.get(p.strangerId());
                        if (strangerId == null) {
                            strangerId = insert(c, "INSERT INTO strangers(first_seen, last_seen, sightings) VALUES (?, ?, ?)",
                                    sRow[0], sRow[1], sRow[2]);
                            madeStranger = true;
                        }
                    }
                    long photoId = insert(c, """
                            INSERT INTO photos(person_id, stranger_id, file, sha256, format, width, height,
                                               box_x, box_y, box_w, box_h, added_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", personId, strangerId, file, p.sha256(),
                            p.format(), p.width(), p.height(), p.bx(), p.by(), p.bw(), p.bh(), p.addedAt());
                    for (StoredDescriptor d : descriptors) {
                        insert(c, "INSERT INTO descriptors(photo_id, model_id, format, data) VALUES (?, ?, ?, ?)",
                                photoId, d.modelId(), d.format(), d.data());
                    }
                    // Remember the mapping only once committed rows exist (the maps outlive this transaction).
                    if (p.personId() != null) {
                        personMap.put(p.personId(), personId);
                    } else {
                        strangerMap.put(p.strangerId(), strangerId);
                    }
                    return madeStranger;
                });
                if (newStranger) {
                    strangers++;
                }
            } catch (RuntimeException e) {
                vault.delete(file);
                throw e;
            }
            imported++;
            progress.update(++done, photos.size(), p.file());
        }
        household.gallery().reload();
        return new ImportReport(created[0], merged[0], imported, present, strangers);
    }

    // ---------------------------------------------------------------- helpers

    private static long copyBounded(InputStream in, Path out, long max, String what) throws IOException {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream o = Files.newOutputStream(out)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
                if (n > max) {
                    throw invalid(what + " is larger than its " + (max >> 10) + " KiB limit");
                }
                o.write(buf, 0, r);
            }
        }
        return n;
    }

    private static String one(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Long oneLong(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int parseInt(String v, String what) {
        try {
            return Integer.parseInt(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw invalid(what + " is missing or not a number");
        }
    }

    private static String printable(String name) {
        String s = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static StoreException invalid(String message) {
        return new StoreException(StoreException.Reason.INVALID, message);
    }

    private static Path newStaging(Path root) {
        try {
            return Files.createTempDirectory(root, ".staging-");
        } catch (IOException e) {
            throw FileVault.ioFailure("creating a staging folder in " + root, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(HouseholdArchive::deleteQuietly);
        } catch (IOException ignored) {
            // a leftover staging folder is harmless
        }
    }
}
