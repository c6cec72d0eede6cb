package io.tinyreid.nn.plan;

/**
 * Planner settings.
 *
 * @param budgetBytes  the arena size ("L2"); a plan whose peak exceeds it is refused
 * @param tileBytes    largest weight tile streamed at once (whole output channels, at least one)
 * @param rowStreaming whether tensors between convs may be kept as a few rows instead of whole
 *                     (chosen where it lowers the peak)
 */
public record PlanOptions(long budgetBytes, int tileBytes, boolean rowStreaming) {
    /** The doorbell's whole L2. */
    public static final long L2 = 512 * 1024;
    /** Default weight tile size. */
    public static final int DEFAULT_TILE = 16 * 1024;

    public PlanOptions {
        if (budgetBytes <= 0 || tileBytes <= 0) {
            throw new IllegalArgumentException("budget and tile size must be positive");
        }
    }

    /** Defaults: 512 KiB, 16 KiB tiles, row streaming on. */
    public static PlanOptions defaults() {
        return new PlanOptions(L2, DEFAULT_TILE, true);
    }

    /** The same options with another budget. */
    public PlanOptions withBudget(long bytes) {
        return new PlanOptions(bytes, tileBytes, rowStreaming);
    }

    /** The same options with row streaming on or off. */
    public PlanOptions withRowStreaming(boolean on) {
        return new PlanOptions(budgetBytes, tileBytes, on);
    }

    /** Parses sizes like {@code 512KiB}, {@code 200KB}, {@code 1MiB}, {@code 204800}. */
    public static long parseSize(String s) {
        String t = s.trim().toUpperCase(java.util.Locale.ROOT);
        long mult = 1;
        for (String[] suffix : new String[][] {{"KIB", "1024"}, {"KB", "1024"}, {"K", "1024"}, {"MIB", "1048576"},
                {"MB", "1048576"}, {"M", "1048576"}, {"B", "1"}}) {
            if (t.endsWith(suffix[0])) {
                mult = Long.parseLong(suffix[1]);
                t = t.substring(0, t.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            long v = Long.parseLong(t) * mult;
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (examples: 512KiB, 204800)");
        }
    }
}
