package io.tinyreid.nn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Offsets for buffers with lifetimes in one arena: largest first, each at the lowest aligned offset
 * that clashes with no already placed buffer live at the same time (TFLite Micro's greedy planner).
 * The network planner places tensors and weight tiles with it (time = weight tiles); the doorbell's
 * whole-device budget places frame, detector, crop, network and gallery regions (time = phases).
 */
public final class GreedyPlacement {
    /** Offsets are multiples of this many bytes. */
    public static final int ALIGN = 4;

    /** A buffer to place: its size and the time units {@code first..last} (inclusive) it is live. */
    public record Request(long bytes, int first, int last) {
        public Request {
            if (bytes < 0 || first > last) {
                throw new IllegalArgumentException("bad request: " + bytes + " bytes live " + first + ".." + last);
            }
        }

        /** True when both are live at some common time. */
        public boolean overlaps(Request o) {
            return first <= o.last && o.first <= last;
        }
    }

    private GreedyPlacement() {}

    /** The offset of each request, in request order; ties in size go to the earlier-starting one. */
    public static long[] place(List<Request> requests) {
        return place(requests, Comparator.comparingLong((Integer i) -> requests.get(i).bytes()).reversed()
                .thenComparingInt(i -> requests.get(i).first()));
    }

    /**
     * As {@link #place(List)}, the requests (by index) taken in another order: the largest-first
     * order can leave gaps a schedule of many short-lived buffers (L2 windows of spilled tensors)
     * fills better longest-lived first.
     */
    public static long[] place(List<Request> requests, Comparator<Integer> orderBy) {
        Integer[] order = new Integer[requests.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, orderBy);
        long[] offsets = new long[requests.size()];
        List<Integer> done = new ArrayList<>();
        for (int i : order) {
            Request b = requests.get(i);
            List<Integer> clash = new ArrayList<>();
            for (int p : done) {
                if (requests.get(p).overlaps(b)) {
                    clash.add(p);
                }
            }
            clash.sort(Comparator.comparingLong(p -> offsets[p]));
            long offset = 0;
            for (int p : clash) {
                if (offset + b.bytes() <= offsets[p]) {
                    break;
                }
                offset = Math.max(offset, align(offsets[p] + requests.get(p).bytes()));
            }
            offsets[i] = offset;
            done.add(i);
        }
        return offsets;
    }

    /** The highest byte used by the placed requests. */
    public static long peak(List<Request> requests, long[] offsets) {
        long peak = 0;
        for (int i = 0; i < offsets.length; i++) {
            peak = Math.max(peak, offsets[i] + requests.get(i).bytes());
        }
        return peak;
    }

    static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }
}
