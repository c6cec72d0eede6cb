package io.tinyreid.nn.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.plan.GreedyPlacement.Request;

class GreedyPlacementTest {
    @Test
    void buffersThatNeverCoexistShareBytes() {
        // a (100 B, t0-1) and b (60 B, t2-3) never coexist; c (30 B) lives throughout.
        List<Request> r = List.of(new Request(100, 0, 1), new Request(60, 2, 3), new Request(30, 0, 3));
        long[] at = GreedyPlacement.place(r);
        // largest first: a at 0; b never coexists with a, so it takes the same bytes; c coexists with both
        assertArrayEquals(new long[] {0, 0, 100}, at);
        assertEquals(130, GreedyPlacement.peak(r, at));
    }

    @Test
    void offsetsAreAlignedAndEqualSizesGoInStartOrder() {
        List<Request> r = List.of(new Request(10, 1, 1), new Request(10, 0, 1), new Request(3, 0, 1));
        long[] at = GreedyPlacement.place(r);
        assertEquals(0, at[1], "the earlier-starting of two equal buffers is placed first");
        assertEquals(12, at[0], "10 rounded up to the 4-byte alignment");
        assertEquals(24, at[2]);
    }

    @Test
    void randomRequestsNeverCollideAndTheSumBoundsThePeak() {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 200; trial++) {
            List<Request> r = new ArrayList<>();
            int n = 1 + rnd.nextInt(30);
            for (int i = 0; i < n; i++) {
                int first = rnd.nextInt(20);
                r.add(new Request(1 + rnd.nextInt(5000), first, first + rnd.nextInt(8)));
            }
            long[] at = GreedyPlacement.place(r);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(0, at[i] % GreedyPlacement.ALIGN);
                sum += GreedyPlacement.align(r.get(i).bytes());
                for (int j = i + 1; j < n; j++) {
                    boolean sameBytes = at[i] < at[j] + r.get(j).bytes() && at[j] < at[i] + r.get(i).bytes();
                    assertFalse(r.get(i).overlaps(r.get(j)) && sameBytes, "trial " + trial + ": " + i + " and " + j);
                }
            }
            assertTrue(GreedyPlacement.peak(r, at) <= sum);
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Request(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Request(8, 3, 2));
    }
}
