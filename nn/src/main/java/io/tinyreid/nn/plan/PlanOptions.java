package io.tinyreid.nn.plan;

/**
 * Planner settings.
 *
 * @param budgetBytes  the arena size ("L2"); a plan whose peak exceeds it is refused
 * @param tileBytes    largest weight tile streamed at once (whole output channels, at least one)
 * @param rowStreaming whether tensors between convs may be kept as a few rows instead of whole
 *                     (chosen where it lowers the peak; the device kernels only)
 * @param kernels      which runtime the plan is for: its kernels decide the scratch counted in the
 *                     peak and which ops it can run
 * @param l3Bytes      external memory ("L3", HyperRAM) the integer kernels may keep activations in
 *                     when the budget cannot hold them whole ({@link ActivationSpill}); 0: none,
 *                     every activation stays whole in L2
 */
public record PlanOptions(long budgetBytes, int tileBytes, boolean rowStreaming, Kernels kernels, long l3Bytes) {
    /** The doorbell's whole L2. */
    public static final long L2 = 512 * 1024;
    /** Default L3 for spilled activations: the 8 MiB HyperRAM of GAP8 boards (GAPuino). */
    public static final long HYPERRAM = 8L * 1024 * 1024;
    /** Default weight tile size. */
    public static final int DEFAULT_TILE = 16 * 1024;

    /** The two planned runtimes. */
    public enum Kernels {
        /**
         * The int16 kernels of modes exact (the GAP8 device's arithmetic) and fast, on a {@code short}
         * arena: convolutions (+ReLU +max pool, concats in place) and the final average only.
         */
        DEVICE,
        /**
         * The quantiser's arithmetic ({@code IntegerReference}, mode integer) on a byte arena: int16
         * and int8 tensors, every quantised op (residual adds fused into their conv, zero padding,
         * pools, fully connected layers).
         */
        INTEGER
    }

    public PlanOptions {
        if (budgetBytes <= 0 || tileBytes <= 0) {
            throw new IllegalArgumentException("budget and tile size must be positive");
        }
        if (kernels == null) {
            throw new IllegalArgumentException("kernels must be given");
        }
        if (l3Bytes < 0) {
            throw new IllegalArgumentException("L3 size must not be negative");
        }
    }

    /** Options with the default L3 ({@link #HYPERRAM}). */
    public PlanOptions(long budgetBytes, int tileBytes, boolean rowStreaming, Kernels kernels) {
        this(budgetBytes, tileBytes, rowStreaming, kernels, HYPERRAM);
    }

    /** Options for the device kernels. */
    public PlanOptions(long budgetBytes, int tileBytes, boolean rowStreaming) {
        this(budgetBytes, tileBytes, rowStreaming, Kernels.DEVICE);
    }

    /** Defaults: 512 KiB, 16 KiB tiles, row streaming on, device kernels. */
    public static PlanOptions defaults() {
        return new PlanOptions(L2, DEFAULT_TILE, true);
    }

    /** The same options with another budget. */
    public PlanOptions withBudget(long bytes) {
        return new PlanOptions(bytes, tileBytes, rowStreaming, kernels, l3Bytes);
    }

    /** The same options with row streaming on or off. */
    public PlanOptions withRowStreaming(boolean on) {
        return new PlanOptions(budgetBytes, tileBytes, on, kernels, l3Bytes);
    }

    /** The same options for another runtime. */
    public PlanOptions withKernels(Kernels k) {
        return new PlanOptions(budgetBytes, tileBytes, rowStreaming, k, l3Bytes);
    }

    /** The same options with another weight tile size. */
    public PlanOptions withTileBytes(int bytes) {
        return new PlanOptions(budgetBytes, bytes, rowStreaming, kernels, l3Bytes);
    }

    /** The same options with {@code bytes} of L3 for spilled activations (0: keep every activation in L2). */
    public PlanOptions withL3(long bytes) {
        return new PlanOptions(budgetBytes, tileBytes, rowStreaming, kernels, bytes);
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
