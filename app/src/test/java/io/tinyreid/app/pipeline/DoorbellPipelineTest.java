package io.tinyreid.app.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.gallery.Stranger;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;

/**
 * The pipeline's decisions with a real household (SQLite gallery, event store) and the device's
 * real FaceReID descriptors, but faces drawn as coloured squares so detection is exact: what is
 * tested here is tracking, voting, events, debouncing and snapshots. The real detector and network
 * run in {@code DoorbellEndToEndTest}.
 */
class DoorbellPipelineTest {
    static final int RED = 0xE02020;
    static final int GREEN = 0x20C040;
    static final int BLUE = 0x2040E0;

    @TempDir
    Path dir;

    /** Finds axis-aligned squares that differ from the gray background (test scaffold). */
    static final FrameDetector SQUARES = (frame, out) -> {
        out.clear();
        int w = frame.width();
        int h = frame.height();
        boolean[] seen = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!seen[y * w + x] && frame.rgb().getRgb(x, y) != 0x808080) {
                    int x1 = x;
                    while (x1 < w && frame.rgb().getRgb(x1, y) != 0x808080) {
                        x1++;
                    }
                    int y1 = y;
                    while (y1 < h && frame.rgb().getRgb(x, y1) != 0x808080) {
                        y1++;
                    }
                    for (int yy = y; yy < y1; yy++) {
                        for (int xx = x; xx < x1; xx++) {
                            seen[yy * w + xx] = true;
                        }
                    }
                    out.add(x, y, x1 - x, y1 - y, 1f);
                }
            }
        }
    };

    static FrameDescriber describer(Map<Integer, Descriptor> byColour, int[] calls) {
        return new FrameDescriber() {
            @Override public FaceModel model() { return FaceModel.FACEREID; }

            @Override
            public Descriptor describe(Frame frame, int x, int y, int w, int h) {
                calls[0]++;
                return byColour.get(frame.rgb().getRgb(x + w / 2, y + h / 2));
            }
        };
    }

    static void paint(Frame f, long seq, int... squares) {
        f.resize(320, 240);
        f.rgb().fill(0x808080);
        for (int i = 0; i < squares.length; i += 3) {
            int colour = squares[i];
            int x = squares[i + 1];
            int y = squares[i + 2];
            for (int yy = y; yy < y + 60; yy++) {
                for (int xx = x; xx < x + 60; xx++) {
                    f.rgb().setRgb(xx, yy, colour);
                }
            }
        }
        f.grayFromRgb();
        f.stamp(seq, seq * 100_000);
    }

    @Test
    void enrolledPersonIsNamedOnceAndAStrangerIsRecordedWithSnapshots() throws Exception {
        Map<Integer, Descriptor> byColour = new HashMap<>();
        byColour.put(RED, KnownFaces.person(0));
        byColour.put(GREEN, KnownFaces.person(1));
        byColour.put(BLUE, KnownFaces.person(2));
        ColourCodedEngine engine = new ColourCodedEngine(FaceModel.FACEREID)
                .register(RED, KnownFaces.person(0)).register(GREEN, KnownFaces.person(1));
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC())) {
            assertEquals(1, h.gallery().enrol(engine.engine(), "Alex",
                    List.of(new PhotoInput("alex.png", ColourCodedEngine.photo(RED, 200, 200))), Progress.NONE).acceptedCount());
            LiveView view = new LiveView();
            int[] calls = {0};
            try (DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
                DoorbellPipeline p = new DoorbellPipeline(PipelineConfig.DEFAULT, SQUARES, describer(byColour, calls),
                        h.gallery(), events, view, Clock.systemUTC());
                Frame f = new Frame();
                long seq = 0;
                // Alex walks in, stays 20 frames.
                for (int i = 0; i < 20; i++) {
                    paint(f, seq++, RED, 40 + 2 * i, 60);
                    p.process(f);
                }
                LiveView.Snapshot s = new LiveView.Snapshot();
                assertTrue(view.copyNewer(0, 0, s));
                assertEquals(1, s.count);
                assertEquals(LiveView.Kind.KNOWN, s.kind[0]);
                assertEquals("Alex", s.label[0]);
                // Nobody; then a one-frame blue flicker (never confirmed); then a stranger for 20 frames.
                for (int i = 0; i < 10; i++) {
                    paint(f, seq++);
                    p.process(f);
                }
                paint(f, seq++, BLUE, 200, 100);
                p.process(f);
                for (int i = 0; i < 10; i++) {
                    paint(f, seq++);
                    p.process(f);
                }
                for (int i = 0; i < 20; i++) {
                    paint(f, seq++, GREEN, 180 - i, 80);
                    p.process(f);
                }
                assertTrue(view.copyNewer(0, 0, s));
                assertEquals(LiveView.Kind.STRANGER, s.kind[0]);
                // Alex comes back within the debounce interval: named on screen, no second event.
                for (int i = 0; i < 10; i++) {
                    paint(f, seq++);
                    p.process(f);
                }
                for (int i = 0; i < 20; i++) {
                    paint(f, seq++, RED, 100, 100);
                    p.process(f);
                }
                assertTrue(view.copyNewer(0, 0, s));
                assertEquals("Alex", s.label[0]);
                events.flush(5000);
                assertEquals(1, events.suppressed(), "the second visit is debounced");
                assertEquals(0, events.dropped());
            }
            assertEquals(3 * (5 + 1), calls[0], "3 tracks x 5 votes, every other frame after confirmation, and one"
                    + " appearance check " + DoorbellPipeline.RECHECK_EVERY + " frames after the last vote");
            List<Event> history = h.events().query(EventQuery.latest(10)).reversed();
            assertEquals(2, history.size(), history.toString());
            assertEquals(EventKind.KNOWN, history.get(0).kind());
            assertEquals("Alex", history.get(0).label());
            assertEquals(EventKind.STRANGER, history.get(1).kind());
            for (Event e : history) {
                assertTrue(e.hasSnapshot());
                BufferedImage snap = ImageIO.read(new ByteArrayInputStream(h.events().snapshot(e.id()).orElseThrow()));
                assertEquals(640, snap.getWidth(), "snapshot is the annotated frame at 2x");
                assertEquals(480, snap.getHeight());
            }
            List<Stranger> strangers = h.gallery().strangers();
            assertEquals(1, strangers.size());
            BufferedImage face = ImageIO.read(new ByteArrayInputStream(h.gallery().photoBytes(strangers.get(0).photoId())));
            assertEquals(GREEN, face.getRGB(face.getWidth() / 2, face.getHeight() / 2) & 0xFFFFFF, "the stranger's face photo");
            assertTrue(face.getWidth() >= 100, "face photos are enlarged for later re-detection");
        }
    }

    @Test
    void frameLoopAllocatesNothingWhileNobodyIsIdentified() throws Exception {
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC());
             DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
            // A detector that reports a fixed face only every other frame: tracks never confirm.
            FrameDetector flicker = (frame, out) -> {
                out.clear();
                if (frame.sequence() % 2 == 0) {
                    out.add(50, 50, 60, 60, 1f);
                }
            };
            DoorbellPipeline p = new DoorbellPipeline(PipelineConfig.DEFAULT, flicker, describer(Map.of(), new int[1]),
                    h.gallery(), events, new LiveView(), Clock.systemUTC());
            Frame f = new Frame();
            paint(f, 0);
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                long before = mx.getThreadAllocatedBytes(Thread.currentThread().threadId());
                for (int i = 0; i < 300; i++) {
                    f.stamp(round * 300L + i, i);
                    p.process(f);
                }
                if (round >= 5) {
                    least = Math.min(least, mx.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before);
                }
            }
            assertEquals(0, least, "bytes allocated by 300 frames of detect+track+publish after warm-up");
        }
    }

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        volatile java.time.Instant now = java.time.Instant.parse("2026-12-04T13:16:00Z");

        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public java.time.Instant instant() { return now; }
    }

    @Test
    void withoutFramesTheLiveViewSaysNoSignalAndForgetsTheFace() throws Exception {
        Map<Integer, Descriptor> byColour = new HashMap<>();
        byColour.put(RED, KnownFaces.person(0));
        HandClock clock = new HandClock();
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC());
             DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
            LiveView view = new LiveView();
            DoorbellPipeline p = new DoorbellPipeline(PipelineConfig.DEFAULT, SQUARES, describer(byColour, new int[1]),
                    h.gallery(), events, view, clock);
            io.tinyreid.app.source.FrameExchange exchange = new io.tinyreid.app.source.FrameExchange(true);
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    p.run(exchange, running::get);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                for (int i = 0; i < 12; i++) {
                    paint(exchange.back(), i, RED, 100, 80);
                    assertTrue(exchange.publish());
                }
                LiveView.Snapshot s = new LiveView.Snapshot();
                long seen = 0;
                while (s.frame.sequence() != 11) { // every frame processed
                    assertTrue(view.copyNewer(seen, 5000, s), "the frames are processed");
                    seen = s.sequence;
                }
                assertEquals(1, s.count);
                assertEquals(LiveView.Kind.STRANGER, s.kind[0], "a stranger at the door (nobody is enrolled)");
                assertTrue(s.signal);
                // Frames stop: 2.9 s (by the pipeline's clock) is not yet "no signal", 3 s is.
                clock.now = clock.now.plusMillis(2900);
                assertFalse(view.copyNewer(seen, 1000, s), "still showing the face after 2.9 s");
                clock.now = clock.now.plusMillis(100);
                assertTrue(view.copyNewer(seen, 5000, s), "a no-signal frame is published");
                assertFalse(s.signal);
                assertEquals(0, s.count, "no face on a dead camera");
                assertFalse(view.signal());
                assertEquals(0, p.tracker().confirmedCount(), "and the tracker forgot it");
                // The camera comes back.
                paint(exchange.back(), 12, RED, 100, 80);
                assertTrue(exchange.publish());
                assertTrue(view.copyNewer(s.sequence, 5000, s));
                assertTrue(s.signal);
                assertTrue(view.signal());
            } finally {
                running.set(false);
                loop.join(5000);
            }
        }
    }

    @Test
    void aFaceFirstTakenForAStrangerIsNamedOnLaterVotesWhileStillAtTheDoor() throws Exception {
        // The first two identifications miss (far, blurred: here Alex's descriptor moved part of the way
        // towards another face's, just beyond the accept distance), the next three match Alex.
        Map<Integer, Descriptor> byColour = new HashMap<>();
        byColour.put(RED, KnownFaces.person(0));
        ColourCodedEngine engine = new ColourCodedEngine(FaceModel.FACEREID).register(RED, KnownFaces.person(0));
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC())) {
            h.gallery().enrol(engine.engine(), "Alex", List.of(new PhotoInput("alex.png", ColourCodedEngine.photo(RED, 200, 200))),
                    Progress.NONE);
            Descriptor blurred = null;
            for (int step = 1; step < 20 && blurred == null; step++) {
                Descriptor mix = mix(KnownFaces.person(0), KnownFaces.person(1), step / 20.0);
                if (h.gallery().identify(mix) instanceof io.tinyreid.app.gallery.Identification.Unknown u) {
                    assertTrue(u.distance() < h.gallery().differentFaceDistance(),
                            "a blurred face is not yet another face: " + u.distance() + " vs " + h.gallery().differentFaceDistance());
                    blurred = mix;
                }
            }
            assertNotNull(blurred);
            byColour.put(GREEN, blurred);
            LiveView view = new LiveView();
            int[] calls = {0};
            try (DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
                DoorbellPipeline p = new DoorbellPipeline(PipelineConfig.DEFAULT, SQUARES, describer(byColour, calls),
                        h.gallery(), events, view, Clock.systemUTC());
                Frame f = new Frame();
                LiveView.Snapshot s = new LiveView.Snapshot();
                // confirmed on frame 2; identified on frames 2, 4 (green), 6, 8, 10 (red)
                for (int i = 0; i <= 10; i++) {
                    paint(f, i, i < 5 ? GREEN : RED, 100, 80);
                    p.process(f);
                    assertTrue(view.copyNewer(0, 0, s));
                    if (i == 6) {
                        assertEquals(LiveView.Kind.PENDING, s.kind[0], "3 votes, no majority for anyone: still asking");
                    }
                }
                assertEquals(5, calls[0]);
                assertEquals(LiveView.Kind.KNOWN, s.kind[0], "named on the 5th vote, 3 of 5 for Alex");
                assertEquals("Alex", s.label[0]);
                events.flush(5000);
            }
            List<Event> history = h.events().query(EventQuery.latest(10));
            assertEquals(List.of(EventKind.KNOWN), history.stream().map(Event::kind).toList(), "no stranger event: " + history);
            assertTrue(h.gallery().strangers().isEmpty());
        }
    }

    static final int YELLOW = 0xE0E020;

    @Test
    void aTrackNeverRunsThroughAnotherFaceAtTheSameSpot() throws Exception {
        // Four people stand at the same spot one after the other with no gap between them (a slideshow
        // of photos as the camera, a family crowding the door): overlap alone would make them one track.
        java.util.Random random = new java.util.Random(16);
        short[] noise = new short[512];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) Math.round(random.nextGaussian() * 1000);
        }
        Map<Integer, Descriptor> byColour = new HashMap<>();
        byColour.put(RED, KnownFaces.person(0));
        byColour.put(GREEN, KnownFaces.person(1));
        byColour.put(BLUE, KnownFaces.person(2));
        byColour.put(YELLOW, new Descriptor.Int16(noise));
        ColourCodedEngine engine = new ColourCodedEngine(FaceModel.FACEREID)
                .register(RED, KnownFaces.person(0)).register(GREEN, KnownFaces.person(1)).register(BLUE, KnownFaces.person(2));
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC())) {
            String[] names = {"Alex", "Francesco", "Lena"};
            int[] colours = {RED, GREEN, BLUE};
            for (int i = 0; i < 3; i++) {
                h.gallery().enrol(engine.engine(), names[i],
                        List.of(new PhotoInput(names[i] + ".png", ColourCodedEngine.photo(colours[i], 200, 200))), Progress.NONE);
            }
            LiveView view = new LiveView();
            List<String> shown = new java.util.ArrayList<>();
            List<Long> trackIds = new java.util.ArrayList<>();
            long splits;
            try (DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
                DoorbellPipeline p = new DoorbellPipeline(PipelineConfig.DEFAULT, SQUARES, describer(byColour, new int[1]),
                        h.gallery(), events, view, Clock.systemUTC());
                Frame f = new Frame();
                LiveView.Snapshot s = new LiveView.Snapshot();
                long seq = 0;
                for (int colour : new int[] {RED, GREEN, BLUE, YELLOW}) {
                    for (int i = 0; i < 24; i++) {
                        paint(f, seq++, colour, 100, 80);
                        p.process(f);
                    }
                    assertTrue(view.copyNewer(0, 0, s));
                    assertEquals(1, s.count);
                    shown.add(s.label[0]);
                    trackIds.add(p.tracker().slot(0).id());
                }
                events.flush(5000);
                splits = p.stats().splits();
            }
            assertEquals(List.of("Alex", "Francesco", "Lena", "stranger"), shown, "each face named while at the door");
            assertEquals(4, trackIds.stream().distinct().count(), "one track per face: " + trackIds);
            assertEquals(3, splits);
            List<Event> history = h.events().query(EventQuery.latest(10)).reversed();
            assertEquals(List.of("KNOWN Alex", "KNOWN Francesco", "KNOWN Lena", "STRANGER"),
                    history.stream().map(e -> e.kind() + (e.kind() == EventKind.KNOWN ? " " + e.label() : "")).toList());
        }
    }

    /** {@code a} moved the fraction {@code t} of the way towards {@code b} (int16 descriptors). */
    static Descriptor mix(Descriptor a, Descriptor b, double t) {
        short[] out = new short[a.dimension()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(a.component(i) + t * (b.component(i) - a.component(i)));
        }
        return new Descriptor.Int16(out);
    }
}
