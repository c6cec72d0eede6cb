package io.tinyreid.app.pipeline;

import java.time.Clock;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.tinyreid.app.display.Annotator;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.source.FrameExchange;
import io.tinyreid.app.track.Detections;
import io.tinyreid.app.track.IouTracker;
import io.tinyreid.app.track.Track;

/**
 * The frame loop: detect on every frame, track, identify each confirmed track a few times, vote,
 * and hand verdicts ("known person X", "stranger") with a snapshot to {@link DoorEvents}.
 *
 * <p>Frames come from a {@link FrameExchange}, which drops what arrives while a frame is being
 * processed. Detection and tracking use buffers allocated here once; identification (a few times
 * per visitor) and verdicts allocate their descriptors and images.
 */
public final class DoorbellPipeline {
    private final PipelineConfig config;
    private final FrameDetector detector;
    private final FrameDescriber describer;
    private final Gallery gallery;
    private final DoorEvents events;
    private final LiveView view;
    private final Clock clock;
    private final Detections detections = new Detections(32);
    private final IouTracker tracker;
    private final PipelineStats stats = new PipelineStats();
    private final long[] slotTrack;
    private final Identification[][] slotVotes;
    private final Descriptor[] slotBest;
    private final int[] slotBestArea;
    private final LiveView.Snapshot snapshot = new LiveView.Snapshot();
    private final Annotator snapshotAnnotator = new Annotator(2);

    public DoorbellPipeline(PipelineConfig config, FrameDetector detector, FrameDescriber describer, Gallery gallery,
                            DoorEvents events, LiveView view, Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.detector = Objects.requireNonNull(detector);
        this.describer = Objects.requireNonNull(describer);
        this.gallery = Objects.requireNonNull(gallery);
        this.events = Objects.requireNonNull(events);
        this.view = Objects.requireNonNull(view);
        this.clock = Objects.requireNonNull(clock);
        this.tracker = new IouTracker(8, 32, 0.3f, config.confirmFrames(), 5, config.maxVotes());
        int slots = tracker.capacity();
        slotTrack = new long[slots];
        slotVotes = new Identification[slots][config.maxVotes()];
        slotBest = new Descriptor[slots];
        slotBestArea = new int[slots];
    }

    /** Counters for status lines. */
    public PipelineStats stats() {
        return stats;
    }

    /** The tracker (read by tests). */
    IouTracker tracker() {
        return tracker;
    }

    /**
     * Takes frames until the exchange is closed and drained or {@code running} turns false.
     * Errors in one frame are reported and the loop goes on.
     */
    public void run(FrameExchange exchange, BooleanSupplier running) throws InterruptedException {
        while (running.getAsBoolean()) {
            Frame f = exchange.take(250);
            if (f == null) {
                if (exchange.drained()) {
                    return;
                }
                continue;
            }
            process(f);
        }
    }

    /** Processes one frame. */
    public void process(Frame frame) {
        long t0 = System.nanoTime();
        detector.detect(frame, detections);
        long t1 = System.nanoTime();
        tracker.update(detections, frame.sequence());
        for (int i = 0; i < tracker.capacity(); i++) {
            Track t = tracker.slot(i);
            if (t.state() == Track.State.FREE) {
                continue;
            }
            if (slotTrack[i] != t.id()) {
                slotTrack[i] = t.id();
                slotBest[i] = null;
                slotBestArea[i] = 0;
            }
            if (t.confirmed() && t.seenNow()) {
                identify(frame, t);
            }
        }
        view.publish(frame, tracker);
        stats.frame(t0, t1, System.nanoTime());
    }

    private void identify(Frame frame, Track t) {
        int slot = t.slot();
        if (!t.wantsVotes() || frame.sequence() - t.lastIdentifyFrame() < config.identifyEvery()
                || Math.min(t.width(), t.height()) < config.minFaceSize()
                || !describer.model().equals(gallery.model())) {
            return;
        }
        Descriptor d = describer.describe(frame, t.x(), t.y(), t.width(), t.height());
        Identification who = gallery.identify(d);
        stats.identified();
        slotVotes[slot][t.votes()] = who;
        long key = who instanceof Identification.Known k ? k.personId() : Track.STRANGER;
        t.vote(key, (float) who.distance(), frame.sequence());
        int area = t.width() * t.height();
        if (area >= slotBestArea[slot]) {
            slotBestArea[slot] = area;
            slotBest[slot] = d;
        }
        if (!t.decided() && t.votes() >= config.votesToDecide()) {
            decide(frame, t);
        }
    }

    private void decide(Frame frame, Track t) {
        int slot = t.slot();
        long key = t.majorityKey();
        Identification.Known known = null;
        if (key != Track.STRANGER && t.votesFor(key) * 2 > t.votes()) {
            for (int i = 0; i < t.votes(); i++) {
                if (slotVotes[slot][i] instanceof Identification.Known k && k.personId() == key) {
                    known = new Identification.Known(k.personId(), k.name(), t.meanDistance(key), k.threshold());
                    break;
                }
            }
        }
        if (known != null) {
            t.decide(key, known.name(), (float) known.distance());
        } else {
            t.decide(Track.STRANGER, "stranger", Float.NaN);
        }
        t.markAnnounced();
        LiveView.fill(snapshot, frame, tracker);
        byte[] jpeg = FaceCrops.jpeg(snapshotAnnotator.render(snapshot));
        if (known != null) {
            events.offer(new DoorEvents.KnownVerdict(clock.instant(), known, jpeg));
        } else {
            FacePhoto face = FaceCrops.facePhoto(frame.rgb(), t.x(), t.y(), t.width(), t.height(), 2.0);
            events.offer(new DoorEvents.StrangerVerdict(clock.instant(), slotBest[slot], face, jpeg));
        }
    }
}
