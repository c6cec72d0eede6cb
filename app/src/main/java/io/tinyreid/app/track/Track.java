package io.tinyreid.app.track;

/**
 * One face followed across frames: its box, how long it has been seen, and the identification
 * votes cast for it. Instances live in the tracker's fixed pool and are reused.
 */
public final class Track {
    /** Vote key meaning "nobody in the gallery is close enough". */
    public static final long STRANGER = -1;

    /** Lifecycle of a slot in the tracker's pool. */
    public enum State { FREE, TENTATIVE, CONFIRMED }

    private final int slot;
    private final long[] voteKey;
    private final float[] voteDistance;
    State state = State.FREE;
    long id;
    int x;
    int y;
    int w;
    int h;
    float detectionScore;
    int hits;
    int misses;
    long firstFrame;
    long lastSeenFrame;
    long lastSeenMicros;
    long lastIdentifyFrame = Long.MIN_VALUE / 2;
    int votes;
    long decidedKey;
    boolean decided;
    boolean announced;
    String label = "";
    float labelDistance;

    Track(int slot, int maxVotes) {
        this.slot = slot;
        this.voteKey = new long[maxVotes];
        this.voteDistance = new float[maxVotes];
    }

    void reset(long newId, int bx, int by, int bw, int bh, float s, long frame) {
        state = State.TENTATIVE;
        id = newId;
        move(bx, by, bw, bh, s);
        hits = 1;
        misses = 0;
        firstFrame = frame;
        lastSeenFrame = frame;
        lastIdentifyFrame = Long.MIN_VALUE / 2;
        votes = 0;
        decided = false;
        announced = false;
        decidedKey = 0;
        label = "";
        labelDistance = 0;
    }

    void move(int bx, int by, int bw, int bh, float s) {
        x = bx;
        y = by;
        w = bw;
        h = bh;
        detectionScore = s;
    }

    /**
     * Bytes of one track's fixed state as a device would store it: slot, state, id, box, score,
     * hits, misses, three frame numbers, the time last seen, vote count, verdict key, two flags,
     * label reference and distance.
     */
    static final int STATE_BYTES = 4 + 1 + 8 + 16 + 4 + 8 + 24 + 8 + 4 + 8 + 2 + 4 + 4;

    /** Bytes held: the fixed state and the vote arrays. */
    long sizeBytes() {
        return STATE_BYTES + 8L * voteKey.length + 4L * voteDistance.length;
    }

    /** Index of this track's slot in the tracker pool (stable while the track lives). */
    public int slot() { return slot; }

    /** Unique id for the life of the tracker. */
    public long id() { return id; }

    public State state() { return state; }

    public boolean confirmed() { return state == State.CONFIRMED; }

    /** True when the face was detected in the latest frame (not coasting through a miss). */
    public boolean seenNow() { return misses == 0; }

    public int x() { return x; }

    public int y() { return y; }

    public int width() { return w; }

    public int height() { return h; }

    public float detectionScore() { return detectionScore; }

    /** Frames in which this face was detected. */
    public int hits() { return hits; }

    public long firstFrame() { return firstFrame; }

    /** Number of identification votes cast so far. */
    public int votes() { return votes; }

    /** Casts one identification vote: the gallery key that matched (or {@link #STRANGER}) and its distance. */
    public void vote(long key, float distance, long frame) {
        lastIdentifyFrame = frame;
        if (votes < voteKey.length) {
            voteKey[votes] = key;
            voteDistance[votes] = distance;
            votes++;
        }
    }

    /** Room for more votes. */
    public boolean wantsVotes() { return votes < voteKey.length; }

    /** Frame of the last identification attempt. */
    public long lastIdentifyFrame() { return lastIdentifyFrame; }

    /**
     * The key with the most votes; ties go to the smaller mean distance. Returns
     * {@link #STRANGER} when no vote was cast.
     */
    public long majorityKey() {
        long best = STRANGER;
        int bestCount = 0;
        float bestMean = Float.MAX_VALUE;
        for (int i = 0; i < votes; i++) {
            long k = voteKey[i];
            int c = 0;
            float sum = 0;
            for (int j = 0; j < votes; j++) {
                if (voteKey[j] == k) {
                    c++;
                    sum += voteDistance[j];
                }
            }
            float mean = sum / c;
            if (c > bestCount || (c == bestCount && mean < bestMean)) {
                best = k;
                bestCount = c;
                bestMean = mean;
            }
        }
        return best;
    }

    /** Votes for {@code key}. */
    public int votesFor(long key) {
        int c = 0;
        for (int i = 0; i < votes; i++) {
            if (voteKey[i] == key) {
                c++;
            }
        }
        return c;
    }

    /** Mean distance of the votes for {@code key} (NaN when none). */
    public float meanDistance(long key) {
        float sum = 0;
        int c = 0;
        for (int i = 0; i < votes; i++) {
            if (voteKey[i] == key) {
                sum += voteDistance[i];
                c++;
            }
        }
        return c == 0 ? Float.NaN : sum / c;
    }

    /** Records the verdict shown on screen. */
    public void decide(long key, String newLabel, float distance) {
        decided = true;
        decidedKey = key;
        label = newLabel;
        labelDistance = distance;
    }

    public boolean decided() { return decided; }

    public long decidedKey() { return decidedKey; }

    /** Name shown next to the box ("" until decided). */
    public String label() { return label; }

    public float labelDistance() { return labelDistance; }

    /** True once the pipeline has raised (or deliberately suppressed) this track's event. */
    public boolean announced() { return announced; }

    public void markAnnounced() { announced = true; }
}
