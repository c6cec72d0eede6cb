package io.tinyreid.app.pipeline;

import static io.tinyreid.app.pipeline.DoorbellPipelineTest.BLUE;
import static io.tinyreid.app.pipeline.DoorbellPipelineTest.GREEN;
import static io.tinyreid.app.pipeline.DoorbellPipelineTest.RED;
import static io.tinyreid.app.pipeline.DoorbellPipelineTest.SQUARES;
import static io.tinyreid.app.pipeline.DoorbellPipelineTest.paint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;

/** Quality gates (skipped and counted) and the visit decision in the frame loop, on colour-coded clips. */
class QualityAndVisitPipelineTest {
    private static final int CROP = 32;

    @TempDir
    Path dir;

    /**
     * The colour-coded describer with a crop for quality: faces of a colour in {@code sharp} get a
     * textured crop, the others a flat one (as blurred as a crop gets).
     */
    static FrameDescriber describer(Map<Integer, Descriptor> byColour, int[] calls, Set<Integer> sharp) {
        FrameDescriber inner = DoorbellPipelineTest.describer(byColour, calls);
        byte[] texture = new byte[CROP * CROP];
        new Random(3).nextBytes(texture);
        byte[] crop = new byte[CROP * CROP];
        return new FrameDescriber() {
            @Override public FaceModel model() { return inner.model(); }

            @Override
            public Descriptor describe(Frame frame, int x, int y, int w, int h) {
                return inner.describe(frame, x, y, w, h);
            }

            @Override
            public byte[] cropForQuality(Frame frame, int x, int y, int w, int h) {
                int colour = frame.rgb().getRgb(x + w / 2, y + h / 2);
                for (int i = 0; i < crop.length; i++) {
                    crop[i] = sharp.contains(colour) ? texture[i] : (byte) 120;
                }
                return crop;
            }

            @Override public int cropSide() { return CROP; }
        };
    }

    private static void enrolAlex(Household h) {
        ColourCodedEngine engine = new ColourCodedEngine(FaceModel.FACEREID).register(RED, KnownFaces.person(0));
        assertEquals(1, h.gallery().enrol(engine.engine(), "Alex",
                List.of(new PhotoInput("alex.png", ColourCodedEngine.photo(RED, 200, 200))), Progress.NONE).acceptedCount());
    }

    @Test
    void blurredAndSmallFacesAreSkippedCountedAndNeverNamed() throws Exception {
        Map<Integer, Descriptor> byColour = new HashMap<>();
        byColour.put(RED, KnownFaces.person(0));
        byColour.put(GREEN, KnownFaces.person(0)); // Alex again, but blurred
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC())) {
            enrolAlex(h);
            int[] calls = {0};
            PipelineConfig gated = PipelineConfig.DEFAULT.with(0.01, Double.POSITIVE_INFINITY, PipelineConfig.Decision.VOTES);
            try (DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
                DoorbellPipeline p = new DoorbellPipeline(gated, SQUARES, describer(byColour, calls, Set.of(RED)), h.gallery(),
                        events, new LiveView(), Clock.systemUTC());
                Frame f = new Frame();
                // a blurred face for 20 frames: confirmed on frame 2, then skipped on each of frames 2..19
                for (int i = 0; i < 20; i++) {
                    paint(f, i, GREEN, 100, 80);
                    p.process(f);
                }
                assertEquals(0, calls[0], "a blurred face is never described");
                assertEquals(18, p.stats().skippedPoor(), "each frame it would have been identified on is counted");
                assertEquals(0, p.stats().skippedSmall());
                assertTrue(p.stats().line().contains("18 blurred or turned"), p.stats().line());
                for (int i = 20; i < 30; i++) {
                    paint(f, i);
                    p.process(f);
                }
                // the same person in focus is described and named as before
                for (int i = 30; i < 50; i++) {
                    paint(f, i, RED, 100, 80);
                    p.process(f);
                }
                assertEquals(5 + 1, calls[0], "5 votes and one appearance check");
                assertEquals(18, p.stats().skippedPoor());
                events.flush(5000);
            }
            List<Event> history = h.events().query(EventQuery.latest(10));
            assertEquals(List.of(EventKind.KNOWN), history.stream().map(Event::kind).toList(), "no event for the blurred face");

            // faces below the minimum size are skipped and counted too (60-pixel squares, minimum 61)
            PipelineConfig far = new PipelineConfig(3, 2, 3, 5, Duration.ofSeconds(60), 61);
            int[] more = {0};
            try (DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
                DoorbellPipeline p = new DoorbellPipeline(far, SQUARES, describer(byColour, more, Set.of(RED)), h.gallery(),
                        events, new LiveView(), Clock.systemUTC());
                Frame f = new Frame();
                for (int i = 0; i < 12; i++) {
                    paint(f, i, RED, 100, 80);
                    p.process(f);
                }
                assertEquals(0, more[0]);
                assertEquals(10, p.stats().skippedSmall());
                assertEquals(0, p.stats().skippedPoor());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PipelineConfig.Decision.class)
    void aStrangerAtTheDoorForTheWholeClipIsNeverNamedAndAlexIsNamedWithinASecond(PipelineConfig.Decision decision)
            throws Exception {
        Map<Integer, Descriptor> byColour = new HashMap<>();
        byColour.put(RED, KnownFaces.person(0));
        byColour.put(BLUE, KnownFaces.person(2));
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC())) {
            enrolAlex(h);
            PipelineConfig config = PipelineConfig.DEFAULT.with(0.01, Double.POSITIVE_INFINITY, decision);
            LiveView view = new LiveView();
            try (DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
                DoorbellPipeline p = new DoorbellPipeline(config, SQUARES, describer(byColour, new int[1], Set.of(RED, BLUE)),
                        h.gallery(), events, view, Clock.systemUTC());
                Frame f = new Frame();
                LiveView.Snapshot s = new LiveView.Snapshot();
                long seq = 0;
                // a stranger stays at the door for 15 s of 10 fps video
                boolean calledStranger = false;
                for (int i = 0; i < 150; i++) {
                    paint(f, seq++, BLUE, 120 + (i % 7), 80);
                    p.process(f);
                    assertTrue(view.copyNewer(0, 0, s));
                    for (int k = 0; k < s.count; k++) {
                        assertNotEquals(LiveView.Kind.KNOWN, s.kind[k], "frame " + i + ": the stranger was named " + s.label[k]);
                        calledStranger |= s.kind[k] == LiveView.Kind.STRANGER;
                    }
                }
                assertTrue(calledStranger, "the stranger was called a stranger");
                for (int i = 0; i < 10; i++) {
                    paint(f, seq++);
                    p.process(f);
                }
                // Alex arrives: confirmed on his third frame, named within the next second (10 frames)
                long confirmedAt = -1;
                long namedAt = -1;
                for (int i = 0; i < 30 && namedAt < 0; i++) {
                    paint(f, seq, RED, 60 + i, 70);
                    p.process(f);
                    assertTrue(view.copyNewer(0, 0, s));
                    if (confirmedAt < 0 && s.count > 0) { // the live view shows confirmed faces only
                        confirmedAt = f.timestampMicros();
                    }
                    if (s.count > 0 && s.kind[0] == LiveView.Kind.KNOWN) {
                        assertEquals("Alex", s.label[0]);
                        namedAt = f.timestampMicros();
                    }
                    seq++;
                }
                assertTrue(confirmedAt >= 0 && namedAt >= 0, "confirmed at " + confirmedAt + ", named at " + namedAt);
                assertTrue(namedAt - confirmedAt <= 1_000_000, "named " + (namedAt - confirmedAt) / 1000 + " ms after confirmation");
                events.flush(5000);
            }
            List<Event> history = h.events().query(EventQuery.latest(10)).reversed();
            assertEquals(List.of(EventKind.STRANGER, EventKind.KNOWN), history.stream().map(Event::kind).toList());
            assertEquals("Alex", history.get(1).label());
        }
    }
}
