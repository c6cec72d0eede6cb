package io.tinyreid.app.doorbell;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.gallery.Stranger;
import io.tinyreid.app.pipeline.Doorbell;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * The whole doorbell on real data: a video (real LFW photos, through FFmpeg) in which an enrolled
 * person and an unknown person come to the door, played through the real Haar detector, the
 * FaceReID network and the SQLite household. Asserts the events, their snapshots and the stranger.
 */
class DoorbellEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void enrolledPersonIsNamedAndUnknownPersonBecomesAStranger() throws Exception {
        Path clip = dir.resolve("door.mp4");
        DoorClips.write(clip, 15, List.of(
                // other photos of the enrolled person than those enrolled
                new DoorClips.Visit(List.of(DoorClips.lfw("Tony_Blair", 8), DoorClips.lfw("Tony_Blair", 9),
                        DoorClips.lfw("Tony_Blair", 11)), 8),
                // the stranger stands still: one photo, drifting, for as long as the first visitor
                new DoorClips.Visit(List.of(DoorClips.lfw("Pete_Sampras", 2)), 24)));
        Engines engines = new Engines(new ModelCache(SharedData.root().resolve("models")));
        try (Household h = Household.open(new DataDirectory(dir.resolve("home")), FaceModel.FACEREID, Clock.systemUTC())) {
            List<PhotoInput> photos = new java.util.ArrayList<>();
            // (LFW photos with a second face in the background are avoided: enrolment refuses them)
            for (int n = 3; n <= 6; n++) {
                Path p = DoorClips.lfw("Tony_Blair", n);
                photos.add(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p)));
            }
            EnrolReport report = h.gallery().enrol(engines.photoEngine(FaceModel.FACEREID), "Tony Blair", photos, Progress.NONE);
            assertEquals(4, report.acceptedCount(), report.toString());
            try (Doorbell d = new Doorbell(h, engines.frames(), new SourceSpec.VideoFile(clip, false), PipelineConfig.DEFAULT,
                    false, true, s -> {})) {
                assertTrue(d.awaitEnd(120_000), "the clip was processed: " + d.statusLine());
                assertEquals(15 * 3 + 8 * 3 + 24, d.stats().frames(), "every frame of the clip");
            }
            List<Event> events = h.events().query(EventQuery.latest(10)).reversed();
            assertEquals(2, events.size(), events.toString());
            assertEquals(EventKind.KNOWN, events.get(0).kind());
            assertEquals("Tony Blair", events.get(0).label());
            assertEquals(EventKind.STRANGER, events.get(1).kind());
            assertEquals(FaceModel.FACEREID.id(), events.get(1).modelId());
            assertSnapshotShows(h, events.get(0), 0x2E, 0xCC, 0x71);  // green box: known
            assertSnapshotShows(h, events.get(1), 0xE7, 0x4C, 0x3C);  // red box: stranger
            List<Stranger> strangers = h.gallery().strangers();
            assertEquals(1, strangers.size());
            assertEquals(events.get(1).strangerId(), strangers.get(0).id());
            assertNotNull(ImageIO.read(new ByteArrayInputStream(h.gallery().photoBytes(strangers.get(0).photoId()))));
        }
    }

    /** The event's snapshot is the annotated 640x480 frame with a box of the given colour. */
    private static void assertSnapshotShows(Household h, Event e, int r, int g, int b) throws Exception {
        assertTrue(e.hasSnapshot());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(h.events().snapshot(e.id()).orElseThrow()));
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        int hits = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (Math.abs((c >> 16 & 0xFF) - r) < 40 && Math.abs((c >> 8 & 0xFF) - g) < 40 && Math.abs((c & 0xFF) - b) < 40) {
                    hits++;
                }
            }
        }
        assertTrue(hits > 400, e.kind() + " snapshot has a box of the verdict's colour (" + hits + " pixels)");
    }
}
