package io.tinyreid.app.pipeline;

import java.time.Clock;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.tinyreid.app.display.Annotator;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.DescriptorFormat;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.Match;
import io.tinyreid.app.gallery.UnitVectors;
import io.tinyreid.app.quality.FaceQuality;
import io.tinyreid.app.quality.VisitDescriptor;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.source.FrameExchange;
import io.tinyreid.app.track.Detections;
import io.tinyreid.app.track.IouTracker;
import io.tinyreid.app.track.Track;

/**
 * The frame loop: detect on every frame, track, identify each confirmed track a few times, vote,
 * and hand verdicts ("known person X", "stranger") with a snapshot to {@link DoorEvents}. A track
 * is named as soon as, from {@code votesToDecide} votes on, one person holds a majority of them; it is
 * called a stranger only once its whole vote budget ({@code maxVotes}) is spent without that.
 *
 * <p>Frames come from a {@link FrameExchange}, which drops what arrives while a frame is being
 * processed. Grab, detection, tracking, identification (descriptor into a reused buffer, matched
 * against the gallery's flat index) and votes use buffers allocated here once: a steady-state frame
 * allocates nothing on the Java heap (with a describer that overrides
 * {@link FrameDescriber#describeInto}, as the FaceReID frame path does). Only a verdict, once per
 * visitor, allocates what it hands to the event writer (snapshot JPEG, face photo, descriptor copy).
 */
public final class DoorbellPipeline implements AutoCloseable {
    /** Without a frame for this long, the live view says "no signal" and shows no faces. */
    public static final java.time.Duration NO_SIGNAL = java.time.Duration.ofSeconds(3);
    /**
     * Once a track's vote budget is spent its face is still described every this many frames, only
     * to notice that someone else now stands where it was (the track then splits).
     */
    static final int RECHECK_EVERY = 8;

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
    // each slot's votes as the gallery answered them (known or not, person, name, threshold)
    private final boolean[][] voteKnown;
    private final long[][] votePerson;
    private final String[][] voteName;
    private final double[][] voteThreshold;
    private final DescriptorBuffer query;
    private final Match match = new Match();
    private final DescriptorBuffer[] slotBest;
    private final int[] slotBestArea;
    // each slot's last descriptor as a unit vector, and the frame it was taken (appearance check)
    private final short[][] slotUnit;
    private final long[] slotDescribed;
    private final short[] queryUnit;
    // the VISIT decision's running quality-weighted mean per slot and its unit vector (null when deciding by votes)
    private final VisitDescriptor[] slotVisit;
    private final short[] visitUnit;
    private final Match visitMatch = new Match();
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
        voteKnown = new boolean[slots][config.maxVotes()];
        votePerson = new long[slots][config.maxVotes()];
        voteName = new String[slots][config.maxVotes()];
        voteThreshold = new double[slots][config.maxVotes()];
        query = new DescriptorBuffer(describer.model());
        slotBest = new DescriptorBuffer[slots];
        for (int i = 0; i < slots; i++) {
            slotBest[i] = new DescriptorBuffer(describer.model());
        }
        slotBestArea = new int[slots];
        slotUnit = new short[slots][describer.model().dimension()];
        slotDescribed = new long[slots];
        queryUnit = new short[describer.model().dimension()];
        boolean visit = config.decision() == PipelineConfig.Decision.VISIT;
        slotVisit = visit ? new VisitDescriptor[slots] : null;
        for (int i = 0; visit && i < slots; i++) {
            slotVisit[i] = new VisitDescriptor(describer.model().dimension());
        }
        visitUnit = visit ? new short[describer.model().dimension()] : null;
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
        long lastFrameMillis = clock.millis();
        while (running.getAsBoolean()) {
            Frame f = exchange.take(250);
            if (f == null) {
                if (exchange.drained()) {
                    return;
                }
                if (view.signal() && clock.millis() - lastFrameMillis >= NO_SIGNAL.toMillis()) {
                    tracker.clear(); // whoever was at the door is not known to be there any more
                    view.publishNoSignal();
                }
                continue;
            }
            lastFrameMillis = clock.millis();
            process(f);
        }
    }

    /** Processes one frame. */
    public void process(Frame frame) {
        long t0 = System.nanoTime();
        detector.detect(frame, detections);
        long t1 = System.nanoTime();
        tracker.update(detections, frame.sequence(), frame.timestampMicros());
        for (int i = 0; i < tracker.capacity(); i++) {
            Track t = tracker.slot(i);
            if (t.state() == Track.State.FREE) {
                continue;
            }
            if (slotTrack[i] != t.id()) {
                startSlot(i, t.id());
            }
            if (t.confirmed() && t.seenNow()) {
                identify(frame, t);
            }
        }
        view.publish(frame, tracker);
        stats.frame(t0, t1, System.nanoTime());
    }

    private void startSlot(int slot, long trackId) {
        slotTrack[slot] = trackId;
        slotBestArea[slot] = 0;
        slotDescribed[slot] = Long.MIN_VALUE / 2;
        if (slotVisit != null) {
            slotVisit[slot].reset();
        }
    }

    private void identify(Frame frame, Track t) {
        int slot = t.slot();
        boolean voting = t.wantsVotes();
        if (frame.sequence() - slotDescribed[slot] < (voting ? config.identifyEvery() : RECHECK_EVERY)
                || !describer.model().equals(gallery.model())) {
            return;
        }
        if (Math.min(t.width(), t.height()) < config.minFaceSize()) {
            stats.skipSmall(); // tried again next frame: the face may come nearer
            return;
        }
        double weight = 1;
        if (config.measuresQuality()) {
            byte[] crop = describer.cropForQuality(frame, t.x(), t.y(), t.width(), t.height());
            if (crop != null) {
                int side = describer.cropSide();
                double sharpness = FaceQuality.sharpness(crop, side);
                double asymmetry = FaceQuality.asymmetry(crop, side);
                if (sharpness < config.minSharpness() || asymmetry > config.maxAsymmetry()) {
                    stats.skipPoor(); // blurred or turned away: not described, tried again next frame
                    return;
                }
                weight = VisitDescriptor.weight(Math.max(t.width(), t.height()), sharpness, asymmetry);
            }
        }
        describer.describeInto(frame, t.x(), t.y(), t.width(), t.height(), query);
        stats.described();
        boolean described = slotDescribed[slot] > Long.MIN_VALUE / 2;
        toUnit(query, queryUnit);
        if (described && UnitVectors.distance(queryUnit, 0, slotUnit[slot], 0, queryUnit.length) > gallery.differentFaceDistance()) {
            // Another face at the same spot (IoU cannot tell): the previous one's track ends undecided
            // as if it had left, and this face gets a track and votes of its own.
            startSlot(slot, tracker.split(slot));
            stats.split();
            voting = true;
        }
        System.arraycopy(queryUnit, 0, slotUnit[slot], 0, queryUnit.length);
        slotDescribed[slot] = frame.sequence();
        if (!voting) {
            return;
        }
        gallery.identify(query, match);
        stats.identified();
        int v = t.votes();
        voteKnown[slot][v] = match.known();
        votePerson[slot][v] = match.personId();
        voteName[slot][v] = match.name();
        voteThreshold[slot][v] = match.threshold();
        long key = match.known() ? match.personId() : Track.STRANGER;
        t.vote(key, (float) match.distance(), frame.sequence());
        if (slotVisit != null) {
            slotVisit[slot].add(queryUnit, weight);
        }
        int area = t.width() * t.height();
        if (area >= slotBestArea[slot]) {
            slotBestArea[slot] = area;
            slotBest[slot].copyFrom(query);
        }
        if (!t.decided() && t.votes() >= config.votesToDecide()) {
            decide(frame, t);
        }
    }

    private static void toUnit(DescriptorBuffer d, short[] out) {
        if (d.model().format() == DescriptorFormat.INT16) {
            UnitVectors.fromInt16(d.int16(), out);
        } else {
            UnitVectors.fromFloat(d.float32(), out);
        }
    }

    private void decide(Frame frame, Track t) {
        int slot = t.slot();
        long key = t.majorityKey();
        Identification.Known known = null;
        if (slotVisit != null) {
            // the visit's weighted mean descriptor against the gallery (allocates only when it names someone)
            slotVisit[slot].unitInto(visitUnit);
            gallery.identifyUnit(visitUnit, visitMatch);
            key = visitMatch.known() ? visitMatch.personId() : Track.STRANGER;
            if (visitMatch.known()) {
                known = new Identification.Known(key, visitMatch.name(), visitMatch.distance(), visitMatch.threshold());
            }
        } else if (key != Track.STRANGER && t.votesFor(key) * 2 > t.votes()) {
            for (int i = 0; i < t.votes(); i++) {
                if (voteKnown[slot][i] && votePerson[slot][i] == key) {
                    known = new Identification.Known(key, voteName[slot][i], t.meanDistance(key), voteThreshold[slot][i]);
                    break;
                }
            }
        }
        if (known == null && t.wantsVotes()) {
            return; // not named yet: a face still far or blurred may be named on a later vote, so keep asking
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
            events.offer(new DoorEvents.StrangerVerdict(clock.instant(), slotBest[slot].toDescriptor(), face, jpeg));
        }
    }

    /** Releases the describer when it holds resources of its own (the FaceReID frame network). */
    @Override
    public void close() {
        if (describer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the frame network: " + e.getMessage(), e);
            }
        }
    }
}
