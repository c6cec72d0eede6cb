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
 * free during their lifetime (the TFLite Micro greedy planner).
 */
public final class MemoryPlanner {
    /** Output channels the fast kernel computes together; tiles hold whole blocks when they can. */
    private static final int BLOCK = 4;

    private final Lowering.Result lowered;
    private final PlanOptions options;

    private MemoryPlanner(Lowering.Result lowered, PlanOptions options) {
        this.lowered = lowered;
        this.options = options;
    }

    /** Plans {@code g}; throws {@link ArenaOverflowException} when the peak exceeds the budget. */
    public static MemoryPlan plan(Graph g, PlanOptions options) {
        MemoryPlan p = planUnchecked(g, options);
        if (p.peak() > options.budgetBytes()) {
            throw new ArenaOverflowException("L2", p.peak() - options.budgetBytes(), p.peak(), options.budgetBytes());
        }
        return p;
    }

    /** Plans {@code g} without checking the budget (to report how much a plan needs). */
    public static MemoryPlan planUnchecked(Graph g, PlanOptions options) {
        MemoryPlanner planner = new MemoryPlanner(Lowering.lower(g), options);
        Set<Tensor> streamed = new HashSet<>();
        MemoryPlan best = planner.build(streamed);
        if (options.rowStreaming()) {
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
                    MemoryPlan p = planner.build(trial);
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
                ok &= op instanceof FusedOp.ConvPool;
            }
            for (FusedOp op : consumers(s)) {
                ok &= op instanceof FusedOp.ConvPool;
            }
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }

    private List<FusedOp> producers(Tensor s) {
        return lowered.ops().stream().filter(o -> o.storage().equals(s)).toList();
    }

    private List<FusedOp> consumers(Tensor s) {
        return lowered.ops().stream().filter(o -> o.input().equals(s)).toList();
    }

    /** Builds the plan for a set of streamed tensors, or {@code null} if that set cannot be scheduled. */
    private MemoryPlan build(Set<Tensor> streamed) {
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
                    List<TilePart> parts = List.of(new TilePart(c, c0, c1, 0, (long) (c.bytesPerChannel() - 2) * (c1 - c0)));
                    tiles.add(new Tile(t, null, parts));
                    pendingParts.add(parts);
                    pendingBytes.add(c.bytesPerChannel() * (c1 - c0));
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
            steps.add(new Step(steps.size(), List.copyOf(group), isStream, tiles));
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
                        2L * rows * sh.channels() * sh.width(), first, last));
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
                buffers.add(new Buffer(s.name(), kind, 0, 2L * sh.size(), first, last));
            }
        }
        // Pre-pool row rings of fused conv+pool ops.
        Map<Integer, Integer> poolBuffer = new HashMap<>();
        for (FusedOp op : ops) {
            if (op instanceof FusedOp.ConvPool c && c.pool() != null) {
                long bytes = 2L * c.pool().kernel() * tileChannels.get(c.index()) * c.conv().output().shape().width();
                poolBuffer.put(c.index(), buffers.size());
                buffers.add(new Buffer(c.label() + " pre-pool rows", Kind.POOL_ROWS, 0, bytes,
                        firstTile.get(c.index()), lastTile.get(c.index())));
            }
        }
        // Kernel scratch per step: the step's largest input window and its tiles' widened weights.
        int kernelInts = 0;
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
        List<Buffer> placed = place(buffers);
        long peak = placed.stream().mapToLong(Buffer::end).max().orElse(0);
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
            finalSteps.add(new Step(s.index(), s.ops(), s.streamed(), List.copyOf(tiles)));
        }
        Map<Tensor, Placement> placements = new LinkedHashMap<>();
        storageBuffer.forEach((s, i) -> placements.put(s, new Placement(s, placed.get(i),
                rings.getOrDefault(s, s.shape().height()))));
        Map<Integer, Buffer> pools = new HashMap<>();
        poolBuffer.forEach((op, i) -> pools.put(op, placed.get(i)));
        List<Buffer> byOffset = new ArrayList<>(placed);
        byOffset.sort(Comparator.comparingLong(Buffer::offset));
        return new MemoryPlan(g, options, List.copyOf(finalSteps), List.copyOf(byOffset), placements, pools, kernelInts, peak);
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

    /** Greedy placement ({@link GreedyPlacement}): largest first, lowest offset free during the buffer's lifetime. */
    static List<Buffer> place(List<Buffer> buffers) {
        List<GreedyPlacement.Request> requests = new ArrayList<>();
        for (Buffer b : buffers) {
            requests.add(new GreedyPlacement.Request(b.bytes(), b.first(), b.last()));
        }
        long[] offsets = GreedyPlacement.place(requests);
        List<Buffer> placed = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            placed.add(buffers.get(i).at(offsets[i]));
        }
        return placed;
    }
}
