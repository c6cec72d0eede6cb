package io.tinyreid.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.engine.FaceReidFrames;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.source.Backoff;
import io.tinyreid.app.source.Capture;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.source.FrameExchange;
import io.tinyreid.app.source.FrameSource;
import io.tinyreid.app.source.SourceSpec;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.track.Track;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * The doorbell's steady state, every step of it on every frame: the capture thread hands frames
 * over ({@link FrameExchange}), the frame loop ({@link DoorbellPipeline#run}) takes each one,
 * runs the real Haar detector, the tracker, the real FaceReID network (exact mode, the product's
 * {@link FaceReidFrames}) on the visitor's face and matches the descriptor against a household
 * of 20 enrolled people. The frame loop thread's allocation counter
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}) must not move over 300
 * frames after warm-up.
 */
class SteadyStateAllocationTest {
    private static final int MEASURED = 300;
    /**
     * Warm-up ends with the first {@link #MEASURED} consecutive frames that allocate nothing, which
     * are the measurement: a per-frame or periodic allocation (any period up to 300 frames) never
     * lets it start. The JIT allocates on the loop's thread now and then while it is still compiling
     * the loop: a JFR trace (allocations outside TLABs) shows String and byte[] objects allocated at a
     * back-edge of compiled {@code FaceReidFrames.cropInto}, about 800 bytes once around frame 425
     * (consistent with HotSpot resolving a class's string constants on the thread that requests a C2
     * compilation), and single events of 64-128 bytes up to frame 1045 here, so no fixed warm-up
     * length is safe. The frames that allocated during warm-up are printed.
     */
    private static final int MAX_FRAMES = 3000;

    @TempDir
    Path dir;

    @Test
    void threeHundredFramesOfGrabDetectTrackEmbedMatchAllocateNothing() throws Exception {
        // identify on every frame and never reach a verdict in the run, so that each measured frame
        // embeds and matches (a verdict, once per visitor, allocates its event by design)
        steadyState(new PipelineConfig(3, 1, 3200, 3200, Duration.ofSeconds(60), 24));
    }

    @Test
    void withQualityGatesAndTheVisitDescriptorTheyStillAllocateNothing() throws Exception {
        // every frame's crop measured (gates that pass the visitor's face) and added to the visit's weighted mean
        steadyState(new PipelineConfig(3, 1, 3200, 3200, Duration.ofSeconds(60), 24)
                .with(0.001, 100, PipelineConfig.Decision.VISIT));
    }

    private void steadyState(PipelineConfig config) throws Exception {
        Path lfw = SharedData.require("data/lfw-dev/images");
        Engines engines = new Engines(new ModelCache(SharedData.root().resolve("models")));
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC());
             DoorEvents events = new DoorEvents(h.gallery(), h.events(), config.debounce(), Clock.systemUTC())) {
            long blair = enrolTwentyPeople(h, engines.photoEngine(FaceModel.FACEREID), lfw);
            List<Frame> clip = visitorClip(lfw.resolve("Tony_Blair"), 10);
            FrameEngine engine = engines.frameEngine(FaceModel.FACEREID);
            assertTrue(engine.describer() instanceof FaceReidFrames, "the product's frame network");
            try (DoorbellPipeline p = new DoorbellPipeline(config, engine.detector(), engine.describer(), h.gallery(),
                    events, new LiveView(), Clock.systemUTC());
                 Capture camera = new Capture(new SourceSpec.Camera(Path.of("/dev/video-test")), spec -> replay(clip),
                         new FrameExchange(true), Backoff.DEFAULT, false, null).start()) {
                var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                // frame where the current allocation-free run started, the counter there, the frame count and bytes of
                // the allocations seen, identifications at the start of the run and at its end, the counter at its end
                long[] at = {0, -1, 0, 0, 0, 0, -1};
                long[] allocatedAt = new long[64];
                p.run(camera.exchange(), () -> {
                    long n = p.stats().frames();
                    long bytes = mx.getCurrentThreadAllocatedBytes();
                    if (bytes != at[1]) { // this frame allocated: a new run starts after it
                        if (at[1] >= 0 && at[2] < allocatedAt.length) {
                            allocatedAt[(int) at[2]++] = n - 1;
                        }
                        at[3] += at[1] >= 0 ? bytes - at[1] : 0;
                        at[1] = bytes;
                        at[0] = n;
                        at[4] = p.stats().identifications();
                        return n < MAX_FRAMES;
                    }
                    if (n - at[0] == MEASURED) {
                        at[5] = p.stats().identifications();
                        at[6] = bytes;
                        return false;
                    }
                    return n < MAX_FRAMES;
                });
                long warmUp = at[0];
                StringBuilder warm = new StringBuilder();
                for (int i = 0; i < Math.min(at[2], allocatedAt.length); i++) {
                    warm.append(' ').append(allocatedAt[i]);
                }
                System.out.printf("warm-up: %d frames; %d bytes allocated in frames%s%n", warmUp, at[3], warm);
                assertEquals(warmUp + MEASURED, p.stats().frames(), "no " + MEASURED + " frames in a row without allocating in "
                        + MAX_FRAMES + " frames; frames that allocated:" + warm);
                assertEquals(0, at[6] - at[1], "bytes allocated by " + MEASURED + " frames of grab, detect, track, embed, match");
                assertEquals(MEASURED, at[5] - at[4], "every measured frame embedded and matched the visitor's face");
                Track visitor = onlyTrack(p);
                assertEquals(blair, visitor.majorityKey(), "the gallery named the enrolled visitor");
                assertTrue(visitor.votesFor(blair) * 10 >= visitor.votes() * 9,
                        visitor.votesFor(blair) + " of " + visitor.votes() + " matches name him");
            }
        }
    }

    /** Tony Blair (photos 3-6) and the first 19 other LFW people (whose first photo enrols); returns his id. */
    private static long enrolTwentyPeople(Household h, FaceEngine photos, Path lfw) throws Exception {
        List<PhotoInput> his = new ArrayList<>();
        for (int n = 3; n <= 6; n++) {
            Path p = photo(lfw.resolve("Tony_Blair"), n);
            his.add(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p)));
        }
        assertEquals(4, h.gallery().enrol(photos, "Tony Blair", his, Progress.NONE).acceptedCount());
        int people = 1;
        try (Stream<Path> dirs = Files.list(lfw)) {
            for (Path d : dirs.sorted().toList()) {
                if (people == 20) {
                    break;
                }
                if (d.getFileName().toString().equals("Tony_Blair")) {
                    continue;
                }
                Path p = photo(d, 1);
                EnrolReport r = h.gallery().enrol(photos, d.getFileName().toString(),
                        List.of(new PhotoInput(p.getFileName().toString(), Files.readAllBytes(p))), Progress.NONE);
                people += r.acceptedCount() > 0 ? 1 : 0;
            }
        }
        List<Person> all = h.gallery().people();
        assertEquals(20, all.size());
        return all.stream().filter(x -> x.name().equals("Tony Blair")).findFirst().orElseThrow().id();
    }

    private static Path photo(Path person, int n) throws Exception {
        try (Stream<Path> files = Files.list(person)) {
            return files.sorted().toList().get(n - 1);
        }
    }

    /** Other photos of him than those enrolled, each drifting across a door for a few frames. */
    private static List<Frame> visitorClip(Path person, int frames) throws Exception {
        List<Frame> out = new ArrayList<>();
        BufferedImage canvas = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < frames; k++) {
            BufferedImage face = ImageIO.read(photo(person, 8 + k / 5).toFile());
            Graphics2D g = canvas.createGraphics();
            g.setColor(new Color(0x5a, 0x4a, 0x3c));
            g.fillRect(0, 0, 320, 240);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(face, 60 + k % 5 * 2, 20, 200, 200, null);
            g.dispose();
            Frame f = new Frame();
            f.resize(320, 240);
            for (int y = 0; y < 240; y++) {
                for (int x = 0; x < 320; x++) {
                    f.rgb().setRgb(x, y, canvas.getRGB(x, y));
                }
            }
            f.grayFromRgb();
            out.add(f);
        }
        return out;
    }

    /** A camera that plays the clip again and again (copying each picture into the hand-off's buffer). */
    private static FrameSource replay(List<Frame> clip) {
        return new FrameSource() {
            private int next;

            @Override
            public boolean read(Frame into) {
                into.copyFrom(clip.get(next++ % clip.size()));
                return true;
            }

            @Override
            public boolean live() {
                return true;
            }

            @Override
            public double frameRate() {
                return 10;
            }

            @Override
            public void close() {}
        };
    }

    private static Track onlyTrack(DoorbellPipeline p) {
        Track found = null;
        for (int i = 0; i < p.tracker().capacity(); i++) {
            Track t = p.tracker().slot(i);
            if (t.state() != Track.State.FREE) {
                assertTrue(found == null, "one visitor, one track");
                found = t;
            }
        }
        assertTrue(found != null && found.confirmed(), "the visitor is tracked");
        return found;
    }
}
