package io.tinyreid.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allocation check itself: it passes code that allocates nothing and fails code that allocates per call. */
class AllocationStreakTest {
    static Object sink;

    @Test
    void passesAllocationFreeCalls() throws Exception {
        int[] counter = new int[1];
        int runs = AllocationStreak.require("counting", 20, 200, i -> counter[0] += i);
        assertTrue(runs >= 20 && runs < 200, "runs " + runs);
    }

    @Test
    void failsCallsThatAllocateEveryTime() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> AllocationStreak.require("allocating", 20, 200, i -> sink = new byte[64 + i % 7]));
        assertTrue(e.getMessage().contains("allocating: no 20 allocation-free calls in a row in 200"), e.getMessage());
    }
}
