package io.tinyreid.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/**
 * The steady-state allocation check every engine test uses: while C2 compiles and deoptimises, the
 * JVM itself allocates a little at uncommon traps, so a per-call allocation shows as the absence of
 * a long enough run of calls that allocate 0 bytes, on the calling thread and on the weights'
 * prefetch threads ({@code tinyreid-weights}).
 */
public final class AllocationStreak {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationStreak() {}

    /** One call of the code under test; {@code i} counts the calls so far. */
    public interface Call {
        void run(int i) throws Exception;
    }

    /** Fails unless {@code clean} calls in a row allocate nothing within {@code max} calls; returns the calls made. */
    public static int require(String what, int clean, int max, Call call) throws Exception {
        int inRow = 0;
        int runs = 0;
        long lastDirty = 0;
        while (inRow < clean) {
            long[] loaders = prefetchThreads(); // looked up each time: the prefetch thread starts with the first call
            long l0 = allocated(loaders);
            long b0 = MX.getCurrentThreadAllocatedBytes();
            call.run(runs);
            long bytes = MX.getCurrentThreadAllocatedBytes() - b0 + allocated(loaders) - l0;
            if (bytes == 0) {
                inRow++;
            } else {
                inRow = 0;
                lastDirty = bytes;
            }
            assertTrue(++runs < max, what + ": no " + clean + " allocation-free calls in a row in " + runs
                    + " (the last dirty one allocated " + lastDirty + " bytes)");
        }
        System.out.printf("%s: %d allocation-free calls in a row after %d%n", what, clean, runs);
        return runs;
    }

    private static long[] prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("tinyreid-weights")).mapToLong(Thread::threadId).toArray();
    }

    private static long allocated(long[] ids) {
        long sum = 0;
        for (long b : MX.getThreadAllocatedBytes(ids)) {
            sum += Math.max(0, b); // -1 for a thread that ended meanwhile
        }
        return sum;
    }
}
