package io.tinyreid.app.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.TmpfsMount;

/** Corrupt databases, newer schemas and full disks: clear errors, nothing committed lost. */
class StoreFailureTest {
    @TempDir Path tmp;

    static Descriptor descriptor(int seed) {
        java.util.Random r = new java.util.Random(seed);
        short[] v = new short[512];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (r.nextInt(20001) - 10000);
        }
        return new Descriptor.Int16(v);
    }

    @Test
    void freshDatabaseUsesWalAndTheLatestSchema() throws Exception {
        try (Household h = Household.open(new DataDirectory(tmp))) {
            assertEquals(Schema.latest(), h.database().schemaVersion());
            String mode = h.database().read("x", c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertEquals("wal", mode);
            int sync = h.database().read("x", c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA synchronous")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertEquals(2, sync); // FULL
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedClearlyAndLeftAlone() throws Exception {
        Files.writeString(tmp.resolve("tinyreid.db"), "these are my holiday notes, not a database");
        byte[] before = Files.readAllBytes(tmp.resolve("tinyreid.db"));
        StoreException e = assertThrows(StoreException.class, () -> Household.open(new DataDirectory(tmp)));
        assertEquals(StoreException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("is not a SQLite database"), e.getMessage());
        assertTrue(e.getMessage().contains("tinyreid people import"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("tinyreid.db")));
    }

    @Test
    void aDamagedDatabaseIsReportedAsDamaged() throws Exception {
        ColourCodedEngine faces = new ColourCodedEngine(FaceModel.FACEREID);
        try (Household h = Household.open(new DataDirectory(tmp))) {
            for (int i = 0; i < 40; i++) {
                faces.register(0x100000 + i, descriptor(i));
                h.gallery().enrol(faces.engine(), "P" + i,
                        List.of(new PhotoInput("p", ColourCodedEngine.photo(0x100000 + i, 64, 64))), Progress.NONE);
            }
            h.database().read("checkpoint", c -> {
                try (var s = c.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
        }
        Path db = tmp.resolve("tinyreid.db");
        long size = Files.size(db);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            // Keep the header page, scribble over every later page's header: b-tree pages become garbage.
            for (long page = 4096; page < size; page += 4096) {
                f.seek(page);
                f.write(new byte[] {(byte) 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77});
            }
        }
        StoreException e = assertThrows(StoreException.class, () -> Household.open(new DataDirectory(tmp)));
        assertEquals(StoreException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aDatabaseFromANewerVersionIsRefused() throws Exception {
        try (Household h = Household.open(new DataDirectory(tmp))) {
            h.database().write("pretend", c -> {
                try (var s = c.createStatement()) {
                    s.execute("PRAGMA user_version = 99");
                }
                return null;
            });
        }
        StoreException e = assertThrows(StoreException.class, () -> Household.open(new DataDirectory(tmp)));
        assertEquals(StoreException.Reason.NEWER_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("schema version 99, written by a newer TinyReID"), e.getMessage());
    }

    @Test
    void aFullDatabaseRollsBackAndKeepsEverythingCommitted() {
        ColourCodedEngine faces = new ColourCodedEngine(FaceModel.FACEREID);
        try (Household h = Household.open(new DataDirectory(tmp))) {
            faces.register(0x123456, descriptor(1));
            h.gallery().enrol(faces.engine(), "Kept",
                    List.of(new PhotoInput("k", ColourCodedEngine.photo(0x123456, 64, 64))), Progress.NONE);
            int pages = h.database().read("x", c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            h.database().write("limit", c -> {
                try (var s = c.createStatement()) {
                    s.execute("PRAGMA max_page_count = " + pages);
                }
                return null;
            });
            StoreException full = null;
            for (int i = 0; i < 200 && full == null; i++) {
                try {
                    h.events().append(new NewEvent(Instant.now(), EventKind.STRANGER, null, null, "x".repeat(2000),
                            1, "facereid", null));
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "the database never filled up");
            assertEquals(StoreException.Reason.DISK_FULL, full.reason());
            assertTrue(full.getMessage().startsWith("disk full while recording an event"), full.getMessage());
            assertTrue(full.getMessage().contains("nothing was changed"), full.getMessage());
            assertInstanceOfKnown(h.gallery().identify(descriptor(1)));
        }
        try (Household h = Household.open(new DataDirectory(tmp))) {
            assertEquals("Kept", h.gallery().people().getFirst().name());
        }
    }

    @Test
    void aFullDiskGivesAClearErrorAndLosesNothing() throws Exception {
        ColourCodedEngine faces = new ColourCodedEngine(FaceModel.FACEREID);
        for (int i = 0; i < 400; i++) {
            faces.register(0x200000 + i, descriptor(i));
        }
        try (TmpfsMount disk = TmpfsMount.mount(tmp, 2048)) {
            DataDirectory dir = new DataDirectory(disk.dir().resolve("household"));
            int enrolled = 0;
            int events = 0;
            int snapshotEvents = 0;
            byte[] snapshot = ColourCodedEngine.photo(0x202020, 160, 120);
            StoreException enrolFull = null;
            StoreException eventFull = null;
            try (Household h = Household.open(dir)) {
                for (int i = 0; i < 400 && (enrolFull == null || eventFull == null); i++) {
                    if (enrolFull == null) {
                        EnrolReport r;
                        try {
                            // a larger photo each time so the photo files fill the disk
                            r = h.gallery().enrol(faces.engine(), "P" + i,
                                    List.of(new PhotoInput("p", noisyPhoto(0x200000 + i))), Progress.NONE);
                            if (r.acceptedCount() == 1) {
                                enrolled++;
                            }
                        } catch (StoreException e) {
                            enrolFull = e;
                        }
                    }
                    try {
                        h.events().append(new NewEvent(Instant.now(), EventKind.STRANGER, null, null, "s", 1,
                                "facereid", snapshot));
                        events++;
                        snapshotEvents++;
                    } catch (StoreException e) {
                        eventFull = e;
                    }
                }
                // Without files to preflight, SQLite itself meets the full disk (ENOSPC -> SQLITE_FULL).
                StoreException sqliteFull = null;
                for (int i = 0; i < 5000 && sqliteFull == null; i++) {
                    try {
                        h.events().append(new NewEvent(Instant.now(), EventKind.STRANGER, null, null, "y".repeat(1000), 1,
                                "facereid", null));
                        events++;
                    } catch (StoreException e) {
                        sqliteFull = e;
                    }
                }
                assertTrue(sqliteFull != null, "SQLite never met the full disk");
                assertEquals(StoreException.Reason.DISK_FULL, sqliteFull.reason(), sqliteFull.getMessage());
                assertTrue(sqliteFull.getMessage().startsWith("disk full while recording an event"), sqliteFull.getMessage());
            }
            assertTrue(enrolFull != null && eventFull != null, "the 2 MiB disk never filled up: " + enrolled
                    + " enrolled, " + events + " events, " + enrolFull + " / " + eventFull + ", free " + Files.getFileStore(disk.dir()).getUsableSpace());
            assertEquals(StoreException.Reason.DISK_FULL, enrolFull.reason(), enrolFull.getMessage());
            assertEquals(StoreException.Reason.DISK_FULL, eventFull.reason(), eventFull.getMessage());
            assertTrue(enrolFull.getMessage().contains("disk full"), enrolFull.getMessage());
            assertTrue(enrolled > 0 && events > 0);

            disk.resize(8192);
            try (Household h = Household.open(dir)) {
                assertEquals(enrolled, h.gallery().people().size());
                assertEquals(events, h.events().count());
                for (int i = 0; i < enrolled; i++) {
                    assertInstanceOfKnown(h.gallery().identify(descriptor(i)));
                }
                int withSnapshot = 0;
                for (var e : h.events().query(EventQuery.latest(500))) {
                    if (e.hasSnapshot()) {
                        withSnapshot++;
                        assertArrayEquals(snapshot, h.events().snapshot(e.id()).orElseThrow());
                    }
                }
                assertEquals(snapshotEvents, withSnapshot);
                // and it works again once there is space
                h.events().append(new NewEvent(Instant.now(), EventKind.STRANGER, null, null, "s", 1, "facereid", null));
            }
        }
    }

    static byte[] noisyPhoto(int rgb) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(200, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(rgb);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 200, 200);
        for (int y = 30; y < 170; y++) {
            for (int x = 30; x < 170; x++) {
                img.setRGB(x, y, r.nextInt(0xFFFFFF));
            }
        }
        g.setColor(new java.awt.Color(rgb));
        g.fillRect(40, 40, 120, 120);
        g.dispose();
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertInstanceOfKnown(Identification id) {
        assertTrue(id instanceof Identification.Known, id.toString());
    }
}
