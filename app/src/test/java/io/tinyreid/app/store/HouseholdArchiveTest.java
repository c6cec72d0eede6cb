package io.tinyreid.app.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;

class HouseholdArchiveTest {
    static final int ALEX = 0xAA0000, FRANCESCO = 0x00AA00, LENA = 0x0000AA;

    @TempDir Path tmp;
    ColourCodedEngine faces;
    Path archive;

    @BeforeEach
    void household() {
        faces = new ColourCodedEngine(FaceModel.FACEREID)
                .register(ALEX, KnownFaces.person(0))
                .register(FRANCESCO, KnownFaces.person(1))
                .register(LENA, KnownFaces.person(2));
        archive = tmp.resolve("household.zip");
        try (Household h = Household.open(new DataDirectory(tmp.resolve("home")))) {
            h.gallery().enrol(faces.engine(), "Alex", List.of(
                    new PhotoInput("a1", ColourCodedEngine.photo(ALEX, 64, 64)),
                    new PhotoInput("a2", ColourCodedEngine.photo(ALEX, 80, 64))), Progress.NONE);
            h.gallery().enrol(faces.engine(), "Francesco",
                    List.of(new PhotoInput("f", ColourCodedEngine.photo(FRANCESCO, 64, 64))), Progress.NONE);
            h.gallery().recordStranger(KnownFaces.person(2),
                    new FacePhoto(ColourCodedEngine.photo(LENA, 64, 64), new FaceBox(16, 16, 32, 32, 1)));
            h.settings().set("mqtt.password", "secret");
            h.events().append(io.tinyreid.app.events.NewEvent.stranger(java.time.Instant.now(),
                    h.gallery().recordStranger(KnownFaces.person(2),
                            new FacePhoto(ColourCodedEngine.photo(LENA, 64, 64), new FaceBox(16, 16, 32, 32, 1))),
                    "facereid", null));
            List<int[]> progress = new ArrayList<>();
            HouseholdArchive.ExportReport r = new HouseholdArchive(h).export(archive,
                    (d, t, i) -> progress.add(new int[] {d, t}));
            assertEquals(2, r.people());
            assertEquals(1, r.strangers());
            assertEquals(5, r.photos());
            assertEquals(5, progress.size());
        }
    }

    @Test
    void exportThenImportIntoAnEmptyHouseholdRestoresPeopleStrangersAndPhotos() throws Exception {
        try (ZipFile z = new ZipFile(archive.toFile())) {
            List<String> names = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
            assertEquals("archive.properties", names.get(0));
            assertEquals("tinyreid.db", names.get(1));
            assertEquals(7, names.size());
        }
        try (Household fresh = Household.open(new DataDirectory(tmp.resolve("new")))) {
            HouseholdArchive.ImportReport r = new HouseholdArchive(fresh).importFrom(archive, Progress.NONE);
            assertEquals(new HouseholdArchive.ImportReport(2, 0, 5, 0, 1), r);
            assertEquals(List.of("Alex", "Francesco"), fresh.gallery().people().stream().map(Person::name).toList());
            Identification.Known k = assertInstanceOf(Identification.Known.class,
                    fresh.gallery().identify(KnownFaces.person(1)));
            assertEquals("Francesco", k.name());
            assertEquals(1, fresh.gallery().strangers().size());
            assertEquals(2, fresh.gallery().strangers().getFirst().sightings());
            assertFalse(fresh.gallery().recordStranger(KnownFaces.person(2),
                    new FacePhoto(ColourCodedEngine.photo(LENA, 64, 64), new FaceBox(16, 16, 32, 32, 1))).isNew());
            Person alex = fresh.gallery().personNamed("Alex").orElseThrow();
            assertArrayEquals(ColourCodedEngine.photo(ALEX, 64, 64),
                    fresh.gallery().photoBytes(fresh.gallery().photosOf(alex.id()).getFirst().id()));
            // secrets and history are not exported
            assertTrue(fresh.settings().get("mqtt.password").isEmpty());
            assertEquals(0, fresh.events().count());

            // Importing again adds nothing but the strangers (who have no name to merge on).
            HouseholdArchive.ImportReport again = new HouseholdArchive(fresh).importFrom(archive, Progress.NONE);
            assertEquals(0, again.peopleCreated());
            assertEquals(3, again.photosAlreadyPresent());
            assertEquals(3, fresh.gallery().photosOf(alex.id()).size() + 1);
        }
    }

    @Test
    void importMergesPeopleByName() {
        try (Household other = Household.open(new DataDirectory(tmp.resolve("other")))) {
            other.gallery().enrol(faces.engine(), "alex",
                    List.of(new PhotoInput("a3", ColourCodedEngine.photo(ALEX, 100, 64))), Progress.NONE);
            HouseholdArchive.ImportReport r = new HouseholdArchive(other).importFrom(archive, Progress.NONE);
            assertEquals(1, r.peopleCreated());
            assertEquals(1, r.peopleMerged());
            Person alex = other.gallery().personNamed("Alex").orElseThrow();
            assertEquals("alex", alex.name());
            assertEquals(3, alex.photoCount());
        }
    }

    // ------------------------------------------------------------ hostile and wrong archives

    Path rewrite(String name, java.util.function.BiConsumer<ZipFile, ZipOutputStream> body) throws Exception {
        Path out = tmp.resolve(name);
        try (ZipFile in = new ZipFile(archive.toFile()); OutputStream o = Files.newOutputStream(out);
             ZipOutputStream z = new ZipOutputStream(o)) {
            body.accept(in, z);
        }
        return out;
    }

    static void copyAll(ZipFile in, ZipOutputStream z, java.util.function.Predicate<String> keep) {
        try {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (keep.test(entry.getName())) {
                    z.putNextEntry(new ZipEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(z);
                    z.closeEntry();
                }
            }
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static void put(ZipOutputStream z, String name, byte[] bytes) {
        try {
            z.putNextEntry(new ZipEntry(name));
            z.write(bytes);
            z.closeEntry();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    int victims;

    StoreException refused(Path bad) throws java.io.IOException {
        Path home = tmp.resolve("victim" + (++victims));
        try (Household h = Household.open(new DataDirectory(home))) {
            h.gallery().enrol(faces.engine(), "Existing",
                    List.of(new PhotoInput("e", ColourCodedEngine.photo(LENA, 64, 64))), Progress.NONE);
        }
        StoreException e;
        try (Household h = Household.open(new DataDirectory(home))) {
            e = assertThrows(StoreException.class, () -> new HouseholdArchive(h,
                    new HouseholdArchive.Limits(1L << 30, 100, 1L << 20, 8L << 20)).importFrom(bad, Progress.NONE));
            assertEquals(StoreException.Reason.INVALID, e.reason(), e.getMessage());
            // nothing changed, nothing left behind
            assertEquals(List.of("Existing"), h.gallery().people().stream().map(Person::name).toList());
            assertEquals(0, h.gallery().strangers().size());
        }
        try (var files = Files.list(home)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".staging")));
        }
        try (var files = Files.list(home.resolve("photos"))) {
            assertEquals(1, files.count());
        }
        return e;
    }

    @Test
    void zipSlipEntriesAreRefused() throws Exception {
        for (String evil : List.of("../evil.png", "photos/../../evil.png", "/tmp/evil.png", "photos/..\\evil.png",
                "photos/0123456789abcdef0123456789abcdef.png/../../x")) {
            Path bad = rewrite("slip.zip", (in, z) -> {
                copyAll(in, z, n -> true);
                put(z, evil, ColourCodedEngine.photo(ALEX, 10, 10));
            });
            StoreException e = refused(bad);
            assertTrue(e.getMessage().contains("unexpected entry"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("evil.png")));
            assertFalse(Files.exists(Path.of("/tmp/evil.png")));
        }
    }

    @Test
    void wrongArchivesAreRefused() throws Exception {
        Path notZip = tmp.resolve("notes.zip");
        Files.writeString(notZip, "hello");
        assertTrue(refused(notZip).getMessage().contains("not a readable zip archive"));

        Path noManifest = rewrite("other.zip", (in, z) -> copyAll(in, z, n -> !n.equals("archive.properties")));
        assertTrue(refused(noManifest).getMessage().contains("is not a TinyReID household export"));

        Path newer = rewrite("newer.zip", (in, z) -> {
            put(z, "archive.properties", "format=tinyreid-household\nversion=9\nschema=1\n".getBytes(StandardCharsets.UTF_8));
            copyAll(in, z, n -> !n.equals("archive.properties"));
        });
        assertTrue(refused(newer).getMessage().contains("written by a newer TinyReID"));

        Path newerSchema = rewrite("schema.zip", (in, z) -> {
            put(z, "archive.properties", "format=tinyreid-household\nversion=1\nschema=42\n".getBytes(StandardCharsets.UTF_8));
            copyAll(in, z, n -> !n.equals("archive.properties"));
        });
        assertTrue(refused(newerSchema).getMessage().contains("has database schema 42"));

        Path missingPhoto = rewrite("missing.zip", (in, z) -> {
            boolean[] dropped = {false};
            copyAll(in, z, n -> {
                if (n.startsWith("photos/") && !dropped[0]) {
                    dropped[0] = true;
                    return false;
                }
                return true;
            });
        });
        assertTrue(refused(missingPhoto).getMessage().contains("is missing from the archive"));

        Path tampered = rewrite("tampered.zip", (in, z) -> {
            boolean[] done = {false};
            copyAll(in, z, n -> {
                if (n.startsWith("photos/") && !done[0]) {
                    done[0] = true;
                    put(z, n, ColourCodedEngine.photo(0x123456, 64, 64));
                    return false;
                }
                return true;
            });
        });
        assertTrue(refused(tampered).getMessage().contains("is damaged (format or checksum mismatch)"));

        Path badDb = rewrite("baddb.zip", (in, z) -> {
            copyAll(in, z, n -> !n.equals("tinyreid.db"));
            put(z, "tinyreid.db", "SQLite format 3\0 but then garbage".getBytes(StandardCharsets.UTF_8));
        });
        StoreException e = assertThrows(StoreException.class, () -> refusedAnyReason(badDb));
        assertTrue(e.reason() == StoreException.Reason.CORRUPT || e.reason() == StoreException.Reason.INVALID, e.getMessage());
    }

    void refusedAnyReason(Path bad) {
        try (Household h = Household.open(new DataDirectory(tmp.resolve("victim2")))) {
            new HouseholdArchive(h).importFrom(bad, Progress.NONE);
        }
    }

    @Test
    void oversizedEntriesAndZipBombsAreRefusedByWhatIsReadNotWhatIsDeclared() throws Exception {
        Path bomb = rewrite("bomb.zip", (in, z) -> {
            copyAll(in, z, n -> true);
            put(z, "photos/0123456789abcdef0123456789abcdef.png", new byte[3 << 20]); // compresses to a few KiB
        });
        assertTrue(Files.size(bomb) < 200_000);
        assertTrue(refused(bomb).getMessage().contains("is larger than its 1024 KiB limit"));

        Path many = rewrite("many.zip", (in, z) -> {
            copyAll(in, z, n -> true);
            for (int i = 0; i < 150; i++) {
                put(z, String.format("photos/%032x.png", i), new byte[] {1});
            }
        });
        assertTrue(refused(many).getMessage().contains("entries, more than the limit of 100"));
    }
}
