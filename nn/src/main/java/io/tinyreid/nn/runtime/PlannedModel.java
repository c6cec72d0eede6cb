package io.tinyreid.nn.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.KernelScratch;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;

/**
 * The fixed-point runtime: one {@code short[]} arena exactly as large as the plan's budget, ops run
 * in plan order, weight tiles streamed from the model file. {@link #embed}/{@link #embedRaw}
 * allocate nothing.
 */
public final class PlannedModel implements CompiledModel {
    private final Graph graph;
    private final Mode mode;
    private final MemoryPlan plan;
    private final short[] arena;
    private final WeightStream weights;
    private final ExecutionObserver observer;
    // per step, everything run() needs as plain arrays (no collections on the hot path)
    private final ConvStage[][] stepStages;
    private final boolean[][] stepSinks;
    private final AverageStage[] stepAverage;
    private final boolean[] stepStreamed;
    private final int[][] stepTiles;
    /** Per step, per tile: {c0, c1, weight index, bias index} for each of the step's stages. */
    private final int[][][] tileParts;
    private final int inputBase;
    private final int outputBase;
    private final int inputFrac;
    private final int outputFrac;
    private final RowStream[] streams;
    private final ConvKernel kernel;

    /** Compiles {@code model}; fails with {@code region 'L2' overflowed by N bytes} if the plan exceeds the budget. */
    public PlannedModel(ModelFile model, Mode mode, WeightLoading loading, PlanOptions options, ExecutionObserver observer) {
        if (mode == Mode.FLOAT) {
            throw new IllegalArgumentException("float mode is not planned; use CompiledModel.open");
        }
        this.graph = model.graph();
        this.mode = mode;
        this.observer = observer;
        this.plan = MemoryPlanner.plan(graph, options);
        if (options.budgetBytes() / 2 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("budget too large for one arena");
        }
        arena = new short[(int) (options.budgetBytes() / 2)];
        // Kernel scratch as the planner counted it, per step: the step's largest input window and its
        // tiles' widened weights (a row-streamed step keeps all its ops' weights, one after another).
        // The JVM allocates each part once at its largest.
        int window = 0;
        int tileWeights = 0;
        int stepWords = 0;
        Map<Integer, Integer> weightScratch = new HashMap<>();
        for (MemoryPlan.Step s : plan.steps()) {
            int stepWindow = 0;
            int stepWeights = 0;
            boolean convs = false;
            for (FusedOp op : s.ops()) {
                if (op instanceof FusedOp.ConvPool c) {
                    convs = true;
                    int n = KernelScratch.rowsPerCall(c, plan.placements().get(c.input()).streamed(),
                            plan.placements().get(c.storage()).streamed());
                    stepWindow = Math.max(stepWindow, KernelScratch.windowWords(c.conv(), n));
                }
            }
            for (MemoryPlan.Tile t : s.tiles()) {
                int sum = 0;
                for (MemoryPlan.TilePart p : t.parts()) {
                    weightScratch.putIfAbsent(p.op().index(), sum);
                    sum += KernelScratch.weightWords(p);
                }
                stepWeights = Math.max(stepWeights, sum);
            }
            window = Math.max(window, stepWindow);
            tileWeights = Math.max(tileWeights, stepWeights);
            if (convs) {
                stepWords = Math.max(stepWords, KernelScratch.words(stepWindow, stepWeights));
            }
        }
        if (stepWords != plan.kernelInts()) {
            throw new IllegalStateException("kernel scratch of " + stepWords + " words differs from the plan's "
                    + plan.kernelInts());
        }
        kernel = mode == Mode.EXACT ? new ExactConv(window, tileWeights) : new FastConv(window, tileWeights);
        Map<Tensor, RowStream> rowStreams = new HashMap<>();
        for (MemoryPlan.Placement p : plan.placements().values()) {
            if (p.streamed()) {
                rowStreams.put(p.tensor(), new RowStream(p.tensor().name(), p.ringRows()));
            }
        }
        streams = rowStreams.values().toArray(RowStream[]::new);
        // One runtime object per op, in op order.
        Map<Integer, Object> byOp = new HashMap<>();
        for (MemoryPlan.Step s : plan.steps()) {
            for (FusedOp op : s.ops()) {
                View in = View.of(plan.placements().get(op.input()));
                View out = View.of(plan.placements().get(op.storage()));
                switch (op) {
                    case FusedOp.ConvPool c -> {
                        MemoryPlan.Buffer pb = plan.poolRows().get(c.index());
                        View pool = null;
                        if (pb != null) {
                            int w = c.conv().output().shape().width();
                            int ch = (int) (pb.bytes() / 2 / c.pool().kernel() / w);
                            pool = new View((int) (pb.offset() / 2), w, ch * w, c.pool().kernel());
                        }
                        ConvStage st = new ConvStage(c, arena, kernel, in, rowStreams.get(op.input()),
                                out.shift(c.channelOffset()), pool, weightScratch.get(c.index()));
                        RowStream produced = rowStreams.get(op.storage());
                        if (produced != null) {
                            produced.addProducer(st);
                        }
                        byOp.put(c.index(), st);
                    }
                    case FusedOp.Average a -> byOp.put(a.index(), new AverageStage(arena, in, out,
                            a.input().shape().channels(), a.input().shape().plane()));
                }
            }
        }
        int n = plan.steps().size();
        stepStages = new ConvStage[n][];
        stepSinks = new boolean[n][];
        stepAverage = new AverageStage[n];
        stepStreamed = new boolean[n];
        stepTiles = new int[n][];
        tileParts = new int[n][][];
        for (int si = 0; si < n; si++) {
            MemoryPlan.Step s = plan.steps().get(si);
            stepStreamed[si] = s.streamed();
            List<FusedOp> ops = s.ops();
            if (ops.getFirst() instanceof FusedOp.Average a) {
                stepAverage[si] = (AverageStage) byOp.get(a.index());
            } else {
                stepStages[si] = new ConvStage[ops.size()];
                stepSinks[si] = new boolean[ops.size()];
                for (int k = 0; k < ops.size(); k++) {
                    stepStages[si][k] = (ConvStage) byOp.get(ops.get(k).index());
                    stepSinks[si][k] = !plan.placements().get(ops.get(k).storage()).streamed();
                }
            }
            stepTiles[si] = s.tiles().stream().mapToInt(MemoryPlan.Tile::index).toArray();
            tileParts[si] = new int[s.tiles().size()][];
            for (int ti = 0; ti < s.tiles().size(); ti++) {
                List<MemoryPlan.TilePart> parts = s.tiles().get(ti).parts();
                int[] flat = new int[4 * parts.size()];
                for (int k = 0; k < parts.size(); k++) {
                    MemoryPlan.TilePart p = parts.get(k);
                    flat[4 * k] = p.c0();
                    flat[4 * k + 1] = p.c1();
                    flat[4 * k + 2] = (int) (p.weightOffset() / 2);
                    flat[4 * k + 3] = (int) (p.biasOffset() / 2);
                }
                tileParts[si][ti] = flat;
            }
        }
        inputBase = (int) (plan.placements().get(graph.input()).buffer().offset() / 2);
        outputBase = (int) (plan.placements().get(graph.output()).buffer().offset() / 2);
        inputFrac = graph.input().q().fracBits();
        outputFrac = graph.output().q().fracBits();
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
        return mode;
    }

    @Override
    public MemoryPlan plan() {
        return plan;
    }

    /** The arena (for tests and the memory map; contents are only meaningful between runs). */
    public short[] arena() {
        return arena;
    }

    @Override
    public void embed(float[] input, float[] descriptor) {
        int n = graph.input().shape().size();
        if (input.length != n || descriptor.length != descriptorLength()) {
            throw new IllegalArgumentException("expected " + n + " input and " + descriptorLength()
                    + " descriptor values, got " + input.length + " and " + descriptor.length);
        }
        float scale = Math.scalb(1f, inputFrac);
        for (int i = 0; i < n; i++) {
            float v = Math.round(input[i] * scale);
            arena[inputBase + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        run();
        float inv = Math.scalb(1f, -outputFrac);
        for (int i = 0; i < descriptor.length; i++) {
            descriptor[i] = arena[outputBase + i] * inv;
        }
    }

    /** Embeds a raw int16 input (at the input's Q; FaceReID: pixels 0..255) into a raw int16 descriptor. */
    public void embedRaw(short[] input, short[] descriptor) {
        if (input.length != graph.input().shape().size() || descriptor.length != descriptorLength()) {
            throw new IllegalArgumentException("wrong input or descriptor length");
        }
        System.arraycopy(input, 0, arena, inputBase, input.length);
        run();
        System.arraycopy(arena, outputBase, descriptor, 0, descriptor.length);
    }

    /**
     * Embeds 8-bit pixels (planar, the input's size, values 0..255 as {@link #embed} takes them)
     * written straight into the arena's input tensor, into a raw int16 descriptor; the caller needs no
     * int16 or float copy of its crop. Allocates nothing.
     */
    public void embedPixels(byte[] pixels, short[] descriptor) {
        int n = graph.input().shape().size();
        if (pixels.length < n || descriptor.length != descriptorLength()) {
            throw new IllegalArgumentException("expected " + n + " pixels and " + descriptorLength()
                    + " descriptor values, got " + pixels.length + " and " + descriptor.length);
        }
        for (int i = 0; i < n; i++) {
            arena[inputBase + i] = (short) Math.min(Short.MAX_VALUE, (pixels[i] & 0xFF) << inputFrac);
        }
        run();
        System.arraycopy(arena, outputBase, descriptor, 0, descriptor.length);
    }

    private void run() {
        weights.begin();
        try {
            runSteps();
        } finally {
            weights.end();
        }
    }

    private void runSteps() {
        kernel.newRun();
        for (RowStream s : streams) {
            s.reset();
        }
        for (int si = 0; si < stepTiles.length; si++) {
            int[] tiles = stepTiles[si];
            ConvStage[] stages = stepStages[si];
            if (stages == null) {
                acquire(tiles[0]);
                stepAverage[si].run();
            } else if (stepStreamed[si]) {
                acquire(tiles[0]);
                int[] p = tileParts[si][0];
                int rows = 0;
                for (int k = 0; k < stages.length; k++) {
                    stages[k].tile(p[4 * k], p[4 * k + 1], p[4 * k + 2], p[4 * k + 3]);
                    rows = Math.max(rows, stages[k].outH);
                }
                boolean[] sinks = stepSinks[si];
                for (int y = 0; y < rows; y++) {
                    for (int k = 0; k < stages.length; k++) {
                        if (sinks[k] && y < stages[k].outH) {
                            stages[k].ensure(y);
                        }
                    }
                }
            } else {
                ConvStage st = stages[0];
                for (int ti = 0; ti < tiles.length; ti++) {
                    acquire(tiles[ti]);
                    int[] p = tileParts[si][ti];
                    st.tile(p[0], p[1], p[2], p[3]);
                    st.ensure(st.outH - 1);
                }
            }
            if (observer != null) {
                observer.afterStep(plan.steps().get(si), arena);
            }
        }
    }

    private void acquire(int tile) {
        weights.acquire(tile);
        if (observer != null) {
            observer.beforeTile(tile, arena);
        }
    }

    @Override
    public void close() {
        weights.close();
    }

    /** The device's global average: {@code (sum * (65536 / n) + 2^15) >> 16}, i.e. * 1337 for 7x7. */
    static final class AverageStage {
        private final short[] a;
        private final View in;
        private final View out;
        private final int channels;
        private final int plane;
        private final int mult;

        AverageStage(short[] a, View in, View out, int channels, int plane) {
            this.a = a;
            this.in = in;
            this.out = out;
            this.channels = channels;
            this.plane = plane;
            this.mult = 65536 / plane;
        }

        void run() {
            for (int c = 0; c < channels; c++) {
                int base = in.addr(c, 0);
                int sum = 0;
                for (int k = 0; k < plane; k++) {
                    sum += a[base + k];
                }
                int v = (sum * mult + (1 << 15)) >> 16;
                a[out.addr(c, 0)] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            }
        }
    }
}
