package io.tinyreid.app.track;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class IouTrackerTest {
    private static List<Track> live(IouTracker t) {
        List<Track> out = new ArrayList<>();
        for (int i = 0; i < t.capacity(); i++) {
            if (t.slot(i).state() != Track.State.FREE) {
                out.add(t.slot(i));
            }
        }
        return out;
    }

    @Test
    void movingFaceIsOneTrackConfirmedOnItsThirdFrame() {
        IouTracker tracker = IouTracker.withDefaults(3);
        Detections d = new Detections(4);
        long id = -1;
        for (int f = 0; f < 10; f++) {
            d.clear();
            d.add(100 + 4 * f, 50 + 2 * f, 60, 60, 10f);
            tracker.update(d, f);
            List<Track> tracks = live(tracker);
            assertEquals(1, tracks.size(), "frame " + f);
            Track t = tracks.get(0);
            if (id < 0) {
                id = t.id();
            }
            assertEquals(id, t.id(), "same face, same track");
            assertEquals(f >= 2, t.confirmed(), "confirmed from the third frame, frame " + f);
            assertEquals(100 + 4 * f, t.x());
        }
    }

    @Test
    void flickeringFalseDetectionsNeverCount() {
        IouTracker tracker = IouTracker.withDefaults(3);
        Detections d = new Detections(4);
        // seen, seen, missed, seen, seen, missed...: never three in a row
        for (int f = 0; f < 30; f++) {
            d.clear();
            if (f % 3 != 2) {
                d.add(10, 10, 40, 40, 1f);
            }
            tracker.update(d, f);
            assertEquals(0, tracker.confirmedCount(), "frame " + f);
        }
    }

    @Test
    void confirmedTrackCoastsThroughMissesThenEnds() {
        IouTracker tracker = new IouTracker(4, 8, 0.3f, 3, 5, 5);
        Detections d = new Detections(4);
        for (int f = 0; f < 5; f++) {
            d.clear();
            d.add(10, 10, 40, 40, 1f);
            tracker.update(d, f);
        }
        long id = live(tracker).get(0).id();
        d.clear();
        for (int f = 5; f < 10; f++) {
            tracker.update(d, f);
            assertEquals(1, tracker.confirmedCount(), "coasting through miss " + (f - 4));
            assertFalse(live(tracker).get(0).seenNow());
        }
        d.clear();
        d.add(12, 11, 40, 40, 1f);
        tracker.update(d, 10);
        assertEquals(id, live(tracker).get(0).id(), "picked up again within the miss budget");
        d.clear();
        for (int f = 11; f < 17; f++) {
            tracker.update(d, f);
        }
        assertTrue(live(tracker).isEmpty(), "dropped after 6 misses");
        d.add(12, 11, 40, 40, 1f);
        tracker.update(d, 17);
        assertNotEquals(id, live(tracker).get(0).id(), "a face after the track ended is a new track");
    }

    @Test
    void twoFacesKeepTheirOwnTracksAndNonOverlappingBoxesStartNewOnes() {
        IouTracker tracker = IouTracker.withDefaults(3);
        Detections d = new Detections(4);
        long a = -1;
        long b = -1;
        for (int f = 0; f < 8; f++) {
            d.clear();
            // listed in alternating order so matching cannot rely on position in the list
            if (f % 2 == 0) {
                d.add(20 + 3 * f, 40, 50, 50, 1f);
                d.add(200 - 3 * f, 60, 50, 50, 1f);
            } else {
                d.add(200 - 3 * f, 60, 50, 50, 1f);
                d.add(20 + 3 * f, 40, 50, 50, 1f);
            }
            tracker.update(d, f);
            List<Track> tracks = live(tracker);
            assertEquals(2, tracks.size());
            Track left = tracks.get(0).x() < tracks.get(1).x() ? tracks.get(0) : tracks.get(1);
            Track right = left == tracks.get(0) ? tracks.get(1) : tracks.get(0);
            if (a < 0) {
                a = left.id();
                b = right.id();
            }
            assertEquals(a, left.id());
            assertEquals(b, right.id());
        }
    }

    @Test
    void fullPoolIgnoresExtraFacesWithoutFailing() {
        IouTracker tracker = new IouTracker(2, 8, 0.3f, 1, 0, 3);
        Detections d = new Detections(8);
        for (int i = 0; i < 5; i++) {
            d.add(i * 60, 0, 50, 50, 1f);
        }
        tracker.update(d, 0);
        assertEquals(2, tracker.confirmedCount());
    }

    @Test
    void votesAreDecidedByMajorityThenByDistance() {
        IouTracker tracker = IouTracker.withDefaults(1);
        Detections d = new Detections(1);
        d.add(0, 0, 10, 10, 1f);
        tracker.update(d, 0);
        Track t = live(tracker).get(0);
        assertEquals(Track.STRANGER, t.majorityKey(), "no votes: stranger");
        t.vote(7, 0.5f, 0);
        t.vote(Track.STRANGER, 0.9f, 1);
        t.vote(7, 0.4f, 2);
        assertEquals(7, t.majorityKey());
        assertEquals(2, t.votesFor(7));
        assertEquals(0.45f, t.meanDistance(7), 1e-6);
        t.vote(Track.STRANGER, 0.95f, 3);
        t.vote(9, 0.1f, 4);
        assertEquals(7, t.majorityKey(), "2-2 tie goes to the closer mean (0.45 < 0.925)");
        assertFalse(t.wantsVotes());
        t.vote(9, 0.1f, 5);
        assertEquals(5, t.votes(), "votes are capped");
    }

    @Test
    void updateAllocatesNothing() {
        IouTracker tracker = IouTracker.withDefaults(3);
        Detections d = new Detections(32);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        // Warm-up rounds first; then the least of three measured rounds, because the JIT can charge
        // a few bytes to this thread once while compiling. An allocation per update would cost
        // at least 16 bytes x 20,000 in every round.
        for (int round = 0; round < 8; round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int f = 0; f < 20_000; f++) {
                d.clear();
                int faces = f % 7;
                for (int k = 0; k < faces; k++) {
                    d.add(k * 40 + (f % 5), 20 + (f % 3), 36, 36, 1f);
                }
                tracker.update(d, f);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (round >= 5) {
                least = Math.min(least, allocated);
            }
        }
        assertEquals(0, least, "bytes allocated by 20,000 tracker updates after warm-up");
    }

    @Test
    void aTrackEndsAfterAGapOfSecondsHoweverWellTheNextFaceOverlaps() {
        IouTracker tracker = IouTracker.withDefaults(3);
        Detections d = new Detections(4);
        d.add(100, 50, 60, 60, 10f);
        // 10 fps for half a second: one confirmed track
        for (int f = 0; f < 5; f++) {
            tracker.update(d, f, f * 100_000L);
        }
        long first = live(tracker).getFirst().id();
        // a dropped second (1.4 s since last seen): the same visitor, the same track
        tracker.update(d, 5, 1_800_000L);
        assertEquals(first, live(tracker).getFirst().id());
        assertTrue(live(tracker).getFirst().confirmed());
        // the stream stalls for a minute; a face at the same spot afterwards is someone new
        tracker.update(d, 6, 61_800_000L);
        assertEquals(1, live(tracker).size());
        Track next = live(tracker).getFirst();
        assertNotEquals(first, next.id(), "a new track after a 60 s gap");
        assertFalse(next.confirmed(), "and it must be confirmed again");
        // a stream that restarts (time runs backwards) also starts new tracks
        for (int f = 7; f < 10; f++) {
            tracker.update(d, f, 61_800_000L + (f - 6) * 100_000L);
        }
        long beforeRestart = live(tracker).getFirst().id();
        tracker.update(d, 10, 0);
        assertNotEquals(beforeRestart, live(tracker).getFirst().id());
    }
}
