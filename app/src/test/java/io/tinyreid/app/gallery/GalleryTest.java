package io.tinyreid.app.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DistanceMetric;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.settings.Settings;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.store.StoreException;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;

class GalleryTest {
    static final int ALEX = 0xAA0000, FRANCESCO = 0x00AA00, LENA = 0x0000AA;

    @TempDir Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    ColourCodedEngine faces;
    Household household;
    Gallery gallery;

    @BeforeEach
    void open() {
        faces = new ColourCodedEngine(FaceModel.FACEREID)
                .register(ALEX, KnownFaces.person(0))
                .register(FRANCESCO, KnownFaces.person(1))
                .register(LENA, KnownFaces.person(2));
        household = Household.open(new DataDirectory(dir), null, clock);
        gallery = household.gallery();
    }

    @AfterEach
    void close() {
        household.close();
    }

    @Test
    void realReferenceDescriptorsOfDifferentPeopleAreFartherApartThanTheDeviceThreshold() {
        // The premise of the LFW-calibrated threshold, checked on the reference's own descriptors.
        double threshold = gallery.threshold().accept();
        // The shipped threshold, read where the product reads it; thresholds.properties names the
        // 'tinyreid eval lfw' command that regenerates it.
        assertEquals(Thresholds.builtIn().forModel(FaceModel.FACEREID).accept(), threshold);
        assertFalse(gallery.threshold().provisional());
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                double d = DistanceMetric.SQUARED_L2.distance(KnownFaces.person(a), KnownFaces.person(b));
                assertTrue(d > threshold, "person " + a + " vs " + b + ": " + d);
            }
        }
        assertEquals(KnownFaces.person(1), KnownFaces.deviceCheck("Francesco"));
    }

    @Test
    void theSamePhotoIsStoredOnceAndJunkAfterAnImageIsNotKept() throws Exception {
        byte[] png = ColourCodedEngine.photo(ALEX, 200, 160);
        byte[] padded = io.tinyreid.app.photo.PhotoDecoderTest.withJunk(png, 3 << 20);
        EnrolReport first = gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a.png", padded)), Progress.NONE);
        assertEquals(1, first.acceptedCount());
        long photoId = first.outcomes().getFirst().photoId();
        assertTrue(java.util.Arrays.equals(png, gallery.photoBytes(photoId)), "the PNG is kept, the 3 MiB after it are not");
        long stored;
        try (var files = java.nio.file.Files.walk(dir)) {
            stored = files.filter(java.nio.file.Files::isRegularFile).filter(f -> f.toString().endsWith(".png"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
        assertEquals(png.length, stored, "on disk too");

        // Again (as is, with other junk, and under another name and person): refused, saying why, nothing stored.
        int embedded = faces.embedCalls();
        for (PhotoInput again : List.of(new PhotoInput("a-again.png", png), new PhotoInput("a-copy.png",
                io.tinyreid.app.photo.PhotoDecoderTest.withJunk(png, 17)))) {
            for (String who : List.of("Alex", "Lena")) {
                EnrolReport r = gallery.enrol(faces.engine(), who, List.of(again), Progress.NONE);
                assertEquals(0, r.acceptedCount());
                assertEquals(again.label() + ": the same photo is already enrolled for Alex (photo #" + photoId
                        + "); it is not stored again", r.outcomes().getFirst().message());
            }
        }
        assertEquals(embedded, faces.embedCalls(), "a duplicate is recognised before the network runs");
        assertEquals(1, gallery.photosOf(first.person().id()).size());
        assertEquals(List.of("Alex"), gallery.people().stream().map(Person::name).toList(), "Lena was not created");
        assertEquals(1, gallery.descriptorCount());
        // A different photo of Alex is welcome.
        assertEquals(1, gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a2.png",
                ColourCodedEngine.photo(ALEX, 180, 160))), Progress.NONE).acceptedCount());
        assertEquals(2, gallery.photosOf(first.person().id()).size());
    }

    @Test
    void enrolledPeopleAreIdentifiedAndOthersAreNot() {
        EnrolReport r = gallery.enrol(faces.engine(), "Francesco",
                List.of(new PhotoInput("f1.png", ColourCodedEngine.photo(FRANCESCO, 200, 160))), Progress.NONE);
        assertEquals(1, r.acceptedCount());
        gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a.png", ColourCodedEngine.photo(ALEX, 120, 120))),
                Progress.NONE);

        Identification f = gallery.identify(KnownFaces.deviceCheck("Francesco"));
        Identification.Known known = assertInstanceOf(Identification.Known.class, f);
        assertEquals("Francesco", known.name());
        // The same face as the template: distance 0, less the template's stranger-cohort shift, never below 0.
        assertEquals(StrangerCohort.shifted(0, shiftOf(KnownFaces.person(1))), known.distance(), 1e-12);

        Identification lena = gallery.identify(KnownFaces.deviceCheck("Lena"));
        assertInstanceOf(Identification.Unknown.class, lena);
        // People are compared as unit vectors less each template's cohort shift: Lena's distance is to the nearer.
        assertEquals(Math.min(unitDistance(KnownFaces.person(2), KnownFaces.person(0)) - shiftOf(KnownFaces.person(0)),
                unitDistance(KnownFaces.person(2), KnownFaces.person(1)) - shiftOf(KnownFaces.person(1))), lena.distance(), 2e-4);

        // A slightly different view of Francesco (each component moved by up to +-300, i.e. 0.3 in Q10)
        short[] v = ((Descriptor.Int16) KnownFaces.person(1)).values();
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (v[i] + rnd.nextInt(601) - 300);
        }
        assertInstanceOf(Identification.Known.class, gallery.identify(new Descriptor.Int16(v)));
    }

    @Test
    void theFrameLoopsIdentifyGivesTheSameAnswersWithoutAllocating() {
        gallery.enrol(faces.engine(), "Francesco", List.of(new PhotoInput("f.png", ColourCodedEngine.photo(FRANCESCO, 200, 160))),
                Progress.NONE);
        gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a.png", ColourCodedEngine.photo(ALEX, 120, 120))),
                Progress.NONE);
        // queries: the enrolled people, a stranger, and perturbed copies on both sides of the threshold
        List<Descriptor> queries = new ArrayList<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(6);
        for (int p = 0; p < 3; p++) {
            short[] v = ((Descriptor.Int16) KnownFaces.person(p)).values();
            queries.add(new Descriptor.Int16(v));
            for (int k = 0; k < 6; k++) {
                short[] w = v.clone();
                int amp = 100 << k;
                for (int i = 0; i < w.length; i++) {
                    w[i] = (short) Math.clamp(w[i] + rnd.nextInt(-amp, amp + 1), Short.MIN_VALUE, Short.MAX_VALUE);
                }
                queries.add(new Descriptor.Int16(w));
            }
        }
        io.tinyreid.app.face.DescriptorBuffer q = new io.tinyreid.app.face.DescriptorBuffer(FaceModel.FACEREID);
        Match m = new Match();
        int known = 0;
        for (Descriptor d : queries) {
            q.set(d);
            gallery.identify(q, m);
            Identification expected = gallery.identify(d);
            assertEquals(expected, m.toIdentification());
            known += m.known() ? 1 : 0;
        }
        assertTrue(known > 3 && known < queries.size() - 3, "both answers occur: " + known + " of " + queries.size());
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long b0 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < queries.size(); i++) { // (an iterator would be the test's own allocation)
                q.set(queries.get(i));
                gallery.identify(q, m);
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - b0);
        }
        assertEquals(0, least, "bytes allocated by " + queries.size() + " frame-loop identifications");
        assertEquals(2, gallery.descriptorCount());
    }

    @Test
    void twoPhotosOfAPersonBecomeOneMeanTemplate() {
        Descriptor other = along(KnownFaces.person(0), KnownFaces.person(2), 0.4);
        faces.register(0xAA00AA, other);
        gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a.png", ColourCodedEngine.photo(ALEX, 100, 100)),
                new PhotoInput("b.png", ColourCodedEngine.photo(0xAA00AA, 100, 100))), Progress.NONE);
        assertEquals(1, gallery.descriptorCount(), "one template for two photos");
        assertEquals(TemplateRule.MEAN, gallery.templateRule());
        // The template is the normalised mean of the two unit descriptors: both photos lie 0.2 from it.
        double[] a = unit(KnownFaces.person(0));
        double[] b = unit(other);
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            n += (a[i] + b[i]) * (a[i] + b[i]);
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            double t = (a[i] + b[i]) / Math.sqrt(n);
            d += (a[i] - t) * (a[i] - t);
        }
        double shift = shiftOf(KnownFaces.person(0), other);
        assertEquals(Math.sqrt(d) - shift, gallery.identify(KnownFaces.person(0)).distance(), 3e-4);
        assertEquals(Math.sqrt(d) - shift, gallery.identify(other).distance(), 3e-4);
        assertEquals(0.2, Math.sqrt(d), 2e-3);
    }

    @Test
    void theStrangerRateSettingMovesTheLineForTheHouseholdsSize() {
        gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a.png", ColourCodedEngine.photo(ALEX, 100, 100))),
                Progress.NONE);
        OpenSetCalibration cal = OpenSetCalibrations.builtIn().find("facereid", 1).orElseThrow(); // one photo each
        assertEquals(cal.acceptDistance(1, StrangerRate.BALANCED), gallery.acceptDistance());
        assertEquals(StrangerRate.BALANCED, gallery.strangerRate());
        double strict = cal.acceptDistance(1, StrangerRate.STRICT);
        double lenient = cal.acceptDistance(1, StrangerRate.LENIENT);
        assertTrue(strict < gallery.acceptDistance() && gallery.acceptDistance() < lenient);
        // A face exactly between the strict and the lenient line (after Alex's cohort shift), away from Alex towards Lena.
        double shift = shiftOf(KnownFaces.person(0));
        Descriptor q = along(KnownFaces.person(0), KnownFaces.person(2), (strict + lenient) / 2 + shift);
        assertEquals((strict + lenient) / 2, unitDistance(q, KnownFaces.person(0)) - shift, 1e-3);
        gallery.setStrangerRate(StrangerRate.STRICT);
        assertInstanceOf(Identification.Unknown.class, gallery.identify(q));
        gallery.setStrangerRate(StrangerRate.LENIENT);
        assertInstanceOf(Identification.Known.class, gallery.identify(q));
        assertEquals(lenient, gallery.acceptDistance());
        // A bigger household draws a stricter line at the same setting.
        assertTrue(gallery.acceptDistanceFor(20) < gallery.acceptDistanceFor(1));
    }

    /** The shipped FaceReID cohort's shift of the mean template of {@code photos}. */
    static double shiftOf(Descriptor... photos) {
        OpenSetCalibration cal = OpenSetCalibrations.builtIn().find("facereid").orElseThrow();
        StrangerCohort cohort = OpenSetCalibrations.builtIn().cohortFor(cal).orElseThrow();
        List<short[]> units = java.util.Arrays.stream(photos).map(DescriptorIndex::unit).toList();
        return cohort.shift(TemplateRule.MEAN.templates(units).getFirst());
    }

    /** Euclidean distance between the two descriptors scaled to unit length, in doubles. */
    static double unitDistance(Descriptor a, Descriptor b) {
        double[] x = unit(a);
        double[] y = unit(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s);
    }

    static double[] unit(Descriptor d) {
        double n = 0;
        for (int i = 0; i < d.dimension(); i++) {
            n += d.component(i) * d.component(i);
        }
        double[] u = new double[d.dimension()];
        for (int i = 0; i < u.length; i++) {
            u[i] = d.component(i) / Math.sqrt(n);
        }
        return u;
    }

    /** An int16 descriptor at unit distance {@code distance} from {@code from}, turned towards {@code towards}. */
    static Descriptor along(Descriptor from, Descriptor towards, double distance) {
        double[] a = unit(from);
        double[] b = unit(towards);
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            b[i] -= dot * a[i];
            n += b[i] * b[i];
        }
        double theta = 2 * Math.asin(distance / 2);
        short[] v = new short[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (short) Math.round(8000 * (Math.cos(theta) * a[i] + Math.sin(theta) * b[i] / Math.sqrt(n)));
        }
        return new Descriptor.Int16(v);
    }

    @Test
    void badPhotosAreRefusedWithReasonsWhileGoodOnesCount() {
        List<int[]> progress = new ArrayList<>();
        EnrolReport r = gallery.enrol(faces.engine(), "Lena", List.of(
                new PhotoInput("empty.jpg", new byte[0]),
                new PhotoInput("text.jpg", "hello".getBytes()),
                new PhotoInput("nobody.png", ColourCodedEngine.noFace(80, 80)),
                new PhotoInput("group.png", ColourCodedEngine.group(LENA, 100, 100)),
                new PhotoInput("truncated.png", java.util.Arrays.copyOf(ColourCodedEngine.photo(LENA, 90, 90), 60)),
                new PhotoInput("good.png", ColourCodedEngine.photo(LENA, 90, 90))),
                (done, total, item) -> progress.add(new int[] {done, total}));
        assertEquals(1, r.acceptedCount());
        assertEquals(6, progress.size());
        assertEquals(6, progress.getLast()[0]);
        List<String> messages = r.outcomes().stream().map(EnrolReport.Outcome::message).toList();
        assertTrue(messages.get(0).contains("empty"), messages.get(0));
        assertTrue(messages.get(1).contains("not a JPEG, PNG or PGM"), messages.get(1));
        assertTrue(messages.get(2).contains("no face found"), messages.get(2));
        assertTrue(messages.get(3).contains("2 faces"), messages.get(3));
        assertTrue(messages.get(4).contains("corrupt or truncated"), messages.get(4));
        assertEquals("Lena", r.person().name());
        assertEquals(1, gallery.photosOf(r.person().id()).size());
    }

    @Test
    void nobodyIsCreatedWhenNoPhotoIsAccepted() {
        EnrolReport r = gallery.enrol(faces.engine(), "Ghost",
                List.of(new PhotoInput("nobody.png", ColourCodedEngine.noFace(50, 50))), Progress.NONE);
        assertEquals(0, r.acceptedCount());
        assertEquals(null, r.person());
        assertTrue(gallery.people().isEmpty());
    }

    @Test
    void renameRemoveAndNameRules() {
        Person a = gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a", ColourCodedEngine.photo(ALEX, 64, 64))),
                Progress.NONE).person();
        Person l = gallery.enrol(faces.engine(), "Lena", List.of(new PhotoInput("l", ColourCodedEngine.photo(LENA, 64, 64))),
                Progress.NONE).person();
        assertEquals("Alexandra", gallery.rename(a.id(), "  Alexandra ").name());
        StoreException dup = assertThrows(StoreException.class, () -> gallery.rename(l.id(), "alexandra"));
        assertTrue(dup.getMessage().contains("already called"));
        assertThrows(StoreException.class, () -> gallery.rename(a.id(), ""));
        assertThrows(StoreException.class, () -> gallery.rename(a.id(), "bad\u0000name"));
        assertThrows(StoreException.class, () -> gallery.rename(a.id(), "x".repeat(65)));
        assertThrows(StoreException.class, () -> gallery.rename(999, "Nobody"));

        Identification.Known k = assertInstanceOf(Identification.Known.class, gallery.identify(KnownFaces.person(0)));
        assertEquals("Alexandra", k.name());

        long photo = gallery.photosOf(a.id()).getFirst().id();
        assertTrue(gallery.photoBytes(photo).length > 0);
        gallery.removePerson(a.id());
        assertInstanceOf(Identification.Unknown.class, gallery.identify(KnownFaces.person(0)));
        assertEquals(List.of("Lena"), gallery.people().stream().map(Person::name).toList());
        assertThrows(StoreException.class, () -> gallery.photoBytes(photo));
        assertEquals(1, household.photos().dir().toFile().list((d, n) -> n.endsWith(".png")).length);
    }

    @Test
    void strangersAreRecognisedAgainMergedCappedAndAgedOut() {
        FacePhoto crop = new FacePhoto(ColourCodedEngine.photo(LENA, 64, 64), new FaceBox(16, 16, 32, 32, 1));
        StrangerSighting first = gallery.recordStranger(KnownFaces.person(2), crop);
        assertTrue(first.isNew());
        clock.advance(Duration.ofMinutes(5));
        StrangerSighting again = gallery.recordStranger(KnownFaces.person(2), crop);
        assertFalse(again.isNew());
        assertEquals(first.stranger().id(), again.stranger().id());
        assertEquals(2, again.stranger().sightings());
        assertEquals(first.stranger().firstSeen(), again.stranger().firstSeen());
        assertEquals(clock.instant(), again.stranger().lastSeen());

        StrangerSighting alex = gallery.recordStranger(KnownFaces.person(0), crop);
        assertTrue(alex.isNew());
        assertEquals(2, gallery.strangers().size());

        // A descriptor within the threshold of both strangers merges them into the oldest.
        household.settings().set(Settings.THRESHOLD_PREFIX + "facereid",
                Double.toString(DistanceMetric.SQUARED_L2.distance(KnownFaces.person(0), KnownFaces.person(2))));
        gallery.reload();
        short[] mid = new short[512];
        short[] a0 = ((Descriptor.Int16) KnownFaces.person(0)).values();
        short[] a2 = ((Descriptor.Int16) KnownFaces.person(2)).values();
        for (int i = 0; i < 512; i++) {
            mid[i] = (short) ((a0[i] + a2[i]) / 2);
        }
        StrangerSighting merged = gallery.recordStranger(new Descriptor.Int16(mid), crop);
        assertFalse(merged.isNew());
        assertEquals(List.of(first.stranger().id()), gallery.strangers().stream().map(Stranger::id).toList());
        assertEquals(4, merged.stranger().sightings());
        gallery.resetThreshold();

        // Cap: only the most recently seen are kept.
        household.settings().set(Settings.STRANGERS_CAP, "2");
        short[] far1 = new short[512];
        short[] far2 = new short[512];
        java.util.Arrays.fill(far1, (short) 20000);
        java.util.Arrays.fill(far2, (short) -20000);
        clock.advance(Duration.ofMinutes(1));
        gallery.recordStranger(new Descriptor.Int16(far1), crop);
        clock.advance(Duration.ofMinutes(1));
        gallery.recordStranger(new Descriptor.Int16(far2), crop);
        assertEquals(2, gallery.strangers().size());
        assertTrue(gallery.strangers().stream().noneMatch(s -> s.id() == first.stranger().id()));

        // Age: a stranger unseen for longer than the limit is forgotten at the next sighting.
        clock.advance(Duration.ofDays(31));
        gallery.recordStranger(KnownFaces.person(2), crop);
        assertEquals(1, gallery.strangers().size());
        assertEquals(1, household.photos().dir().toFile().list((d, n) -> n.endsWith(".png")).length);
    }

    @Test
    void namingAStrangerMakesThemAPersonWhoIsThenRecognised() {
        FacePhoto crop = new FacePhoto(ColourCodedEngine.photo(LENA, 64, 64), new FaceBox(16, 16, 32, 32, 1));
        StrangerSighting s = gallery.recordStranger(KnownFaces.person(2), crop);
        assertInstanceOf(Identification.Unknown.class, gallery.identify(KnownFaces.person(2)));
        Person lena = gallery.nameStranger(s.stranger().id(), "Lena");
        assertEquals(1, lena.photoCount());
        assertTrue(gallery.strangers().isEmpty());
        Identification.Known k = assertInstanceOf(Identification.Known.class, gallery.identify(KnownFaces.person(2)));
        assertEquals(lena.id(), k.personId());

        // Naming another stranger with an existing name adds to that person.
        StrangerSighting s2 = gallery.recordStranger(KnownFaces.person(1), crop);
        assertEquals(lena.id(), gallery.nameStranger(s2.stranger().id(), "LENA").id());
        assertEquals(2, gallery.person(lena.id()).orElseThrow().photoCount());

        StrangerSighting s3 = gallery.recordStranger(KnownFaces.person(0), crop);
        gallery.dismissStranger(s3.stranger().id());
        assertTrue(gallery.strangers().isEmpty());
        assertThrows(StoreException.class, () -> gallery.dismissStranger(s3.stranger().id()));
        assertThrows(StoreException.class, () -> gallery.nameStranger(12345, "X"));
    }

    @Test
    void descriptorsOfAnotherModelAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> gallery.identify(new Descriptor.Float32(new float[128])));
        assertThrows(IllegalArgumentException.class, () -> gallery.identify(new Descriptor.Int16(new short[100])));
    }

    @Test
    void switchingModelsReembedsEveryStoredPhotoWithProgress() {
        gallery.enrol(faces.engine(), "Alex", List.of(
                new PhotoInput("a1", ColourCodedEngine.photo(ALEX, 64, 64)),
                new PhotoInput("a2", ColourCodedEngine.photo(ALEX, 3000, 2000))), Progress.NONE);
        gallery.enrol(faces.engine(), "Lena", List.of(new PhotoInput("l", ColourCodedEngine.photo(LENA, 64, 64))),
                Progress.NONE);
        gallery.recordStranger(KnownFaces.person(1),
                new FacePhoto(ColourCodedEngine.photo(FRANCESCO, 64, 64), new FaceBox(16, 16, 32, 32, 1)));

        float[] alex = new float[128];
        alex[0] = 1;
        float[] lena = new float[128];
        lena[1] = 1;
        float[] fran = new float[128];
        fran[2] = 1;
        ColourCodedEngine dlib = new ColourCodedEngine(FaceModel.DLIB_RESNET)
                .register(ALEX, new Descriptor.Float32(alex))
                .register(LENA, new Descriptor.Float32(lena))
                .register(FRANCESCO, new Descriptor.Float32(fran));
        List<Integer> seen = new ArrayList<>();
        ReembedReport r = gallery.switchModel(dlib.engine(), (done, total, item) -> seen.add(done));
        assertEquals(4, r.embedded());
        assertEquals(List.of(1, 2, 3, 4), seen);
        assertTrue(r.failures().isEmpty(), r.failures().toString());
        assertEquals(FaceModel.DLIB_RESNET, gallery.model());
        assertEquals(Thresholds.builtIn().forModel(FaceModel.DLIB_RESNET).accept(), gallery.threshold().accept());
        assertEquals("dlib-resnet", household.settings().get(Settings.MODEL).orElseThrow());

        Identification.Known k = assertInstanceOf(Identification.Known.class, gallery.identify(new Descriptor.Float32(lena)));
        assertEquals("Lena", k.name());
        // The stranger was re-embedded too: the same face is recognised as that stranger.
        assertFalse(gallery.recordStranger(new Descriptor.Float32(fran),
                new FacePhoto(ColourCodedEngine.photo(FRANCESCO, 64, 64), new FaceBox(16, 16, 32, 32, 1))).isNew());

        // Switching back re-embeds only the photo added meanwhile: the FaceReID descriptors were kept.
        ReembedReport back = gallery.switchModel(faces.engine(), Progress.NONE);
        assertEquals(1, back.embedded());
        assertEquals(4, back.alreadyPresent());
    }

    /**
     * A household enrolled before the flip view stored FaceReID descriptors under the bare model id: they
     * are of another view, so they are neither compared with the door's nor counted as present, and
     * re-embedding computes the current view's from the stored photos.
     */
    @Test
    void descriptorsOfAnOlderViewAreNotComparedButReembedded() {
        assertEquals("facereid@flip", FaceModel.FACEREID.descriptorKey());
        gallery.enrol(faces.engine(), "Alex", List.of(new PhotoInput("a", ColourCodedEngine.photo(ALEX, 64, 64))),
                Progress.NONE);
        assertInstanceOf(Identification.Known.class, gallery.identify(KnownFaces.person(0)));
        assertEquals(0, gallery.photosWithoutDescriptor());
        // as an older version left it: the same descriptor, stored under the plain view's key
        household.database().write("aging the household", c -> {
            try (var st = c.createStatement()) {
                return st.executeUpdate("UPDATE descriptors SET model_id = 'facereid'");
            }
        });
        gallery.reload();
        assertInstanceOf(Identification.Unknown.class, gallery.identify(KnownFaces.person(0)));
        assertEquals(1, gallery.photosWithoutDescriptor());
        ReembedReport r = gallery.reembed(faces.engine(), Progress.NONE);
        assertEquals(1, r.embedded());
        assertEquals(0, gallery.photosWithoutDescriptor());
        assertEquals("Alex", assertInstanceOf(Identification.Known.class, gallery.identify(KnownFaces.person(0))).name());
        assertEquals(1, gallery.forgetOtherModels()); // the old view's row
    }

    @Test
    void changesByAnotherProcessAreSeenWithoutRestart() throws Exception {
        assertInstanceOf(Identification.Unknown.class, gallery.identify(KnownFaces.person(0)));
        try (Household other = Household.open(new DataDirectory(dir), null, clock)) {
            other.gallery().enrol(faces.engine(), "Alex",
                    List.of(new PhotoInput("a", ColourCodedEngine.photo(ALEX, 64, 64))), Progress.NONE);
        }
        // The gallery looks at SQLite's data_version at most once a second: a condition with a generous
        // deadline, not a sleep that guesses the interval.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(gallery.identify(KnownFaces.person(0)) instanceof Identification.Known)) {
            assertTrue(System.nanoTime() < deadline, "another process's enrolment not seen within 30 s");
            Thread.sleep(50);
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public Instant instant() { return now; }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }
}
