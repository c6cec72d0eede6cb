package io.tinyreid.nn.runtime;

import java.util.HashMap;
import java.util.Map;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.IntegerScratch;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;

/**
 * The integer runtime ({@link Mode#INTEGER}): the arithmetic our quantiser targets, bit for bit
 * with {@code IntegerReference}, for int16 and int8 models. One {@code byte[]} arena exactly as large
 * as the budget holds every tensor at its own width (int8 activations take one byte), the weight
 * tiles streamed from the model file and the pre-pool rows; ops run in plan order. When the plan
 * spills activations to L3 ({@link io.tinyreid.nn.plan.ActivationSpill}), a second array stands for
 * that external memory and the steps touching them run in bands through their L2 windows
 * ({@link StagedStep}). {@link #embed}/{@link #embedRaw} allocate nothing.
 */
public final class PlannedIntegerModel implements CompiledModel {
    private final Graph graph;
    private final MemoryPlan plan;
    private final byte[] arena;
    /** External memory ("L3") holding the spilled activations; empty when none are. */
    private final byte[] l3;
    /** Per step: its staging through L2 windows, or null when it touches no spilled tensor. */
    private final StagedStep[] staged;
    /** Per step: rows of its output (the whole range when not staged). */
    private final int[] outRows;
    /** Where the input and output tensors are: the arena or L3. */
    private final byte[] inputMemory;
    private final byte[] outputMemory;
    private long l3Read;
    private long l3Written;
    private final WeightStream weights;
    private final ExecutionObserver observer;
    private final IntegerConv kernel;
    // per step, as plain arrays for the run loop
    private final IntegerConvStage[] convs;
    private final IntegerSteps.Step[] others;
    private final int[][] tiles;
    /** Per step, per tile: {c0, c1, weight byte offset, bias byte offset}. */
    private final int[][][] parts;
    private final Region input;
    private final Region output;
    private final QFormat inputQ;
    private final QFormat outputQ;

    /** Compiles {@code model}; fails with {@code region 'L2' overflowed by N bytes} if the plan exceeds the budget. */
    public PlannedIntegerModel(ModelFile model, WeightLoading loading, PlanOptions options, ExecutionObserver observer) {
        this.graph = model.graph();
        this.observer = observer;
        this.plan = MemoryPlanner.plan(graph, options.withKernels(PlanOptions.Kernels.INTEGER));
        if (options.budgetBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("budget too large for one arena");
        }
        arena = new byte[(int) options.budgetBytes()];
        l3 = new byte[Math.toIntExact(plan.spill().l3Bytes())];
        Map<Tensor, Region> regions = new HashMap<>();
        for (MemoryPlan.Placement p : plan.placements().values()) {
            regions.put(p.tensor(), Region.of(p));
        }
        int n = plan.steps().size();
        staged = new StagedStep[n];
        outRows = new int[n];
        convs = new IntegerConvStage[n];
        others = new IntegerSteps.Step[n];
        tiles = new int[n][];
        parts = new int[n][][];
        int window = 0;
        int rows = 0;
        for (int si = 0; si < n; si++) {
            MemoryPlan.Step s = plan.steps().get(si);
            if (s.ops().size() != 1) {
                throw new IllegalStateException("step " + s.label() + " streams rows; the integer runtime keeps tensors whole");
            }
            FusedOp op = s.ops().getFirst();
            outRows[si] = io.tinyreid.nn.plan.RowBands.rows(op);
            var staging = plan.spill().steps().get(si);
            StagedStep st = staging == null ? null : new StagedStep(staging, op, plan.placements());
            staged[si] = st;
            // the op sees its spilled tensors through their L2 windows, the others where they are
            java.util.function.Function<Tensor, Region> place = t -> {
                Region w = st == null ? null : st.window(t);
                return w != null ? w : regions.get(t);
            };
            tiles[si] = s.tiles().stream().mapToInt(MemoryPlan.Tile::index).toArray();
            parts[si] = new int[s.tiles().size()][];
            int most = 0;
            for (int ti = 0; ti < s.tiles().size(); ti++) {
                int[] flat = new int[4];
                for (MemoryPlan.TilePart p : s.tiles().get(ti).parts()) {
                    flat = new int[] {p.c0(), p.c1(), (int) p.weightOffset(), (int) p.biasOffset()};
                    most = Math.max(most, p.c1() - p.c0());
                }
                parts[si][ti] = flat;
            }
            if (op instanceof FusedOp.ConvPool c) {
                MemoryPlan.Buffer pool = plan.poolRows().get(c.index());
                convs[si] = new IntegerConvStage(c, place.apply(c.input()), place.apply(c.storage()),
                        pool == null ? -1 : (int) pool.offset(), most);
                window = Math.max(window, IntegerScratch.windowInts(c.conv(), most));
                rows = Math.max(rows, IntegerScratch.rowInts(c.conv(), most));
            } else {
                others[si] = IntegerSteps.of(op, place);
            }
        }
        kernel = new IntegerConv(window, rows);
        input = regions.get(graph.input());
        output = regions.get(graph.output());
        inputQ = graph.input().q();
        outputQ = graph.output().q();
        inputMemory = plan.placements().get(graph.input()).spilled() ? l3 : arena;
        outputMemory = plan.placements().get(graph.output()).spilled() ? l3 : arena;
        this.weights = new WeightStream(model, plan, arena, loading);
    }

    @Override
    public InputGeometry input() {
        return new InputGeometry(graph.input().shape().width(), graph.input().shape().height(), graph.colour());
    }

    @Override
    public int descriptorLength() {
        return graph.output().shape().size();
    }

    @Override
    public Mode mode() {
        return Mode.INTEGER;
    }

    @Override
    public MemoryPlan plan() {
        return plan;
    }

    /** The arena (for tests and the memory map; contents are only meaningful between runs). */
    public byte[] arena() {
        return arena;
    }

    @Override
    public void embed(float[] in, float[] descriptor) {
        int n = input.size();
        if (in.length != n || descriptor.length != descriptorLength()) {
            throw new IllegalArgumentException("expected " + n + " input and " + descriptorLength()
                    + " descriptor values, got " + in.length + " and " + descriptor.length);
        }
        for (int i = 0; i < n; i++) {
            Bytes.put(inputMemory, input.base + i * input.width, input.width, inputQ.toRaw(in[i]));
        }
        run();
        for (int i = 0; i < descriptor.length; i++) {
            descriptor[i] = outputQ.toReal(Bytes.get(outputMemory, output.base + i * output.width, output.width));
        }
    }

    /** Embeds a raw input (at the input's format) into the raw output (at the output's format). */
    public void embedRaw(int[] in, int[] out) {
        if (in.length != input.size() || out.length != descriptorLength()) {
            throw new IllegalArgumentException("wrong input or output length");
        }
        for (int i = 0; i < in.length; i++) {
            if (in[i] < inputQ.minRaw() || in[i] > inputQ.maxRaw()) {
                throw new IllegalArgumentException("input value " + in[i] + " does not fit " + inputQ);
            }
            Bytes.put(inputMemory, input.base + i * input.width, input.width, in[i]);
        }
        run();
        for (int i = 0; i < out.length; i++) {
            out[i] = Bytes.get(outputMemory, output.base + i * output.width, output.width);
        }
    }

    /** The raw values of a stored (not overwritten since) tensor after a run, e.g. from an observer. */
    public static int[] read(MemoryPlan plan, byte[] arena, Tensor storage) {
        return read(plan, arena, new byte[0], storage);
    }

    /** As {@link #read(MemoryPlan, byte[], Tensor)}, a spilled tensor read from {@code l3}. */
    public static int[] read(MemoryPlan plan, byte[] arena, byte[] l3, Tensor storage) {
        MemoryPlan.Placement p = plan.placements().get(storage);
        Region r = Region.of(p);
        byte[] mem = p.spilled() ? l3 : arena;
        int[] v = new int[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Bytes.get(mem, r.base + i * r.width, r.width);
        }
        return v;
    }

    /** The L3 memory standing for external RAM (spilled activations; empty when none are). */
    public byte[] l3() {
        return l3;
    }

    /** Bytes copied L3 -> L2 during the last inference (spilled activations' rows). */
    public long lastL3ReadBytes() {
        return l3Read;
    }

    /** Bytes copied L2 -> L3 during the last inference. */
    public long lastL3WrittenBytes() {
        return l3Written;
    }

    private void run() {
        for (StagedStep st : staged) {
            if (st != null) {
                st.readBytes = 0;
                st.writtenBytes = 0;
            }
        }
        weights.begin();
        try {
            runSteps();
        } finally {
            weights.end();
        }
        long r = 0;
        long w = 0;
        for (StagedStep st : staged) {
            if (st != null) {
                r += st.readBytes;
                w += st.writtenBytes;
            }
        }
        l3Read = r;
        l3Written = w;
    }

    private void runSteps() {
        byte[] a = arena;
        byte[] m3 = l3;
        for (int si = 0; si < tiles.length; si++) {
            int[] ts = tiles[si];
            IntegerConvStage conv = convs[si];
            StagedStep st = staged[si];
            if (conv == null) {
                acquire(ts[0]);
                if (st == null) {
                    others[si].run(a, 0, outRows[si]);
                } else {
                    for (int b = 0; b < st.bands; b++) {
                        int lo = b * st.bandRows;
                        st.load(a, m3, b, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
                        others[si].run(a, lo, Math.min(st.rows, lo + st.bandRows));
                        st.store(a, m3, b, 0, Integer.MAX_VALUE);
                    }
                }
            } else {
                for (int ti = 0; ti < ts.length; ti++) {
                    acquire(ts[ti]);
                    int[] p = parts[si][ti];
                    conv.tile(a, p[0], p[1], p[2], p[3]);
                    if (st == null) {
                        conv.run(a, kernel);
                    } else {
                        // the tile's input channels in, its output channels (of the storage) out, band by band
                        int i0 = conv.firstInputChannel();
                        int i1 = i0 + conv.inputChannels();
                        int o0 = conv.channelOffset + p[0];
                        int o1 = conv.channelOffset + p[1];
                        for (int b = 0; b < st.bands; b++) {
                            int lo = b * st.bandRows;
                            st.load(a, m3, b, i0, i1, o0, o1);
                            conv.run(a, kernel, lo, Math.min(st.rows, lo + st.bandRows));
                            st.store(a, m3, b, o0, o1);
                        }
                    }
                }
            }
            if (observer != null) {
                observer.afterStep(plan.steps().get(si), a, m3);
            }
        }
    }

    private void acquire(int tile) {
        weights.acquire(tile);
        if (observer != null) {
            observer.beforeTile(tile, arena, l3);
        }
    }

    @Override
    public void close() {
        weights.close();
    }
}
