package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;
import picocli.CommandLine;

/** The people/strangers/identify commands as a user runs them, with a stand-in engine. */
class PeopleCliTest {
    static final int ALEX = 0xAA0000, LENA = 0x0000AA;

    @TempDir Path tmp;
    Path data;
    ColourCodedEngine faces;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() {
        data = tmp.resolve("household");
        faces = new ColourCodedEngine(FaceModel.FACEREID)
                .register(ALEX, KnownFaces.person(0))
                .register(LENA, KnownFaces.person(2));
    }

    Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir=" + data);
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    Run people(String... args) {
        return run(new PeopleCommand(m -> faces.engine()), args);
    }

    Path write(String name, byte[] bytes) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void addListRenameRemoveWithReadableOutput() throws Exception {
        Path a1 = write("alex1.png", ColourCodedEngine.photo(ALEX, 120, 100));
        Path a2 = write("alex2.png", ColourCodedEngine.photo(ALEX, 100, 120));
        Path bad = write("broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        Run add = people("add", "Alex", a1.toString(), a2.toString(), bad.toString(), tmp.resolve("missing.png").toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("Enrolled 2 of 4 photo(s) for Alex (person #1, 2 photo(s) in all)."), add.out());
        assertTrue(add.out().contains("skipped " + tmp.resolve("missing.png") + ": no such file"), add.out());
        assertTrue(add.out().contains("broken.jpg: corrupt or truncated JPEG"), add.out());
        assertTrue(add.err().contains("enrolling [") && add.err().contains("3/3"), add.err());

        Path folder = Files.createDirectories(tmp.resolve("lena"));
        Files.write(folder.resolve("l1.png"), ColourCodedEngine.photo(LENA, 90, 90));
        Files.write(folder.resolve("notes.txt"), "not a photo".getBytes());
        Run lena = people("add", "Lena", folder.toString());
        assertEquals(0, lena.code(), lena.err());
        assertTrue(lena.out().contains("Enrolled 1 of 1 photo(s) for Lena"), lena.out());

        // The same command again adds nothing and is not an error; Alex's photos offered for Lena are.
        Run again = people("add", "Lena", folder.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("Nothing new: all 1 photo(s) are already enrolled for Lena (person #2, 1 photo(s) in all)."),
                again.out());
        Run stolen = people("add", "Lena", a1.toString());
        assertEquals(1, stolen.code(), stolen.out());
        assertTrue(stolen.out().contains("already enrolled for Alex") && stolen.out().contains("Nothing enrolled"), stolen.out());

        Run list = people("list");
        assertEquals(0, list.code());
        String[] lines = list.out().split("\n");
        assertTrue(lines[0].matches("ID\\s+NAME\\s+PHOTOS\\s+ADDED"), lines[0]);
        assertTrue(lines[1].matches("1\\s+Alex\\s+2\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"), lines[1]);
        assertTrue(lines[2].matches("2\\s+Lena\\s+1\\s+.*"), lines[2]);
        assertTrue(list.out().matches("(?s).*2 people; model facereid; strangers named: at most 1 in 100 \\(balanced\\): "
                + "named at similarity above \\d+% \\(distance < 0\\.\\d{3}, for 2 descriptors enrolled\\).*"), list.out());

        Run rename = people("rename", "alex", "Alexandra");
        assertEquals(0, rename.code(), rename.err());
        assertEquals("Renamed person #1: Alex -> Alexandra\n", rename.out());
        Run clash = people("rename", "1", "LENA");
        assertEquals(1, clash.code());
        assertEquals("error: someone is already called 'LENA'\n", clash.err());

        Run remove = people("remove", "Lena");
        assertEquals("Removed Lena (person #2) and 1 photo(s).\n", remove.out());
        Run missing = people("remove", "Lena");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("error: nobody is called 'Lena'"), missing.err());
    }

    @Test
    void switchingModelsReembedsWithProgress() throws Exception {
        people("add", "Alex", write("a.png", ColourCodedEngine.photo(ALEX, 100, 100)).toString(),
                write("b.png", ColourCodedEngine.photo(ALEX, 90, 100)).toString());
        float[] v = new float[128];
        v[5] = 1;
        ColourCodedEngine dlib = new ColourCodedEngine(FaceModel.DLIB_RESNET).register(ALEX, new io.tinyreid.app.face.Descriptor.Float32(v));
        Run show = run(new PeopleCommand(m -> faces.engine()), "model");
        assertTrue(show.out().startsWith("model facereid; strangers named: at most 1 in 100 (balanced)"), show.out());
        Run sw = run(new PeopleCommand(m -> m.equals(FaceModel.DLIB_RESNET) ? dlib.engine() : faces.engine()),
                "model", "dlib-resnet");
        assertEquals(0, sw.code(), sw.err());
        assertTrue(sw.out().startsWith("Now identifying with dlib-resnet: 2 photo(s) embedded, 0 already were."), sw.out());
        assertTrue(sw.out().contains("model dlib-resnet; strangers named: at most 1 in 100 (balanced)"), sw.out());
        assertTrue(sw.err().contains("embedding [") && sw.err().contains("2/2"), sw.err());
        Run bad = run(new PeopleCommand(m -> faces.engine()), "model", "resnet-9000");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: unknown model 'resnet-9000' (known: facereid, dlib-resnet)"), bad.err());
    }

    @Test
    void badInputGetsOneClearLineAndLosesNothing() throws Exception {
        people("add", "Alex", write("a.png", ColourCodedEngine.photo(ALEX, 100, 100)).toString());
        Path huge = write("huge.png", io.tinyreid.app.photo.PhotoDecoderTest.hugeBlackPng(10_000, 10_000));
        Run big = people("add", "Alex", huge.toString());
        assertEquals(1, big.code());
        assertTrue(big.out().contains("skipped " + huge + ": 10000x10000 is 100.0 megapixels, more than the 64 megapixel limit"),
                big.out());
        Path notZip = write("backup.zip", "not a zip".getBytes());
        Run imp = people("import", notZip.toString());
        assertEquals(1, imp.code());
        assertTrue(imp.err().startsWith("error: 'backup.zip' is not a readable zip archive"), imp.err());
        Run list = people("list");
        assertTrue(list.out().contains("Alex") && list.out().contains("1 people"), list.out());

        Path db = data.resolve("tinyreid.db");
        byte[] good = Files.readAllBytes(db);
        Files.writeString(db, "overwritten by accident");
        Run corrupt = people("list");
        assertEquals(1, corrupt.code());
        assertTrue(corrupt.err().startsWith("error: " + db + " is not a SQLite database"), corrupt.err());
        assertFalse(corrupt.err().contains("Exception") || corrupt.err().contains("\tat "), corrupt.err());
        assertEquals("overwritten by accident", Files.readString(db)); // left for the user to inspect or restore
    }

    @Test
    void nothingUsableIsAnErrorAndCreatesNobody() throws Exception {
        Path none = write("empty.png", ColourCodedEngine.noFace(60, 60));
        Run add = people("add", "Ghost", none.toString());
        assertEquals(1, add.code());
        assertTrue(add.out().contains("no face found"), add.out());
        assertTrue(add.out().contains("Nothing enrolled"), add.out());
        assertTrue(people("list").out().contains("Nobody is enrolled yet"));
        Run badName = people("add", " ", none.toString());
        assertEquals("error: a name cannot be empty\n", badName.err());
    }

    @Test
    void aMissingModelIsAClearError() throws Exception {
        Path a1 = write("alex1.png", ColourCodedEngine.photo(ALEX, 120, 100));
        io.tinyreid.app.face.FaceEngines none = new io.tinyreid.app.face.FaceEngines(
                new io.tinyreid.nn.models.ModelCache(tmp.resolve("empty-cache")));
        Run add = run(new PeopleCommand(none), "add", "Alex", a1.toString());
        assertEquals(1, add.code());
        assertTrue(add.err().startsWith("error: model files facereid in "), add.err());
        assertTrue(add.err().contains("run ./tinyreid models fetch"), add.err());
        assertFalse(add.err().contains("Exception"), add.err());
        assertTrue(people("list").out().contains("Nobody is enrolled yet"));
    }

    @Test
    void strangersCanBeListedNamedAndDismissed() throws Exception {
        try (Household h = Household.open(new DataDirectory(data))) {
            FacePhoto crop = new FacePhoto(ColourCodedEngine.photo(LENA, 64, 64), new FaceBox(16, 16, 32, 32, 1));
            h.gallery().recordStranger(KnownFaces.person(2), crop);
            h.gallery().recordStranger(KnownFaces.person(2), crop);
            h.gallery().recordStranger(KnownFaces.person(0), crop);
        }
        Run list = run(new StrangersCommand(), "list");
        assertTrue(list.out().matches("(?s)ID\\s+FIRST SEEN\\s+LAST SEEN\\s+SIGHTINGS\\s+PHOTO\n2\\s.*\\s1\\s+#\\d+\n1\\s.*\\s2\\s+#\\d+\n.*"),
                list.out());
        Run name = run(new StrangersCommand(), "name", "1", "Lena");
        assertEquals("Stranger #1 is now Lena (person #1, 2 photo(s)).\n", name.out());
        Run dismiss = run(new StrangersCommand(), "dismiss", "2");
        assertEquals("Dismissed stranger #2.\n", dismiss.out());
        assertEquals("No strangers seen.\n", run(new StrangersCommand(), "list").out());
        Run gone = run(new StrangersCommand(), "dismiss", "2");
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("no stranger has id 2"), gone.err());
    }

    @Test
    void identifySaysWhoIsInEachPhoto() throws Exception {
        people("add", "Alex", write("a.png", ColourCodedEngine.photo(ALEX, 100, 100)).toString());
        Path who = write("door.png", ColourCodedEngine.photo(ALEX, 200, 100));
        Path lena = write("lena.png", ColourCodedEngine.photo(LENA, 80, 80));
        Path nobody = write("nobody.png", ColourCodedEngine.noFace(50, 50));
        Path junk = write("junk.jpg", "junk".getBytes());
        Run id = run(new IdentifyCommand(m -> faces.engine()), who.toString(), lena.toString(), nobody.toString(),
                junk.toString());
        assertEquals(0, id.code(), id.err());
        assertTrue(id.out().matches("(?s).*" + java.util.regex.Pattern.quote(who.toString())
                + ": face 1 at 75,25 50x50: Alex \\(person #1, similarity 100%; distance 0\\.000 < 0\\.\\d{3}\\).*"), id.out());
        assertTrue(id.out().matches("(?s).*" + java.util.regex.Pattern.quote(lena.toString())
                + ": face 1 at 20,20 40x40: unknown \\(nearest person: similarity \\d+%; distance [01]\\.\\d{3}, needs < 0\\.\\d{3}\\).*"), id.out());
        assertTrue(id.out().contains(nobody + ": no face found"), id.out());
        assertTrue(id.out().contains(junk + ": not a JPEG, PNG or PGM photo"), id.out());
        assertTrue(id.out().contains("2 face(s), 1 recognised"), id.out());
    }

    /** A household enrolled by a version with plain descriptors: identify embeds its photos once, then names Alex. */
    @Test
    void identifyEmbedsAnOlderViewsPhotosOnceAndThenNames() throws Exception {
        people("add", "Alex", write("a.png", ColourCodedEngine.photo(ALEX, 100, 100)).toString());
        try (io.tinyreid.app.store.Household h = io.tinyreid.app.store.Household.open(new io.tinyreid.app.store.DataDirectory(data))) {
            h.database().write("aging the household", c -> {
                try (var st = c.createStatement()) {
                    return st.executeUpdate("UPDATE descriptors SET model_id = 'facereid'"); // the plain view's key
                }
            });
        }
        Path who = write("door.png", ColourCodedEngine.photo(ALEX, 200, 100));
        Run first = run(new IdentifyCommand(m -> faces.engine()), who.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("1 stored photo(s) have no facereid descriptor of this version (view flip); "
                + "embedding them once."), first.err());
        assertTrue(first.out().contains("Alex (person #1, similarity 100%"), first.out());
        Run again = run(new IdentifyCommand(m -> faces.engine()), who.toString());
        assertFalse(again.err().contains("embedding them once"), again.err());
        assertTrue(again.out().contains("Alex (person #1, similarity 100%"), again.out());
    }

    @Test
    void aHouseholdExportedUnderTheOtherModelIsRestoredAndIdentifies() throws Exception {
        float[] v = new float[128];
        v[5] = 1;
        ColourCodedEngine dlib = new ColourCodedEngine(FaceModel.DLIB_RESNET).register(ALEX, new io.tinyreid.app.face.Descriptor.Float32(v));
        io.tinyreid.app.face.FaceEngineSource both = m -> m.equals(FaceModel.DLIB_RESNET) ? dlib.engine() : faces.engine();
        data = tmp.resolve("old");
        assertEquals(0, run(new PeopleCommand(both), "model", "dlib-resnet").code());
        assertEquals(0, run(new PeopleCommand(both), "add", "Alex", write("a.png", ColourCodedEngine.photo(ALEX, 100, 100)).toString()).code());
        Path backup = tmp.resolve("backup.zip");
        assertEquals(0, run(new PeopleCommand(both), "export", backup.toString()).code());
        assertEquals(0, faces.embedCalls(), "the old household only ever ran dlib-resnet");

        data = tmp.resolve("new"); // a fresh household: facereid by default
        Run imp = run(new PeopleCommand(both), "import", backup.toString());
        assertEquals(0, imp.code(), imp.out() + imp.err());
        assertTrue(imp.out().contains("Imported 1 photo(s): 1 new people"), imp.out());
        assertTrue(imp.out().contains("Embedded 1 photo(s) for the household's model facereid, so they identify (0 already had its descriptor)."),
                imp.out());
        assertTrue(imp.err().contains("embedding for facereid") && imp.err().contains("1/1"), imp.err());
        assertEquals(1, faces.embedCalls());
        Run id = run(new IdentifyCommand(m -> faces.engine()), write("door.png", ColourCodedEngine.photo(ALEX, 200, 100)).toString());
        assertTrue(id.out().contains("Alex (person #1, similarity 100%; distance 0.000 <"), id.out());

        Run again = run(new PeopleCommand(both), "import", backup.toString());
        assertTrue(again.out().contains("Embedded 0 photo(s) for the household's model facereid, so they identify (1 already had its descriptor)."),
                again.out());
    }

    @Test
    void anEnrolmentBeyondTheDoorbellsBudgetIsRefusedBeforeAnythingIsCommitted() throws Exception {
        int sam = 0x00AA00;
        faces.register(sam, KnownFaces.person(1));
        // A stand-in plan: 100 bytes of frame loop, then 1 KiB per gallery descriptor (FaceReID's 512 x int16).
        io.tinyreid.app.engine.GalleryCapacity.Plans plans = (model, display, n, budget) -> java.util.Optional.of(
                io.tinyreid.app.budget.DoorbellLayout.of(List.of(
                        io.tinyreid.app.budget.Region.resident("frame loop", io.tinyreid.app.budget.Part.FRAME, 100, "test"),
                        io.tinyreid.app.budget.Region.resident("gallery", io.tinyreid.app.budget.Part.GALLERY, n * 1024L, "test")),
                        budget));
        String budget = "--budget=" + (100 + 2 * 1024); // room for exactly two people
        PeopleCommand cmd = new PeopleCommand(m -> faces.engine(), plans);
        assertEquals(0, run(cmd, "add", "Alex", write("a.png", ColourCodedEngine.photo(ALEX, 100, 100)).toString(), budget).code());
        assertEquals(0, run(new PeopleCommand(m -> faces.engine(), plans), "add", "Lena",
                write("l.png", ColourCodedEngine.photo(LENA, 100, 100)).toString(), budget).code());

        Run third = run(new PeopleCommand(m -> faces.engine(), plans), "add", "Sam",
                write("s.png", ColourCodedEngine.photo(sam, 100, 100)).toString(), budget);
        assertEquals(1, third.code(), third.out() + third.err());
        assertTrue(third.err().startsWith("error: Sam cannot be enrolled: the doorbell's 2,148-byte memory budget (model facereid,"
                + " display gray) would overflow: it holds at most 2 gallery descriptor(s), the household has 2 and this"
                + " enrolment adds 1. Photos become one mean template per person"), third.err());
        assertTrue(third.err().contains("bigger --budget"), third.err());
        assertEquals(2, faces.embedCalls(), "Alex and Lena only: Sam's photo was not even embedded");
        Run list = people("list");
        assertFalse(list.out().contains("Sam"), list.out());

        // more photos of someone enrolled keep one template: they fit
        Run more = run(new PeopleCommand(m -> faces.engine(), plans), "add", "Alex",
                write("a2.png", ColourCodedEngine.photo(ALEX, 120, 100)).toString(), budget);
        assertEquals(0, more.code(), more.err());
        // a bigger budget takes Sam
        assertEquals(0, run(new PeopleCommand(m -> faces.engine(), plans), "add", "Sam", tmp.resolve("s.png").toString(),
                "--budget=" + (100 + 3 * 1024)).code());
    }
}
