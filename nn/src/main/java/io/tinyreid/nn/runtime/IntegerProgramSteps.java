package io.tinyreid.nn.runtime;

import java.util.HashMap;
import java.util.Map;

import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.program.KernelCall;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.program.ProgramStep;
import io.tinyreid.nn.program.TensorSlot;
import io.tinyreid.nn.program.WeightTile;

/**
 * The integer family's executors (the quantiser's arithmetic on a byte arena) built from a
 * program's steps: a conv computes each tile's channels of every output row ({@link IntegerConvStage}
 * with {@link IntegerConv}), a weightless op ({@link IntegerSteps}) its rows once; a step staging
 * tensors kept in L3 ({@link StagedStep}) does it band by band, copying rows in and out around each.
 * The kernel's int32 scratch is a heap array as large as the program's largest scratch parts.
 */
final class IntegerProgramSteps {
    final IntegerConv kernel;
    final StepExecutor[] executors;
    final StagedStep[] staged;

    IntegerProgramSteps(Program program, byte[] arena, byte[] l3) {
        if (program.family() != KernelFamily.INTEGER) {
            throw new IllegalArgumentException("a " + program.family().label() + " program does not run on the integer kernels");
        }
        int window = 0;
        int rows = 0;
        for (ProgramStep s : program.steps()) {
            if (s.scratch() != null) {
                window = (int) Math.max(window, s.scratch().bytes("window") / 4);
                rows = (int) Math.max(rows, s.scratch().bytes("rows") / 4);
            }
        }
        kernel = new IntegerConv(window, rows);
        int n = program.steps().size();
        executors = new StepExecutor[n];
        staged = new StagedStep[n];
        for (ProgramStep s : program.steps()) {
            if (s.calls().size() != 1) {
                throw new IllegalStateException("step " + s.label() + " streams rows; the integer runtime keeps tensors whole");
            }
            KernelCall call = s.calls().getFirst();
            StagedStep st = s.bands() == null ? null : new StagedStep(s.bands(), call.op());
            staged[s.index()] = st;
            // the op sees its tensors kept in L3 through their L2 windows, the others where they are
            Map<Tensor, Region> regions = new HashMap<>();
            for (TensorSlot t : call.inputs()) {
                regions.put(t.tensor(), region(t, st));
            }
            regions.put(call.output().tensor(), region(call.output(), st));
            if (call.op() instanceof FusedOp.ConvPool c) {
                int most = 0;
                int[][] parts = new int[s.tiles().size()][];
                for (int ti = 0; ti < parts.length; ti++) {
                    WeightTile.Slice p = s.tiles().get(ti).slices().getFirst();
                    parts[ti] = new int[] {p.c0(), p.c1(), (int) p.weightOffset(), (int) p.biasOffset()};
                    most = Math.max(most, p.c1() - p.c0());
                }
                IntegerConvStage stage = new IntegerConvStage(c, regions.get(c.input()), regions.get(c.storage()),
                        call.poolRows() == null ? -1 : (int) call.poolRows().offset(), most, program.plan().rowBlocks(c));
                executors[s.index()] = new ConvStep(stage, kernel, parts, st, arena, l3);
            } else {
                executors[s.index()] = new OtherStep(IntegerSteps.of(call.op(), regions::get), st, s.rows(), arena, l3);
            }
        }
    }

    /** A tensor's region: its L2 window in a staged step, else where it lives (L2 or its L3 home). */
    private static Region region(TensorSlot t, StagedStep st) {
        Region w = st == null ? null : st.window(t.tensor());
        return w != null ? w : region(t);
    }

    /** The region of a whole tensor slot (in L2, or its home in L3). */
    static Region region(TensorSlot t) {
        if (t.layout() == TensorSlot.Layout.RING) {
            throw new IllegalStateException(t.tensor() + " is row-streamed; the integer runtime keeps tensors whole");
        }
        Shape s = t.tensor().shape();
        return new Region((int) t.slot().offset(), t.tensor().q().bytes(), s.channels(), s.height(), s.width(), t.rows());
    }

    /** Starts a run: the kernel afresh, the staging byte counts at zero. */
    void newRun() {
        kernel.newRun();
        for (StagedStep st : staged) {
            if (st != null) {
                st.readBytes = 0;
                st.writtenBytes = 0;
            }
        }
    }

    /** Bytes copied L3 -> L2 ({@code read}) or L2 -> L3 during the run. */
    long stagedBytes(boolean read) {
        long sum = 0;
        for (StagedStep st : staged) {
            if (st != null) {
                sum += read ? st.readBytes : st.writtenBytes;
            }
        }
        return sum;
    }

    /** A conv: per tile, its channels of every output row (band by band when staged: the tile's channels move). */
    private record ConvStep(IntegerConvStage conv, IntegerConv kernel, int[][] parts, StagedStep st, byte[] a, byte[] m3)
            implements StepExecutor {
        @Override
        public void tile(int ti) {
            int[] p = parts[ti];
            conv.tile(a, p[0], p[1], p[2], p[3]);
            if (st == null) {
                conv.run(a, kernel);
                return;
            }
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

    /** A weightless op: its rows once (band by band when staged, every channel moving). */
    private record OtherStep(IntegerSteps.Step step, StagedStep st, int rows, byte[] a, byte[] m3) implements StepExecutor {
        @Override
        public void tile(int ti) {
            if (st == null) {
                step.run(a, 0, rows);
                return;
            }
            for (int b = 0; b < st.bands; b++) {
                int lo = b * st.bandRows;
                st.load(a, m3, b, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
                step.run(a, lo, Math.min(st.rows, lo + st.bandRows));
                st.store(a, m3, b, 0, Integer.MAX_VALUE);
            }
        }
    }
}
