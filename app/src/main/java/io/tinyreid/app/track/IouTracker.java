package io.tinyreid.app.track;

/**
 * A small IoU tracker: each frame's boxes are matched greedily to existing tracks by overlap, so a
 * face is one track, not thirty separate sightings.
 *
 * <p>A new track is tentative until detected in {@code confirmFrames} consecutive frames (3, as the
 * reference doorbell required); a tentative track that misses a frame is dropped, a confirmed one
 * survives up to {@code maxMisses} missed frames. Tracks live in a fixed pool and the IoU matrix
 * is allocated once: {@link #update} allocates nothing.
 */
public final class IouTracker {
    /** A track unseen for longer than this (1.5 s) has ended: the visitor left. */
    public static final long MAX_GAP_MICROS = 1_500_000;
    /** "No frame time" for {@link #update(Detections, long, long)}. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final Track[] pool;
    private final float minIou;
    private final int confirmFrames;
    private final int maxMisses;
    private final float[] iou;
    private final int maxDetections;
    private final boolean[] detectionUsed;
    private final boolean[] trackUsed;
    private long nextId = 1;
    private long frame = -1;

    /**
     * @param maxTracks faces followed at once
     * @param maxDetections boxes per frame considered
     * @param maxVotes identification votes kept per track
     */
    public IouTracker(int maxTracks, int maxDetections, float minIou, int confirmFrames, int maxMisses, int maxVotes) {
        if (maxTracks <= 0 || maxDetections <= 0 || confirmFrames <= 0 || maxMisses < 0 || maxVotes <= 0
                || !(minIou > 0 && minIou <= 1)) {
            throw new IllegalArgumentException("bad tracker parameters");
        }
        pool = new Track[maxTracks];
        for (int i = 0; i < maxTracks; i++) {
            pool[i] = new Track(i, maxVotes);
        }
        this.minIou = minIou;
        this.confirmFrames = confirmFrames;
        this.maxMisses = maxMisses;
        this.maxDetections = maxDetections;
        iou = new float[maxTracks * maxDetections];
        detectionUsed = new boolean[maxDetections];
        trackUsed = new boolean[maxTracks];
    }

    /** The doorbell's defaults: 8 faces, IoU 0.3, confirmed after {@code confirmFrames}, 5 misses, 5 votes. */
    public static IouTracker withDefaults(int confirmFrames) {
        return new IouTracker(8, 32, 0.3f, confirmFrames, 5, 5);
    }

    /** Advances one frame with that frame's detections, without frame times (no gap rule). */
    public void update(Detections d, long frameNumber) {
        update(d, frameNumber, NO_TIME);
    }

    /**
     * Advances one frame taken at {@code timeMicros}: a track not seen for more than
     * {@link #MAX_GAP_MICROS} (or whose time runs backwards: another stream) ends first, however
     * well a new box overlaps it, so someone arriving later at the same spot is a new track.
     */
    public void update(Detections d, long frameNumber, long timeMicros) {
        frame = frameNumber;
        if (timeMicros != NO_TIME) {
            for (Track t : pool) {
                if (t.state != Track.State.FREE && t.lastSeenMicros != NO_TIME
                        && (timeMicros - t.lastSeenMicros > MAX_GAP_MICROS || timeMicros < t.lastSeenMicros)) {
                    t.state = Track.State.FREE;
                }
            }
        }
        int nd = Math.min(d.count(), maxDetections);
        for (int j = 0; j < nd; j++) {
            detectionUsed[j] = false;
        }
        for (int i = 0; i < pool.length; i++) {
            trackUsed[i] = false;
            Track t = pool[i];
            for (int j = 0; j < nd; j++) {
                iou[i * maxDetections + j] = t.state == Track.State.FREE ? 0f
                        : Detections.iou(t.x, t.y, t.w, t.h, d.x(j), d.y(j), d.width(j), d.height(j));
            }
        }
        // Greedy assignment, best overlap first.
        while (true) {
            float best = minIou;
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < pool.length; i++) {
                if (trackUsed[i] || pool[i].state == Track.State.FREE) {
                    continue;
                }
                for (int j = 0; j < nd; j++) {
                    float v = iou[i * maxDetections + j];
                    if (!detectionUsed[j] && v >= best) {
                        best = v;
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) {
                break;
            }
            trackUsed[bi] = true;
            detectionUsed[bj] = true;
            Track t = pool[bi];
            t.move(d.x(bj), d.y(bj), d.width(bj), d.height(bj), d.score(bj));
            t.hits++;
            t.misses = 0;
            t.lastSeenFrame = frameNumber;
            t.lastSeenMicros = timeMicros;
            if (t.state == Track.State.TENTATIVE && t.hits >= confirmFrames) {
                t.state = Track.State.CONFIRMED;
            }
        }
        for (int i = 0; i < pool.length; i++) {
            Track t = pool[i];
            if (t.state == Track.State.FREE || trackUsed[i]) {
                continue;
            }
            t.misses++;
            if (t.state == Track.State.TENTATIVE || t.misses > maxMisses) {
                t.state = Track.State.FREE;
            }
        }
        for (int j = 0; j < nd; j++) {
            if (detectionUsed[j]) {
                continue;
            }
            Track free = freeSlot();
            if (free == null) {
                break; // pool full: the extra faces wait for a slot
            }
            free.reset(nextId++, d.x(j), d.y(j), d.width(j), d.height(j), d.score(j), frameNumber);
            free.lastSeenMicros = timeMicros;
            if (confirmFrames <= 1) {
                free.state = Track.State.CONFIRMED;
            }
        }
    }

    /**
     * Ends the confirmed track in {@code slot} and starts a new one on the same box: the face there
     * now is someone else (the caller compared descriptors; overlap alone cannot tell two people
     * who stood at the same spot one after the other). The new track is confirmed (its box was
     * detected all along) and has no votes. Returns its id.
     */
    public long split(int slot) {
        Track t = pool[slot];
        if (t.state != Track.State.CONFIRMED) {
            throw new IllegalStateException("only a confirmed track is split, not a " + t.state + " one");
        }
        long seenMicros = t.lastSeenMicros;
        t.reset(nextId++, t.x, t.y, t.w, t.h, t.detectionScore, t.lastSeenFrame);
        t.lastSeenMicros = seenMicros;
        t.state = Track.State.CONFIRMED;
        return t.id;
    }

    private Track freeSlot() {
        for (Track t : pool) {
            if (t.state == Track.State.FREE) {
                return t;
            }
        }
        return null;
    }

    /** Bytes of state held: the IoU matrix, the matching flags and every track's box, counters and votes. */
    public long sizeBytes() {
        long tracks = 0;
        for (Track t : pool) {
            tracks += t.sizeBytes();
        }
        return 4L * iou.length + detectionUsed.length + trackUsed.length + tracks;
    }

    /** Size of the pool; tracks are addressed by slot {@code 0..capacity()-1}. */
    public int capacity() { return pool.length; }

    /** The track in {@code slot}; check {@link Track#state()} (FREE slots hold no face). */
    public Track slot(int slot) { return pool[slot]; }

    /** Number of confirmed tracks. */
    public int confirmedCount() {
        int c = 0;
        for (Track t : pool) {
            if (t.state == Track.State.CONFIRMED) {
                c++;
            }
        }
        return c;
    }

    /** The last frame number passed to {@link #update}. */
    public long frame() { return frame; }

    /** Forgets every track (after a source change). */
    public void clear() {
        for (Track t : pool) {
            t.state = Track.State.FREE;
        }
    }
}
