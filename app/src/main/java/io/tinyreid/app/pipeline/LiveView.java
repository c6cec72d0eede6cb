package io.tinyreid.app.pipeline;

import io.tinyreid.app.source.Frame;
import io.tinyreid.app.track.IouTracker;
import io.tinyreid.app.track.Track;

/**
 * The newest processed frame and the faces on it, for displays (web page, window).
 *
 * <p>The pipeline publishes into buffers allocated once; each display copies out under the lock
 * into its own {@link Snapshot} at its own pace, so a slow viewer never slows the pipeline and
 * nothing queues.
 */
public final class LiveView {
    /** Most faces drawn on one frame. */
    public static final int MAX_FACES = 16;

    /** How a face on screen is labelled. */
    public enum Kind { PENDING, KNOWN, STRANGER }

    /** A display's private copy of a published frame and its faces (reused between copies). */
    public static final class Snapshot {
        public final Frame frame = new Frame();
        public final int[] x = new int[MAX_FACES];
        public final int[] y = new int[MAX_FACES];
        public final int[] w = new int[MAX_FACES];
        public final int[] h = new int[MAX_FACES];
        public final long[] track = new long[MAX_FACES];
        public final String[] label = new String[MAX_FACES];
        public final Kind[] kind = new Kind[MAX_FACES];
        public final float[] distance = new float[MAX_FACES];
        public int count;
        public long sequence = -1;
        /** False once no frame came for a while: the frame is the last one seen, with no faces on it. */
        public boolean signal = true;

        void copyFrom(Snapshot o) {
            frame.copyFrom(o.frame);
            count = o.count;
            signal = o.signal;
            sequence = o.sequence;
            System.arraycopy(o.x, 0, x, 0, count);
            System.arraycopy(o.y, 0, y, 0, count);
            System.arraycopy(o.w, 0, w, 0, count);
            System.arraycopy(o.h, 0, h, 0, count);
            System.arraycopy(o.track, 0, track, 0, count);
            System.arraycopy(o.label, 0, label, 0, count);
            System.arraycopy(o.kind, 0, kind, 0, count);
            System.arraycopy(o.distance, 0, distance, 0, count);
        }
    }

    private final Snapshot current = new Snapshot();
    private long published;

    /** Publishes a processed frame with the confirmed tracks the tracker holds (no allocation). */
    public synchronized void publish(Frame frame, IouTracker tracker) {
        fill(current, frame, tracker);
        current.signal = true;
        current.sequence = ++published;
        notifyAll();
    }

    /**
     * Says that frames stopped coming: the faces are cleared (nobody is "at the door" on a dead
     * camera) and viewers get the last frame marked as without signal.
     */
    public synchronized void publishNoSignal() {
        current.count = 0;
        current.signal = false;
        if (published > 0) {
            current.sequence = ++published;
            notifyAll();
        }
    }

    /** False from {@link #publishNoSignal} until the next frame. */
    public synchronized boolean signal() {
        return current.signal;
    }

    /** Fills {@code s} with the frame and its confirmed, currently seen tracks. */
    public static void fill(Snapshot s, Frame frame, IouTracker tracker) {
        s.frame.copyFrom(frame);
        int n = 0;
        for (int i = 0; i < tracker.capacity() && n < MAX_FACES; i++) {
            Track t = tracker.slot(i);
            if (!t.confirmed() || !t.seenNow()) {
                continue;
            }
            s.x[n] = t.x();
            s.y[n] = t.y();
            s.w[n] = t.width();
            s.h[n] = t.height();
            s.track[n] = t.id();
            if (!t.decided()) {
                s.kind[n] = Kind.PENDING;
                s.label[n] = "";
                s.distance[n] = Float.NaN;
            } else {
                s.kind[n] = t.decidedKey() == Track.STRANGER ? Kind.STRANGER : Kind.KNOWN;
                s.label[n] = t.label();
                s.distance[n] = t.labelDistance();
            }
            n++;
        }
        s.count = n;
    }

    /**
     * Copies the newest frame into {@code into} once it is newer than {@code afterSequence},
     * waiting up to {@code timeoutMillis}.
     *
     * @return true when {@code into} now holds a newer frame
     */
    public synchronized boolean copyNewer(long afterSequence, long timeoutMillis, Snapshot into) throws InterruptedException {
        if (!awaitNewer(afterSequence, timeoutMillis)) {
            return false;
        }
        into.copyFrom(current);
        return true;
    }

    /**
     * Waits up to {@code timeoutMillis} for a frame newer than {@code afterSequence} without
     * copying it (so a caller can wait holding none of its own locks).
     *
     * @return true when a newer frame is published
     */
    public synchronized boolean awaitNewer(long afterSequence, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (published <= afterSequence || published == 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Sequence number of the newest frame (0 before the first). */
    public synchronized long sequence() {
        return published;
    }
}
