package io.tinyreid.nn.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.ActivationSpill;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.IntegerScratch;
import io.tinyreid.nn.plan.KernelScratch;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.RowBands;
import io.tinyreid.nn.store.ModelFile;

/**
 * Lowers a memory plan to a {@link Program}: fixes each op's kernel (family and variant), reads the
 * plan's buffers into slots (every tensor, window, pool ring, weight buffer and kernel scratch at
 * its arena offset), cuts each step's scratch into the parts its kernel uses, and turns the weight
 * tiles into file-to-arena copies from the model file's blob table. The planner decides; this only
 * records, and refuses a plan whose scratch buffers disagree with the kernels' own sizes.
 */
public final class ProgramBuilder {
    private final MemoryPlan plan;
    private final ModelFile model;
    private final KernelFamily family;
    private final Map<Tensor, TensorSlot> homes = new HashMap<>();

    private ProgramBuilder(MemoryPlan plan, ModelFile model, KernelFamily family) {
        this.plan = plan;
        this.model = model;
        this.family = family;
    }

    /** The program of {@code plan} (made for {@code family}'s kernels) over {@code model}'s weights. */
    public static Program build(MemoryPlan plan, ModelFile model, KernelFamily family) {
        if (family.planKernels() != plan.options().kernels()) {
            throw new IllegalArgumentException("a plan for the " + plan.options().kernels() + " kernels cannot run the "
                    + family.label() + " family");
        }
        if (!model.graph().equals(plan.graph())) {
            throw new IllegalArgumentException("the plan is not of this model file's graph");
        }
        return new ProgramBuilder(plan, model, family).build();
    }

    private Program build() {
        for (MemoryPlan.Placement p : plan.placements().values()) {
            homes.put(p.tensor(), slotOf(p));
        }
        List<ProgramStep> steps = new ArrayList<>();
        List<WeightTile> table = new ArrayList<>();
        for (MemoryPlan.Step s : plan.steps()) {
            ProgramStep step = step(s);
            steps.add(step);
            table.addAll(step.tiles());
        }
        List<Slot> buffers = new ArrayList<>();
        for (MemoryPlan.Buffer b : plan.buffers()) {
            buffers.add(slot(b, Memory.L2));
        }
        for (MemoryPlan.Buffer b : plan.spill().l3().values()) {
            buffers.add(slot(b, Memory.L3));
        }
        return new Program(plan.graph().name(), family, plan, plan.peak(), plan.spill().l3Bytes(),
                homes.get(plan.graph().input()), homes.get(plan.graph().output()), List.copyOf(steps), List.copyOf(table),
                List.copyOf(buffers));
    }

    private static Slot slot(MemoryPlan.Buffer b, Memory m) {
        return new Slot(b.name(), m, b.offset(), b.bytes());
    }

    private static TensorSlot slotOf(MemoryPlan.Placement p) {
        Slot s = slot(p.buffer(), p.spilled() ? Memory.L3 : Memory.L2);
        return p.streamed() ? new TensorSlot(p.tensor(), s, TensorSlot.Layout.RING, p.ringRows())
                : new TensorSlot(p.tensor(), s, TensorSlot.Layout.WHOLE, p.tensor().shape().height());
    }

    private ProgramStep step(MemoryPlan.Step s) {
        int t0 = s.tiles().getFirst().index();
        int t1 = s.tiles().getLast().index();
        // windows of tensors kept in L3 stand for them in this step
        Bands bands = null;
        Map<Tensor, TensorSlot> seen = new HashMap<>(homes);
        ActivationSpill.StepStaging staging = plan.spill().steps().get(s.index());
        if (staging != null) {
            List<Bands.Window> windows = new ArrayList<>();
            for (ActivationSpill.Window w : staging.windows()) {
                TensorSlot win = new TensorSlot(w.tensor(), slot(w.buffer(), Memory.L2), TensorSlot.Layout.WINDOW, w.rows());
                windows.add(new Bands.Window(homes.get(w.tensor()), win, w.read(), w.write(), w.from().clone(), w.to().clone()));
                seen.put(w.tensor(), win);
            }
            bands = new Bands(staging.bandRows(), staging.bands(), RowBands.rows(s.ops().getFirst()), List.copyOf(windows));
        }
        MemoryPlan.Buffer kernelBuffer = null;
        for (MemoryPlan.Buffer b : plan.buffers()) {
            if (b.kind() == MemoryPlan.Kind.KERNEL && b.first() == t0 && b.last() == t1) {
                kernelBuffer = b;
            }
        }
        // device convs: each call's widened weights after the previous calls' in the scratch's weights part
        Map<Integer, Integer> weightWords = new HashMap<>();
        int tileWeights = 0;
        int tileChannels = 0;
        for (MemoryPlan.Tile t : s.tiles()) {
            int sum = 0;
            for (MemoryPlan.TilePart p : t.parts()) {
                weightWords.putIfAbsent(p.op().index(), sum);
                sum += KernelScratch.weightWords(p);
                tileChannels = Math.max(tileChannels, p.c1() - p.c0());
            }
            tileWeights = Math.max(tileWeights, sum);
        }
        Scratch scratch = kernelBuffer == null ? null : scratch(s, kernelBuffer, tileWeights, Math.max(tileChannels, s.tileChannels()));
        List<KernelCall> calls = new ArrayList<>();
        Map<Integer, Integer> callOf = new HashMap<>();
        for (FusedOp op : s.ops()) {
            callOf.put(op.index(), calls.size());
            List<TensorSlot> ins = op.inputs().stream().map(seen::get).toList();
            TensorSlot out = seen.get(op.storage());
            MemoryPlan.Buffer pool = plan.poolRows().get(op.index());
            RowGeometry geometry = null;
            long weightAt = -1;
            int channelOffset = 0;
            if (op instanceof FusedOp.ConvPool c) {
                geometry = geometry(c);
                channelOffset = c.channelOffset();
                if (family != KernelFamily.INTEGER && scratch != null) {
                    weightAt = scratch.part("weights").offset() + 4L * weightWords.getOrDefault(c.index(), 0);
                }
            }
            calls.add(new KernelCall(op, kernel(op, geometry), ins, out, channelOffset,
                    pool == null ? null : slot(pool, Memory.L2), geometry, weightAt));
        }
        List<WeightTile> tiles = new ArrayList<>();
        for (MemoryPlan.Tile t : s.tiles()) {
            tiles.add(tile(s.index(), t, callOf));
        }
        return new ProgramStep(s.index(), List.copyOf(calls), s.streamed(), List.copyOf(tiles), scratch, bands,
                RowBands.rows(s.ops().getFirst()));
    }

    private boolean ringed(Tensor t) {
        return plan.placements().get(t).streamed();
    }

    private RowGeometry geometry(FusedOp.ConvPool op) {
        Conv2d c = op.conv();
        if (family == KernelFamily.INTEGER) {
            boolean blocks = plan.rowBlocks(op);
            return new RowGeometry(IntegerScratch.blockRows(c, blocks), IntegerScratch.windowRows(c, blocks),
                    IntegerScratch.rowLength(c), IntegerScratch.positions(c, blocks), false);
        }
        int n = KernelScratch.rowsPerCall(op, ringed(op.input()), ringed(op.storage()));
        return new RowGeometry(n, KernelScratch.windowRows(c, n), KernelScratch.rowLength(c), KernelScratch.positions(c, n),
                KernelScratch.direct(c));
    }

    /** The step's scratch cut into its kernel's parts; they must fill the planned buffer exactly. */
    private Scratch scratch(MemoryPlan.Step s, MemoryPlan.Buffer b, int tileWeights, int tileChannels) {
        List<long[]> parts = new ArrayList<>(); // {words}
        List<String> names = new ArrayList<>();
        if (family == KernelFamily.INTEGER) {
            FusedOp.ConvPool c = (FusedOp.ConvPool) s.ops().getFirst();
            names.add("window");
            parts.add(new long[] {IntegerScratch.windowInts(c.conv(), tileChannels, plan.rowBlocks(c))});
            names.add("rows");
            parts.add(new long[] {IntegerScratch.rowInts(c.conv(), tileChannels, plan.rowBlocks(c))});
        } else {
            int window = 0;
            for (FusedOp op : s.ops()) {
                if (op instanceof FusedOp.ConvPool c) {
                    int n = KernelScratch.rowsPerCall(c, ringed(c.input()), ringed(c.storage()));
                    window = Math.max(window, KernelScratch.windowWords(c.conv(), n));
                }
            }
            if (window > 0) {
                names.add("window");
                parts.add(new long[] {window + KernelScratch.SLACK});
            }
            names.add("weights");
            parts.add(new long[] {tileWeights});
            names.add("accumulators");
            parts.add(new long[] {KernelScratch.ACCUMULATORS});
        }
        List<Slot> slots = new ArrayList<>();
        long at = b.offset();
        for (int i = 0; i < parts.size(); i++) {
            long bytes = 4 * parts.get(i)[0];
            slots.add(new Slot(names.get(i), Memory.L2, at, bytes));
            at += bytes;
        }
        if (at != b.end()) {
            throw new IllegalStateException("step " + s.label() + ": the kernel's scratch parts take " + (at - b.offset())
                    + " bytes, the plan placed " + b.bytes());
        }
        return new Scratch(slot(b, Memory.L2), List.copyOf(slots));
    }

    private WeightTile tile(int step, MemoryPlan.Tile t, Map<Integer, Integer> callOf) {
        List<WeightTile.Slice> slices = new ArrayList<>();
        List<WeightTile.Segment> segments = new ArrayList<>();
        for (MemoryPlan.TilePart p : t.parts()) {
            Conv2d c = p.op().conv();
            ModelFile.Blob w = model.blob(c.weight());
            ModelFile.Blob b = model.blob(c.bias());
            boolean int8Allowed = family == KernelFamily.INTEGER;
            if (!b.int16() || !(w.int16() || int8Allowed && w.raw() && w.width() == 1)) {
                throw new IllegalStateException("layer " + c.name() + " has " + (w.raw() ? w.width() * 8 + "-bit" : "float")
                        + " weights in the file, which the " + family.label() + " kernels cannot stream");
            }
            int perChannel = w.count() / c.outChannels();
            String range = "[" + p.c0() + "," + p.c1() + ")";
            segments.add(new WeightTile.Segment(c.name() + " weights " + range, w.offset() + (long) w.width() * p.c0() * perChannel,
                    (p.c1() - p.c0()) * perChannel * w.width(), p.weightOffset(), w.width()));
            segments.add(new WeightTile.Segment(c.name() + " bias " + range, b.offset() + 2L * p.c0(), 2 * (p.c1() - p.c0()),
                    p.biasOffset(), 2));
            slices.add(new WeightTile.Slice(callOf.get(p.op().index()), p.c0(), p.c1(), p.weightOffset(), p.biasOffset()));
        }
        return new WeightTile(t.index(), step, t.buffer() == null ? null : slot(t.buffer(), Memory.L2), List.copyOf(slices),
                List.copyOf(segments));
    }

    private Kernel kernel(FusedOp op, RowGeometry g) {
        return switch (op) {
            case FusedOp.ConvPool c -> new Kernel(family, "conv", convVariant(c, g));
            case FusedOp.Average a -> new Kernel(family, "average", "global " + a.input().shape().height() + "x"
                    + a.input().shape().width());
            case FusedOp.Pool p -> new Kernel(family, p.pool() instanceof AvgPool ? "avgpool" : "maxpool", poolVariant(p));
            case FusedOp.Pad p -> new Kernel(family, "pad", padding(p.pad().padding()));
            case FusedOp.Sum s -> new Kernel(family, "add", s.relu() == null ? "" : "+relu");
            case FusedOp.Rectify r -> new Kernel(family, "relu", "");
            case FusedOp.Join j -> new Kernel(family, "concat", j.parts().size() + " parts copied");
        };
    }

    private static String poolVariant(FusedOp.Pool p) {
        return switch (p.pool()) {
            case io.tinyreid.nn.ir.MaxPool m -> m.kernel() + "/s" + m.stride() + padding(m.padding());
            case AvgPool a -> a.kernel() + "/s" + a.stride();
            default -> "";
        };
    }

    private static String padding(Padding p) {
        if (p.equals(Padding.NONE)) {
            return "";
        }
        return p.top() == p.left() && p.left() == p.bottom() && p.bottom() == p.right() ? " p" + p.top()
                : " p" + p.top() + "," + p.left() + "," + p.bottom() + "," + p.right();
    }

    private String convVariant(FusedOp.ConvPool op, RowGeometry g) {
        Conv2d c = op.conv();
        StringBuilder sb = new StringBuilder();
        sb.append(c.kernelH()).append('x').append(c.kernelW()).append("/s").append(c.strideH());
        if (c.strideW() != c.strideH()) {
            sb.append('x').append(c.strideW());
        }
        sb.append(padding(c.padding()));
        if (c.groups() > 1) {
            sb.append(" g").append(c.groups());
        }
        if (op.conv().weight().quantised() && op.weightBytes() == 1) {
            sb.append(" int8w");
        }
        if (c.activation() == io.tinyreid.nn.ir.Activation.RELU) {
            sb.append(" +relu");
        }
        if (op.pool() != null) {
            sb.append(" +maxpool").append(op.pool().kernel()).append("/s").append(op.pool().stride());
        }
        if (op.residual() != null) {
            sb.append(" +add").append(op.residual().relu() == null ? "" : " +relu");
        }
        if (g.direct()) {
            sb.append(" direct");
        } else {
            sb.append(" window ").append(g.rowsPerCall()).append(g.rowsPerCall() == 1 ? " row" : " rows").append("/call");
        }
        return sb.toString();
    }
}
