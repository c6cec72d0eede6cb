package io.tinyreid.nn.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.MemoryPlan.Buffer;
import io.tinyreid.nn.plan.MemoryPlan.Kind;
import io.tinyreid.nn.plan.MemoryPlan.Placement;
import io.tinyreid.nn.plan.MemoryPlan.Step;
import io.tinyreid.nn.plan.MemoryPlan.Tile;
import io.tinyreid.nn.plan.MemoryPlan.TilePart;

/**
 * Plans one arena for a quantised graph: fuses ops ({@link Lowering}), tiles weights by output
 * channel, keeps tensors between convs as rings of rows where that lowers the peak, gives every
 * buffer a lifetime in tiles, and places buffers greedily, largest first, at the lowest offset
 * free during their lifetime (the TFLite Micro greedy planner). For the integer kernels over
 * budget, it keeps activations in L3 instead and stages their rows through L2 windows
 * ({@link ActivationSpill}).
 */
public final class MemoryPlanner {
    /** Output channels the fast kernel computes together; tiles hold whole blocks when they can. */
    private static final int BLOCK = 4;

    private final Lowering.Result lowered;
    private final PlanOptions options;
    /** Op indices of the convs the integer kernel computes in blocks of rows ({@link IntegerScratch#blockRows}). */
    private final Set<Integer> rowBlocks;

    private MemoryPlanner(Lowering.Result lowered, PlanOptions options, Set<Integer> rowBlocks) {
        this.lowered = lowered;
        this.options = options;
        this.rowBlocks = rowBlocks;
    }

    private boolean blocks(FusedOp.ConvPool c) {
        return rowBlocks.contains(c.index());
    }

    /**
     * Plans {@code g}; throws {@link ArenaOverflowException} when the peak exceeds the budget. On
     * the integer kernels with L3 ({@link PlanOptions#l3Bytes()}), activations the budget cannot
     * hold are spilled there first, and the overflow is that of the lowest plan found.
     */
    public static MemoryPlan plan(Graph g, PlanOptions options) {
        MemoryPlan p = planUnchecked(g, options);
        if (p.peak() > options.budgetBytes()) {
            throw new ArenaOverflowException("L2", p.peak() - options.budgetBytes(), p.peak(), options.budgetBytes());
        }
        return p;
    }

    /**
     * The runtime a quantised graph runs on: the device kernels (modes exact and fast) when they can
     * run every op, otherwise the integer kernels (mode integer: int8, residual adds, padding, FC).
     */
    public static PlanOptions.Kernels kernelsFor(Graph g) {
        try {
            requireDeviceKernels(Lowering.lower(g));
            return PlanOptions.Kernels.DEVICE;
        } catch (UnsupportedOperationException e) {
            return PlanOptions.Kernels.INTEGER;
        }
    }

    /** Plans {@code g} without checking the budget (to report how much a plan needs). */
    public static MemoryPlan planUnchecked(Graph g, PlanOptions options) {
        Lowering.Result lowered = Lowering.lower(g);
        if (options.kernels() == PlanOptions.Kernels.DEVICE) {
            requireDeviceKernels(lowered);
        }
        Set<Tensor> streamed = new HashSet<>();
        MemoryPlanner planner = new MemoryPlanner(lowered, options, Set.of());
        MemoryPlan best = planner.build(streamed, Set.of(), 0);
        if (options.kernels() == PlanOptions.Kernels.INTEGER) {
            MemoryPlan fast = blocked(lowered, options, best);
            if (fast != null) {
                return fast;
            }
        }
        if (options.kernels() == PlanOptions.Kernels.INTEGER && options.l3Bytes() > 0 && best.peak() > options.budgetBytes()) {
            return planner.spill(best);
        }
        // Row streaming is a device-kernel feature (the integer runtime keeps tensors whole, in L2 or spilled to L3).
        if (options.rowStreaming() && options.kernels() == PlanOptions.Kernels.DEVICE) {
            // Greedy: keep streaming the tensor that lowers the peak most, while one does.
            List<Tensor> candidates = planner.streamable();
            while (true) {
                MemoryPlan improved = null;
                Tensor pick = null;
                for (Tensor t : candidates) {
                    if (streamed.contains(t)) {
                        continue;
                    }
                    Set<Tensor> trial = new HashSet<>(streamed);
                    trial.add(t);
                    MemoryPlan p = planner.build(trial, Set.of(), 0);
                    if (p != null && p.peak() < (improved == null ? best.peak() : improved.peak())) {
                        improved = p;
                        pick = t;
                    }
                }
                if (pick == null) {
                    break;
                }
                streamed.add(pick);
                best = improved;
            }
        }
        return best;
    }

    /**
     * The integer kernel's faster blocks of rows need larger windows: take them for every conv whose
     * window costs no peak (fits under the peak another step sets) when the plan fits whole. All of
     * them at once first; else the convs whose step has room for the larger scratch by its live
     * bytes, checked together and then, if their windows collide, one at a time. Null: none fits.
     */
    private static MemoryPlan blocked(Lowering.Result lowered, PlanOptions options, MemoryPlan best) {
        long bound = Math.min(best.peak(), options.budgetBytes());
        if (best.peak() > options.budgetBytes()) {
            bound = -1; // spilled or over budget: only the all-blocks plan as before
        }
        Set<Integer> all = new HashSet<>();
        List<Integer> room = new ArrayList<>();
        for (Step s : best.steps()) {
            if (s.ops().getFirst() instanceof FusedOp.ConvPool c && IntegerScratch.blockRows(c.conv(), true) > 1) {
                all.add(c.index());
                long grow = 4L * (IntegerScratch.ints(c, s.tileChannels(), true) - IntegerScratch.ints(c, s.tileChannels(), false));
                if (live(best, s) + grow <= bound) {
                    room.add(c.index());
                }
            }
        }
        if (all.isEmpty()) {
            return null;
        }
        MemoryPlan fast = new MemoryPlanner(lowered, options, all).build(new HashSet<>(), Set.of(), 0);
        if (fast != null && fast.peak() <= best.peak() && fast.peak() <= options.budgetBytes()) {
            return fast;
        }
        if (room.isEmpty()) {
            return null;
        }
        fast = new MemoryPlanner(lowered, options, Set.copyOf(room)).build(new HashSet<>(), Set.of(), 0);
        if (fast != null && fast.peak() <= bound) {
            return fast;
        }
        Set<Integer> taken = new HashSet<>();
        fast = null;
        for (int op : room) {
            Set<Integer> trial = new HashSet<>(taken);
            trial.add(op);
            MemoryPlan p = new MemoryPlanner(lowered, options, trial).build(new HashSet<>(), Set.of(), 0);
            if (p != null && p.peak() <= bound) {
                taken = trial;
                fast = p;
            }
        }
        return fast;
    }

    /** Most bytes live at once during step {@code s} of {@code plan}. */
    private static long live(MemoryPlan plan, Step s) {
        long most = 0;
        for (Tile t : s.tiles()) {
            long sum = 0;
            for (Buffer b : plan.buffers()) {
                if (b.liveAt(t.index())) {
                    sum += b.bytes();
                }
            }
            most = Math.max(most, sum);
        }
        return most;
    }

    /**
     * The device runtime (modes exact and fast: int16 kernels on a short arena) runs dense int16
     * convolutions (+ReLU +max pool, concats in place) and the final average; anything else is
     * refused here, naming the layer and the mode that runs it.
     */
    static void requireDeviceKernels(Lowering.Result lowered) {
        for (Tensor t : lowered.graph().tensors()) {
            if (t.q().bits() != 16) {
                throw new UnsupportedOperationException("modes exact and fast have int16 kernels only; " + t + " is "
                        + t.q().bits() + "-bit: run this model in mode integer (the quantiser's int16/int8 arithmetic)");
            }
        }
        for (FusedOp op : lowered.ops()) {
            String why = switch (op) {
                case FusedOp.ConvPool c when c.residual() != null -> "a residual add";
                case FusedOp.ConvPool c when c.conv().groups() != 1 -> "a grouped convolution";
                case FusedOp.ConvPool c when c.conv().weight().perChannel() -> "per-channel weight formats";
                case FusedOp.ConvPool c -> null;
                case FusedOp.Average a -> null;
                default -> op.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " step";
            };
            if (why != null) {
                throw new UnsupportedOperationException("modes exact and fast (the int16 device kernels) cannot run layer "
                        + op.label() + " (" + why + "): run this model in mode integer (the quantiser's arithmetic)");
            }
        }
    }

    /**
     * Over budget on the integer kernels: keeps activations in L3 instead ({@link ActivationSpill}).
     * Greedy, like the row streaming above: among the tensors live when the peak is reached, spill
     * the one whose plan scores lowest (peak, then bytes x tiles live), while one improves the
     * score; then shrink the staging bands (fewer rows per window, more re-read halo rows) and
     * the grouped convs' tiles ({@link #SPILL_LEVELS}) and go on. Returns the first plan within
     * budget, else the lowest one seen. The sequence of plans does not depend on the budget, so
     * planning again with the budget set to the returned peak returns the same plan (an arena of
     * exactly the peak), and one byte less is refused.
     */
    private MemoryPlan spill(MemoryPlan whole) {
        long budget = options.budgetBytes();
        List<Tensor> candidates = new ArrayList<>();
        for (Tensor s : lowered.storages()) {
            if (!s.equals(lowered.graph().output())) {
                candidates.add(s);
            }
        }
        Set<Tensor> spilled = new HashSet<>();
        MemoryPlan lowest = whole;
        for (int[] level : SPILL_LEVELS) {
            int band = level[0];
            int cap = level[1];
            MemoryPlan current = build(Set.of(), spilled, band, cap);
            if (current.peak() < lowest.peak()) {
                lowest = current;
            }
            while (current.peak() > budget) {
                Set<Tensor> atPeak = liveAtPeak(current);
                MemoryPlan pick = null;
                Tensor picked = null;
                for (Tensor t : candidates) {
                    if (spilled.contains(t) || !atPeak.contains(t)) {
                        continue;
                    }
                    Set<Tensor> trial = new HashSet<>(spilled);
                    trial.add(t);
                    MemoryPlan p = build(Set.of(), trial, band, cap);
                    if (p.spill().l3Bytes() <= options.l3Bytes() && better(p, pick == null ? current : pick)) {
                        pick = p;
                        picked = t;
                    }
                }
                if (pick == null) {
                    break;
                }
                spilled.add(picked);
                current = pick;
                if (current.peak() < lowest.peak()) {
                    lowest = current;
                }
            }
            if (current.peak() <= budget) {
                return current;
            }
        }
        return lowest;
    }

    /**
     * Levels tried in turn: staging band height (output rows per band; smaller re-reads more halo
     * rows) and kernel scratch cap of grouped convs in bytes (0: none; finer tiles cost no traffic).
     */
    private static final int[][] SPILL_LEVELS = {{8, 0}, {8, 16384}, {4, 16384}, {4, 8192}, {2, 8192}, {2, 4096},
            {1, 4096}, {1, 2048}};

    /** Lower peak, or the same peak with fewer bytes x tiles live. */
    private static boolean better(MemoryPlan a, MemoryPlan b) {
        return a.peak() < b.peak() || a.peak() == b.peak() && area(a) < area(b);
    }

    private static long area(MemoryPlan p) {
        long sum = 0;
        for (Buffer b : p.buffers()) {
            sum += b.bytes() * (b.last() - b.first() + 1);
        }
        return sum;
    }

    /** Tensors held in L2 during the lifetime of a buffer that reaches the peak. */
    private static Set<Tensor> liveAtPeak(MemoryPlan p) {
        Set<Tensor> out = new HashSet<>();
        for (Buffer top : p.buffers()) {
            if (top.end() != p.peak()) {
                continue;
            }
            for (Placement pl : p.placements().values()) {
                Buffer b = pl.buffer();
                if (!pl.spilled() && b.first() <= top.last() && top.first() <= b.last()) {
                    out.add(pl.tensor());
                }
            }
        }
        return out;
    }

    /** Tensors written only by convs and read only by convs: they can live as a few rows. */
    private List<Tensor> streamable() {
        List<Tensor> out = new ArrayList<>();
        Graph g = lowered.graph();
        for (Tensor s : lowered.storages()) {
            if (s.equals(g.input()) || s.equals(g.output())) {
                continue;
            }
            boolean ok = !producers(s).isEmpty() && !consumers(s).isEmpty();
            for (FusedOp op : producers(s)) {
                ok &= op instanceof FusedOp.ConvPool c && c.residual() == null;
            }
            for (FusedOp op : consumers(s)) {
                ok &= op instanceof FusedOp.ConvPool c && c.residual() == null;
            }
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }

    private List<FusedOp> producers(Tensor s) {
        return producers.computeIfAbsent(s, k -> lowered.ops().stream().filter(o -> o.storage().equals(k)).toList());
    }

    private List<FusedOp> consumers(Tensor s) {
        return consumers.computeIfAbsent(s, k -> lowered.ops().stream().filter(o -> o.inputs().contains(k)).toList());
    }

    private final Map<Tensor, List<FusedOp>> producers = new HashMap<>();
    private final Map<Tensor, List<FusedOp>> consumers = new HashMap<>();

    /**
     * Builds the plan for a set of streamed tensors (device kernels) and of tensors spilled to L3,
     * staged in bands of {@code bandRows} output rows (integer kernels), or {@code null} if that set
     * cannot be scheduled.
     */
    private MemoryPlan build(Set<Tensor> streamed, Set<Tensor> spilled, int bandRows) {
        return build(streamed, spilled, bandRows, 0);
    }

    /** As above; {@code scratchCap > 0} caps the kernel scratch of grouped convs by tiling them finer. */
    private MemoryPlan build(Set<Tensor> streamed, Set<Tensor> spilled, int bandRows, int scratchCap) {
        List<FusedOp> ops = lowered.ops();
        // Group ops joined by streamed tensors (union-find over op indices).
        int[] parent = new int[ops.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (Tensor s : streamed) {
            for (FusedOp a : producers(s)) {
                for (FusedOp b : consumers(s)) {
                    parent[find(parent, a.index())] = find(parent, b.index());
                }
                for (FusedOp b : producers(s)) {
                    parent[find(parent, a.index())] = find(parent, b.index());
                }
            }
        }
        List<List<FusedOp>> groups = new ArrayList<>();
        Map<Integer, List<FusedOp>> byRoot = new LinkedHashMap<>();
        for (FusedOp op : ops) {
            int r = find(parent, op.index());
            List<FusedOp> g = byRoot.get(r);
            if (g == null) {
                g = new ArrayList<>();
                byRoot.put(r, g);
                groups.add(g);
            } else if (g.getLast().index() != op.index() - 1) {
                return null; // a streamed group must run contiguously
            }
            g.add(op);
        }
        // Steps and tiles.
        List<Step> steps = new ArrayList<>();
        List<Buffer> buffers = new ArrayList<>();
        Map<Integer, Integer> firstTile = new HashMap<>();
        Map<Integer, Integer> lastTile = new HashMap<>();
        Map<Integer, Integer> tileChannels = new HashMap<>();
        int t = 0;
        List<List<TilePart>> pendingParts = new ArrayList<>();
        List<Integer> pendingBytes = new ArrayList<>();
        for (List<FusedOp> group : groups) {
            boolean isStream = group.size() > 1;
            List<Tile> tiles = new ArrayList<>();
            if (isStream) {
                List<TilePart> parts = new ArrayList<>();
                int bytes = 0;
                for (FusedOp op : group) {
                    FusedOp.ConvPool c = (FusedOp.ConvPool) op;
                    int outC = c.conv().outChannels();
                    parts.add(new TilePart(c, 0, outC, bytes, bytes + (long) (c.bytesPerChannel() - 2) * outC));
                    bytes += c.bytesPerChannel() * outC;
                    tileChannels.put(op.index(), outC);
                }
                tiles.add(new Tile(t, null, parts));
                pendingParts.add(parts);
                pendingBytes.add(bytes);
                t++;
            } else if (group.getFirst() instanceof FusedOp.ConvPool c) {
                int outC = c.conv().outChannels();
                int maxCh = Math.max(1, options.tileBytes() / c.bytesPerChannel());
                if (scratchCap > 0 && c.conv().groups() > 1) {
                    // a grouped conv's tile reads only its groups' input channels, so smaller tiles
                    // shrink its int32 window without re-reading anything: cap the kernel scratch
                    while (maxCh > 1 && 4L * IntegerScratch.ints(c, maxCh, blocks(c)) > scratchCap) {
                        maxCh = maxCh > BLOCK ? (maxCh - 1) / BLOCK * BLOCK : maxCh - 1;
                    }
                }
                if (maxCh >= BLOCK && outC >= BLOCK) {
                    maxCh -= maxCh % BLOCK; // whole blocks of output channels for the kernels
                }
                int n = (outC + maxCh - 1) / maxCh;
                int per = (outC + n - 1) / n;
                if (maxCh >= BLOCK && per % BLOCK != 0) {
                    per = Math.min(maxCh, per + BLOCK - per % BLOCK);
                }
                tileChannels.put(c.index(), per);
                for (int c0 = 0; c0 < outC; c0 += per) {
                    int c1 = Math.min(outC, c0 + per);
                    // weights [c1 - c0][taps], then the int16 biases (2-byte aligned after int8 weights)
                    int bias = (c.weightBytesPerChannel() * (c1 - c0) + 1) & ~1;
                    List<TilePart> parts = List.of(new TilePart(c, c0, c1, 0, bias));
                    tiles.add(new Tile(t, null, parts));
                    pendingParts.add(parts);
                    pendingBytes.add(bias + 2 * (c1 - c0));
                    t++;
                }
            } else {
                tiles.add(new Tile(t, null, List.of()));
                pendingParts.add(List.of());
                pendingBytes.add(0);
                t++;
            }
            for (FusedOp op : group) {
                firstTile.put(op.index(), tiles.getFirst().index());
                lastTile.put(op.index(), tiles.getLast().index());
            }
            steps.add(new Step(steps.size(), List.copyOf(group), isStream, tiles,
                    !isStream && group.getFirst() instanceof FusedOp.ConvPool c ? tileChannels.get(c.index()) : 0));
        }
        int lastT = t - 1;
        // Weight tile buffers: filled while the previous tile computes.
        int[] tileBuffer = new int[pendingParts.size()];
        for (int i = 0; i < pendingParts.size(); i++) {
            tileBuffer[i] = -1;
            if (pendingBytes.get(i) > 0) {
                List<TilePart> parts = pendingParts.get(i);
                String name = parts.size() == 1
                        ? "weights " + parts.getFirst().op().conv().name() + " [" + parts.getFirst().c0() + "," + parts.getFirst().c1() + ")"
                        : "weights " + String.join(" + ", parts.stream().map(p -> p.op().conv().name()).toList());
                tileBuffer[i] = buffers.size();
                buffers.add(new Buffer(name, Kind.WEIGHTS, 0, pendingBytes.get(i), Math.max(0, i - 1), i));
            }
        }
        // Activations: whole, or a ring of rows when streamed.
        Graph g = lowered.graph();
        Map<Tensor, Integer> rings = new HashMap<>();
        Map<Tensor, Integer> storageBuffer = new LinkedHashMap<>();
        List<Buffer> l3Buffers = new ArrayList<>();
        Map<Tensor, Integer> l3Buffer = new LinkedHashMap<>();
        for (Tensor s : lowered.storages()) {
            Shape sh = s.shape();
            storageBuffer.put(s, buffers.size());
            if (streamed.contains(s)) {
                int rows = 0;
                int first = Integer.MAX_VALUE;
                int last = 0;
                for (FusedOp op : consumers(s)) {
                    FusedOp.ConvPool cp = (FusedOp.ConvPool) op;
                    int ps = cp.pool() == null ? 1 : cp.pool().stride();
                    // rows a consumer's window spans while it advances one output row, plus margin
                    // for consumers of different kernel heights progressing together
                    rows = Math.max(rows, (ps - 1) * cp.conv().strideH() + cp.conv().kernelH() + 2);
                    first = Math.min(first, firstTile.get(op.index()));
                    last = Math.max(last, lastTile.get(op.index()));
                }
                rows = Math.min(rows, sh.height());
                rings.put(s, rows);
                buffers.add(new Buffer(s.name() + " (ring of " + rows + " rows)", Kind.ROWS, 0,
                        (long) s.q().bytes() * rows * sh.channels() * sh.width(), first, last));
            } else {
                int first = s.equals(g.input()) ? 0 : Integer.MAX_VALUE;
                int last = s.equals(g.output()) ? lastT : 0;
                for (FusedOp op : producers(s)) {
                    first = Math.min(first, firstTile.get(op.index()));
                    last = Math.max(last, lastTile.get(op.index()));
                }
                for (FusedOp op : consumers(s)) {
                    last = Math.max(last, lastTile.get(op.index()));
                }
                Kind kind = s.equals(g.input()) ? Kind.INPUT : s.equals(g.output()) ? Kind.OUTPUT : Kind.ACTIVATION;
                Buffer b = new Buffer(s.name(), kind, 0, (long) s.q().bytes() * sh.size(), first, last);
                if (spilled.contains(s)) {
                    storageBuffer.remove(s);
                    l3Buffer.put(s, l3Buffers.size());
                    l3Buffers.add(b);
                } else {
                    buffers.add(b);
                }
            }
        }
        List<StagingDraft> staging = spilled.isEmpty() ? List.of() : staging(steps, spilled, bandRows, buffers);
        // Pre-pool row rings of fused conv+pool ops.
        Map<Integer, Integer> poolBuffer = new HashMap<>();
        for (FusedOp op : ops) {
            if (op instanceof FusedOp.ConvPool c && c.pool() != null) {
                long bytes = (long) c.conv().output().q().bytes() * c.pool().kernel() * tileChannels.get(c.index())
                        * c.conv().output().shape().width();
                poolBuffer.put(c.index(), buffers.size());
                buffers.add(new Buffer(c.label() + " pre-pool rows", Kind.POOL_ROWS, 0, bytes,
                        firstTile.get(c.index()), lastTile.get(c.index())));
            }
        }
        int kernelInts = 0;
        if (options.kernels() == PlanOptions.Kernels.INTEGER) {
            // The integer kernel's int32 window and output rows, per conv step, at that step's size.
            for (Step s : steps) {
                if (s.ops().getFirst() instanceof FusedOp.ConvPool c) {
                    int ints = IntegerScratch.ints(c, tileChannels.get(c.index()), blocks(c));
                    kernelInts = Math.max(kernelInts, ints);
                    buffers.add(new Buffer("kernel scratch " + c.conv().name() + " (int32 input window, output rows)", Kind.KERNEL,
                            0, 4L * ints, s.tiles().getFirst().index(), s.tiles().getLast().index()));
                }
            }
        } else {
            // Kernel scratch per step: the step's largest input window and its tiles' widened weights.
            for (Step s : steps) {
                int window = 0;
                boolean convs = false;
                for (FusedOp op : s.ops()) {
                    if (op instanceof FusedOp.ConvPool c) {
                        convs = true;
                        int n = KernelScratch.rowsPerCall(c, isRing(rings, c.input()), isRing(rings, c.storage()));
                        window = Math.max(window, KernelScratch.windowWords(c.conv(), n));
                    }
                }
                int weights = 0;
                for (Tile tile : s.tiles()) {
                    weights = Math.max(weights, pendingParts.get(tile.index()).stream().mapToInt(KernelScratch::weightWords).sum());
                }
                if (convs) {
                    int words = KernelScratch.words(window, weights);
                    kernelInts = Math.max(kernelInts, words);
                    buffers.add(new Buffer("kernel scratch (32-bit input window, weights, accumulators)", Kind.KERNEL, 0,
                            4L * words, s.tiles().getFirst().index(), s.tiles().getLast().index()));
                }
            }
        }
        List<Buffer> placed = spilled.isEmpty() ? place(buffers) : placeSpilled(buffers);
        long peak = placed.stream().mapToLong(Buffer::end).max().orElse(0);
        List<Buffer> l3Placed = place(l3Buffers);
        List<Step> finalSteps = new ArrayList<>();
        for (Step s : steps) {
            List<Tile> tiles = new ArrayList<>();
            for (Tile tile : s.tiles()) {
                List<TilePart> parts = tile.parts();
                Buffer wb = null;
                if (tileBuffer[tile.index()] >= 0) {
                    wb = placed.get(tileBuffer[tile.index()]);
                    long base = wb.offset();
                    parts = parts.stream().map(p -> new TilePart(p.op(), p.c0(), p.c1(), base + p.weightOffset(),
                            base + p.biasOffset())).toList();
                }
                tiles.add(new Tile(tile.index(), wb, parts));
            }
            finalSteps.add(new Step(s.index(), s.ops(), s.streamed(), List.copyOf(tiles), s.tileChannels()));
        }
        Map<Tensor, Placement> placements = new LinkedHashMap<>();
        storageBuffer.forEach((s, i) -> placements.put(s, new Placement(s, placed.get(i),
                rings.getOrDefault(s, s.shape().height()))));
        Map<Tensor, Buffer> l3 = new LinkedHashMap<>();
        l3Buffer.forEach((s, i) -> {
            placements.put(s, new Placement(s, l3Placed.get(i), s.shape().height(), true));
            l3.put(s, l3Placed.get(i));
        });
        ActivationSpill spill = ActivationSpill.NONE;
        if (!l3.isEmpty()) {
            Map<Integer, ActivationSpill.StepStaging> stepStaging = new LinkedHashMap<>();
            long read = 0;
            long written = 0;
            for (StagingDraft d : staging) {
                List<ActivationSpill.Window> windows = new ArrayList<>();
                for (WindowDraft w : d.windows()) {
                    windows.add(new ActivationSpill.Window(w.tensor(), placed.get(w.buffer()), w.rows(), w.read(), w.write(),
                            w.from(), w.to()));
                }
                stepStaging.put(d.step(), new ActivationSpill.StepStaging(d.step(), d.bandRows(), d.bands(), List.copyOf(windows),
                        d.read(), d.written()));
                read += d.read();
                written += d.written();
            }
            long l3Bytes = l3Placed.stream().mapToLong(Buffer::end).max().orElse(0);
            spill = new ActivationSpill(l3, l3Bytes, stepStaging, read, written);
        }
        Map<Integer, Buffer> pools = new HashMap<>();
        poolBuffer.forEach((op, i) -> pools.put(op, placed.get(i)));
        List<Buffer> byOffset = new ArrayList<>(placed);
        byOffset.sort(Comparator.comparingLong(Buffer::offset));
        return new MemoryPlan(g, options, List.copyOf(finalSteps), List.copyOf(byOffset), placements, pools, kernelInts, peak,
                spill, rowBlocks);
    }

    /** A step's staging before placement: window buffers by index in the buffer list. */
    private record StagingDraft(int step, int bandRows, int bands, List<WindowDraft> windows, long read, long written) {}

    private record WindowDraft(Tensor tensor, int buffer, int rows, boolean read, boolean write, int[] from, int[] to) {}

    /**
     * The L2 windows of the steps touching spilled tensors (added to {@code buffers}, live through
     * the step) and the bytes each step copies between L3 and L2: per weight tile, per band, the
     * rows of the channels the tile reads (a conv's input: the channels its groups read) or writes.
     */
    private List<StagingDraft> staging(List<Step> steps, Set<Tensor> spilled, int bandRows, List<Buffer> buffers) {
        List<StagingDraft> out = new ArrayList<>();
        for (Step s : steps) {
            FusedOp op = s.ops().getFirst();
            List<Tensor> touched = new ArrayList<>();
            for (Tensor t : op.inputs()) {
                if (spilled.contains(t) && !touched.contains(t)) {
                    touched.add(t);
                }
            }
            if (spilled.contains(op.storage()) && !touched.contains(op.storage())) {
                touched.add(op.storage());
            }
            if (touched.isEmpty()) {
                continue;
            }
            int rows = RowBands.rows(op);
            int band = Math.min(bandRows, rows);
            int bands = (rows + band - 1) / band;
            List<WindowDraft> windows = new ArrayList<>();
            long read = 0;
            long written = 0;
            for (Tensor t : touched) {
                boolean reads = op.inputs().contains(t);
                boolean writes = op.storage().equals(t);
                int[] from = new int[bands];
                int[] to = new int[bands];
                int held = 1;
                for (int b = 0; b < bands; b++) {
                    int lo = b * band;
                    int hi = Math.min(rows, lo + band);
                    long r = RowBands.range(op, t, lo, hi);
                    if (reads && writes && (RowBands.from(r) != lo || RowBands.to(r) != hi)) {
                        throw new IllegalStateException(op.label() + " reads other rows of " + t + " than it writes");
                    }
                    from[b] = reads ? RowBands.from(r) : lo;
                    to[b] = reads ? RowBands.to(r) : hi;
                    held = Math.max(held, to[b] - from[b]);
                }
                Shape sh = t.shape();
                long rowBytes = (long) sh.width() * t.q().bytes();
                for (Tile tile : s.tiles()) {
                    int readChannels = sh.channels();
                    int writeChannels = sh.channels();
                    if (op instanceof FusedOp.ConvPool c && !tile.parts().isEmpty()) {
                        TilePart p = tile.parts().getFirst();
                        readChannels = t.equals(c.input()) ? IntegerScratch.inputChannels(c.conv(), p.c0(), p.c1()) : p.c1() - p.c0();
                        writeChannels = p.c1() - p.c0();
                    }
                    for (int b = 0; b < bands; b++) {
                        long bytes = (long) (to[b] - from[b]) * rowBytes;
                        read += reads ? bytes * readChannels : 0;
                        written += writes ? bytes * writeChannels : 0;
                    }
                }
                windows.add(new WindowDraft(t, buffers.size(), held, reads, writes, from, to));
                buffers.add(new Buffer("window of " + t.name() + " (" + held + " of " + sh.height() + " rows; whole in L3)",
                        Kind.STAGING, 0, (long) sh.channels() * held * rowBytes, s.tiles().getFirst().index(),
                        s.tiles().getLast().index()));
            }
            out.add(new StagingDraft(s.index(), band, bands, List.copyOf(windows), read, written));
        }
        return out;
    }

    /** True when the tensor is kept as a ring of fewer rows than it has (as {@link Placement#streamed()}). */
    private static boolean isRing(Map<Tensor, Integer> rings, Tensor t) {
        return rings.getOrDefault(t, Integer.MAX_VALUE) < t.shape().height();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /**
     * Placement for a plan with L2 windows of spilled tensors: largest first, and longest-lived
     * first (many short windows fill the gaps around the long-lived weights and scratch better),
     * whichever peaks lower.
     */
    private static List<Buffer> placeSpilled(List<Buffer> buffers) {
        List<Buffer> largest = place(buffers);
        List<GreedyPlacement.Request> requests = requests(buffers);
        long[] alt = GreedyPlacement.place(requests, Comparator.comparingInt((Integer i) ->
                requests.get(i).last() - requests.get(i).first()).reversed()
                .thenComparing(Comparator.comparingLong((Integer i) -> requests.get(i).bytes()).reversed()));
        if (GreedyPlacement.peak(requests, alt) >= largest.stream().mapToLong(Buffer::end).max().orElse(0)) {
            return largest;
        }
        List<Buffer> placed = new ArrayList<>();
        for (int i = 0; i < alt.length; i++) {
            placed.add(buffers.get(i).at(alt[i]));
        }
        return placed;
    }

    private static List<GreedyPlacement.Request> requests(List<Buffer> buffers) {
        List<GreedyPlacement.Request> requests = new ArrayList<>();
        for (Buffer b : buffers) {
            requests.add(new GreedyPlacement.Request(b.bytes(), b.first(), b.last()));
        }
        return requests;
    }

    /** Greedy placement ({@link GreedyPlacement}): largest first, lowest offset free during the buffer's lifetime. */
    static List<Buffer> place(List<Buffer> buffers) {
        List<GreedyPlacement.Request> requests = requests(buffers);
        long[] offsets = GreedyPlacement.place(requests);
        List<Buffer> placed = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            placed.add(buffers.get(i).at(offsets[i]));
        }
        return placed;
    }
}
