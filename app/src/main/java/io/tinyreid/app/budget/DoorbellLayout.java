package io.tinyreid.app.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tinyreid.nn.plan.ArenaOverflowException;
import io.tinyreid.nn.plan.GreedyPlacement;

/**
 * The whole doorbell in one arena ("L2"): every declared region at an offset, regions whose phases
 * never meet sharing bytes (nn's {@link GreedyPlacement}, the same placement the network planner
 * uses, with the loop's phases as time).
 *
 * @param regions the regions with their offsets, lowest offset first
 * @param budget  the arena's size
 * @param peak    the highest byte used
 */
public record DoorbellLayout(List<Placed> regions, long budget, long peak) {
    /** A region at its offset. */
    public record Placed(Region region, long offset) {
        /** One past its last byte. */
        public long end() {
            return offset + region.bytes();
        }
    }

    /**
     * Lays {@code regions} out in {@code budget} bytes (does not check the budget: see
     * {@link #requireFits()}). Two greedy placements are tried and the lower kept: all regions
     * largest first, and the resident regions stacked at the bottom with the others placed largest
     * first above them (a large short-lived region placed early can otherwise push the resident ones
     * above the peak phase).
     */
    public static DoorbellLayout of(List<Region> regions, long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("budget must be positive");
        }
        long[] mixed = GreedyPlacement.place(requests(regions));
        long[] stacked = residentsFirst(regions);
        long[] at = peak(regions, stacked) < peak(regions, mixed) ? stacked : mixed;
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            placed.add(new Placed(regions.get(i), at[i]));
        }
        placed.sort(Comparator.comparingLong(Placed::offset).thenComparing(p -> p.region().first()));
        return new DoorbellLayout(List.copyOf(placed), budget, peak(regions, at));
    }

    private static List<GreedyPlacement.Request> requests(List<Region> regions) {
        List<GreedyPlacement.Request> requests = new ArrayList<>();
        for (Region r : regions) {
            requests.add(new GreedyPlacement.Request(r.bytes(), r.first().ordinal(), r.last().ordinal()));
        }
        return requests;
    }

    /** Resident regions from offset 0 up (largest first), the rest placed greedily above them. */
    private static long[] residentsFirst(List<Region> regions) {
        List<Integer> resident = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            (regions.get(i).resident() ? resident : other).add(i);
        }
        resident.sort(Comparator.comparingLong((Integer i) -> regions.get(i).bytes()).reversed());
        long[] at = new long[regions.size()];
        long top = 0;
        for (int i : resident) {
            at[i] = top;
            top = align(top + regions.get(i).bytes());
        }
        List<Region> rest = other.stream().map(regions::get).toList();
        long[] above = GreedyPlacement.place(requests(rest));
        for (int k = 0; k < other.size(); k++) {
            at[other.get(k)] = top + above[k];
        }
        return at;
    }

    private static long peak(List<Region> regions, long[] at) {
        long peak = 0;
        for (int i = 0; i < at.length; i++) {
            peak = Math.max(peak, at[i] + regions.get(i).bytes());
        }
        return peak;
    }

    private static long align(long n) {
        return (n + GreedyPlacement.ALIGN - 1) / GreedyPlacement.ALIGN * GreedyPlacement.ALIGN;
    }

    /** Bytes left above the peak (negative when it does not fit). */
    public long headroom() {
        return budget - peak;
    }

    /** True when the peak is within the budget. */
    public boolean fits() {
        return peak <= budget;
    }

    /** Throws {@code region 'L2' overflowed by N bytes} when it does not fit; returns this otherwise. */
    public DoorbellLayout requireFits() {
        if (!fits()) {
            throw new ArenaOverflowException("L2", peak - budget, peak, budget);
        }
        return this;
    }

    /** Bytes live in each phase. */
    public Map<Phase, Long> liveBytes() {
        Map<Phase, Long> live = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            long sum = 0;
            for (Placed r : regions) {
                if (r.region().liveIn(p)) {
                    sum += r.region().bytes();
                }
            }
            live.put(p, sum);
        }
        return live;
    }

    /** The highest byte used in phase {@code p} (the arena's extent then). */
    public long extent(Phase p) {
        long top = 0;
        for (Placed r : regions) {
            if (r.region().liveIn(p)) {
                top = Math.max(top, r.end());
            }
        }
        return top;
    }

    /** The phase whose extent is the peak (the first such). */
    public Phase peakPhase() {
        for (Phase p : Phase.values()) {
            if (extent(p) == peak) {
                return p;
            }
        }
        return Phase.first();
    }

    /** Total bytes declared by regions of {@code part}. */
    public long bytesOf(Part part) {
        return regions.stream().filter(r -> r.region().part() == part).mapToLong(r -> r.region().bytes()).sum();
    }

    /** The layout as a table: regions by offset, then the bytes live per phase, then the verdict. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-30s %-10s %9s  %-17s %-15s %s%n", "region", "part", "bytes", "offset..end",
                "live", "declared by"));
        for (Placed p : regions) {
            Region r = p.region();
            sb.append(String.format(Locale.ROOT, "%-30s %-10s %,9d  %7d..%-8d %-15s %s%n", r.name(), r.part().label(),
                    r.bytes(), p.offset(), p.end(), r.lifetime(), r.origin()));
        }
        sb.append(String.format(Locale.ROOT, "%nphase      live bytes   arena extent  regions%n"));
        Map<Phase, Long> live = liveBytes();
        for (Phase ph : Phase.values()) {
            List<String> names = new ArrayList<>();
            for (Placed p : regions) {
                if (p.region().liveIn(ph) && !p.region().resident()) {
                    names.add(p.region().name());
                }
            }
            sb.append(String.format(Locale.ROOT, "%-9s %,11d  %,12d  resident + %s%n", ph.label(), live.get(ph), extent(ph),
                    names.isEmpty() ? "nothing else" : String.join(", ", names)));
        }
        sb.append(String.format(Locale.ROOT, "%npeak %,d bytes (%.1f KiB) during '%s'; budget %,d bytes (%.1f KiB): %s%n",
                peak, peak / 1024.0, peakPhase().label(), budget, budget / 1024.0,
                fits() ? String.format(Locale.ROOT, "fits, headroom %,d bytes (%.1f KiB)", headroom(), headroom() / 1024.0)
                        : String.format(Locale.ROOT, "does not fit: region 'L2' overflowed by %d bytes", peak - budget)));
        return sb.toString();
    }
}
