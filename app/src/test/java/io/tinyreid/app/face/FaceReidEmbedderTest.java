package io.tinyreid.app.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.photo.DecodedPhoto;
import io.tinyreid.app.photo.PhotoDecoder;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.KnownFaces;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.WrapGolden;

/** The real FaceReID network (nn's exact runtime) behind the gallery's port, checked against the GAP8 device's own descriptors. */
class FaceReidEmbedderTest {
    static FaceReidEmbedder net;
    static final PhotoDecoder DECODER = new PhotoDecoder(PhotoLimits.DEFAULT);

    @TempDir Path tmp;

    @BeforeAll
    static void load(@TempDir Path models) throws Exception {
        Path file = FaceReidEmbedder.compile(SharedData.require("models/facereid/quantized_model"),
                models.resolve("facereid.tinyreid"));
        net = FaceReidEmbedder.open(file, Mode.EXACT);
    }

    @AfterAll
    static void close() {
        net.close();
    }

    static DecodedPhoto photo(String relative) throws Exception {
        Path p = SharedData.require(relative);
        return DECODER.decode(p.getFileName().toString(), Files.readAllBytes(p));
    }

    static double cosine(Descriptor a, Descriptor b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.dimension(); i++) {
            ab += a.component(i) * b.component(i);
            aa += a.component(i) * a.component(i);
            bb += b.component(i) * b.component(i);
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** The whole photo is the face (the device's crops; ORL's centred faces). */
    static final FaceFinder WHOLE = img -> List.of(new FaceBox(0, 0, img.getWidth(), img.getHeight(), 1));

    /**
     * Through our crop path, the device's descriptors bit for bit: the GAP8 build's Francesco/Lena and the
     * 24 wrap goldens (12 of which only the device's 32-bit wrap reproduces), in the device's single pass
     * (the plain view; the product's flip view is checked against these in EmbeddingViewTest).
     */
    @Test
    void descriptorsOfTheDeviceCropsMatchTheDevice() throws Exception {
        int checked = 0;
        for (WrapGolden.Face f : WrapGolden.withDevice()) {
            DecodedPhoto p = DECODER.decode(f.file().getFileName().toString(), Files.readAllBytes(f.file()));
            Descriptor ours = net.embed(p.image(), new FaceBox(0, 0, 128, 128, 1), EmbeddingView.PLAIN);
            Descriptor device = new Descriptor.Int16(f.descriptor());
            assertEquals(device, ours, f.name() + ": cosine " + cosine(ours, device) + ", squared L2 "
                    + DistanceMetric.SQUARED_L2.distance(ours, device));
            checked++;
        }
        assertEquals(26, checked);
    }

    @Test
    void enrolledFromPhotosThePeopleAreRecognisedInTheDevicesDescriptors() throws Exception {
        try (Household h = Household.open(new DataDirectory(tmp))) {
            FaceEngine engine = new FaceEngine(WHOLE, net);
            for (String name : List.of("Francesco", "Lena")) {
                Path p = SharedData.require("models/facereid/device_check/" + name + ".pgm");
                h.gallery().enrol(engine, name, List.of(new PhotoInput(name, Files.readAllBytes(p))), Progress.NONE);
            }
            Identification f = h.gallery().identify(KnownFaces.deviceCheck("Francesco"));
            assertEquals("Francesco", assertInstanceOf(Identification.Known.class, f).name());
            Identification l = h.gallery().identify(KnownFaces.deviceCheck("Lena"));
            assertEquals("Lena", assertInstanceOf(Identification.Known.class, l).name());
            assertInstanceOf(Identification.Unknown.class, h.gallery().identify(KnownFaces.person(0)));
        }
    }

    /**
     * ORL (AT&T) faces: 8 people enrolled from 3 photos each, the other 7 photos of each identified,
     * plus 8 more people never enrolled who must come out unknown. Real network, provisional
     * threshold; the numbers are printed for the report.
     */
    @Test
    void orlPeopleAreToldApart() throws Exception {
        int people = 8;
        try (Household h = Household.open(new DataDirectory(tmp))) {
            FaceEngine engine = new FaceEngine(WHOLE, net);
            for (int s = 1; s <= people; s++) {
                List<PhotoInput> in = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    Path p = SharedData.require("data/orl/s" + s + "/" + i + ".pgm");
                    in.add(new PhotoInput(p.toString(), Files.readAllBytes(p)));
                }
                assertEquals(3, h.gallery().enrol(engine, "s" + s, in, Progress.NONE).acceptedCount());
            }
            int right = 0, wrong = 0, missed = 0, total = 0;
            for (int s = 1; s <= people; s++) {
                for (int i = 4; i <= 10; i++) {
                    DecodedPhoto p = photo("data/orl/s" + s + "/" + i + ".pgm");
                    Identification id = h.gallery().identify(net.embed(p.image(), WHOLE.find(p.image()).getFirst()));
                    total++;
                    if (id instanceof Identification.Known k) {
                        if (k.name().equals("s" + s)) right++; else wrong++;
                    } else {
                        missed++;
                    }
                }
            }
            int strangersRejected = 0, strangers = 0;
            for (int s = people + 1; s <= 2 * people; s++) {
                for (int i = 1; i <= 3; i++) {
                    DecodedPhoto p = photo("data/orl/s" + s + "/" + i + ".pgm");
                    strangers++;
                    if (h.gallery().identify(net.embed(p.image(), WHOLE.find(p.image()).getFirst()))
                            instanceof Identification.Unknown) {
                        strangersRejected++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "ORL, FaceReID exact, threshold %.0f: %d/%d recognised, %d wrong person, "
                    + "%d not recognised; %d/%d unenrolled faces rejected%n", h.gallery().threshold().accept(),
                    right, total, wrong, missed, strangersRejected, strangers);
            // Floors a doorbell needs, below what the shipped threshold gives (53/56 recognised, 0 wrong, 24/24
            // rejected; BENCHMARKS.md) by a few faces, not by half: 60% passed a net that misses 2 faces in 5.
            assertTrue(right >= total * 0.8, "recognised only " + right + "/" + total);
            assertTrue(wrong <= total * 0.04, wrong + " wrong");
            assertTrue(strangersRejected >= strangers * 0.85, "rejected only " + strangersRejected + "/" + strangers);
        }
    }
}
