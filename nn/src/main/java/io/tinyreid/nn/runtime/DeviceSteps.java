package io.tinyreid.nn.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.KernelScratch;
import io.tinyreid.nn.program.KernelCall;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.program.ProgramStep;
import io.tinyreid.nn.program.Slot;
import io.tinyreid.nn.program.TensorSlot;
import io.tinyreid.nn.program.WeightTile;

/**
 * The device families' executors (int16 on a {@code short[]} arena: {@link ExactConv} or
 * {@link FastConv} behind every conv stage) built from a program's steps: a tiled conv computes
 * all its rows per tile; a row-streamed step computes its sinks row by row, pulling rows through
 * the rings; the global average runs once. The kernel's 32-bit scratch is a heap array as large as
 * the program's largest scratch parts (the JVM cannot view the short arena as ints).
 */
final class DeviceSteps {
    final ConvKernel kernel;
    final StepExecutor[] executors;
    final RowStream[] streams;

    DeviceSteps(Program program, short[] arena) {
        if (program.family() != KernelFamily.DEVICE_EXACT && program.family() != KernelFamily.DEVICE_FAST) {
            throw new IllegalArgumentException("a " + program.family().label() + " program does not run on the int16 device kernels");
        }
        int window = 0;
        int weights = 0;
        for (ProgramStep s : program.steps()) {
            if (s.scratch() != null) {
                long w = s.scratch().bytes("window") / 4;
                window = (int) Math.max(window, w > 0 ? w - KernelScratch.SLACK : 0);
                weights = (int) Math.max(weights, s.scratch().bytes("weights") / 4);
            }
        }
        kernel = program.family() == KernelFamily.DEVICE_EXACT ? new ExactConv(window, weights) : new FastConv(window, weights);
        Map<Tensor, RowStream> rings = new HashMap<>();
        for (ProgramStep s : program.steps()) {
            for (KernelCall c : s.calls()) {
                if (c.output().layout() == TensorSlot.Layout.RING) {
                    rings.computeIfAbsent(c.output().tensor(), t -> new RowStream(t.name(), c.output().rows()));
                }
            }
        }
        streams = rings.values().toArray(RowStream[]::new);
        executors = new StepExecutor[program.steps().size()];
        for (ProgramStep s : program.steps()) {
            executors[s.index()] = executor(s, arena, rings);
        }
    }

    /** Rings and the kernel start afresh. */
    void newRun() {
        kernel.newRun();
        for (RowStream s : streams) {
            s.reset();
        }
    }

    private StepExecutor executor(ProgramStep s, short[] arena, Map<Tensor, RowStream> rings) {
        List<KernelCall> calls = s.calls();
        if (calls.getFirst().op() instanceof FusedOp.Average a) {
            return new AverageStep(arena, view(calls.getFirst().input()), view(calls.getFirst().output()),
                    a.input().shape().channels(), a.input().shape().plane());
        }
        ConvStage[] stages = new ConvStage[calls.size()];
        boolean[] sinks = new boolean[calls.size()];
        Slot weightPart = s.scratch().part("weights");
        for (int k = 0; k < calls.size(); k++) {
            KernelCall c = calls.get(k);
            if (!(c.op() instanceof FusedOp.ConvPool op)) {
                throw new IllegalStateException("the device kernels cannot run " + c.op().label()); // the planner refuses these
            }
            View pool = null;
            if (c.poolRows() != null) {
                int w = op.conv().output().shape().width();
                int ch = (int) (c.poolRows().bytes() / 2 / op.pool().kernel() / w);
                pool = new View((int) (c.poolRows().offset() / 2), w, ch * w, op.pool().kernel());
            }
            stages[k] = new ConvStage(op, arena, kernel, view(c.input()), rings.get(op.input()),
                    view(c.output()).shift(c.channelOffset()), pool, (int) ((c.weightScratch() - weightPart.offset()) / 4));
            RowStream produced = rings.get(op.storage());
            if (produced != null) {
                produced.addProducer(stages[k]);
            }
            sinks[k] = c.output().layout() != TensorSlot.Layout.RING;
        }
        int[][] parts = new int[s.tiles().size()][];
        for (int ti = 0; ti < parts.length; ti++) {
            List<WeightTile.Slice> slices = s.tiles().get(ti).slices();
            int[] flat = new int[4 * calls.size()];
            for (WeightTile.Slice p : slices) {
                flat[4 * p.call()] = p.c0();
                flat[4 * p.call() + 1] = p.c1();
                flat[4 * p.call() + 2] = (int) (p.weightOffset() / 2);
                flat[4 * p.call() + 3] = (int) (p.biasOffset() / 2);
            }
            parts[ti] = flat;
        }
        return s.streamed() ? new StreamedStep(stages, sinks, parts[0]) : new TiledConvStep(stages[0], parts);
    }

    /** The view of a tensor slot in the short arena. */
    static View view(TensorSlot t) {
        int c = t.tensor().shape().channels();
        int h = t.tensor().shape().height();
        int w = t.tensor().shape().width();
        int base = (int) (t.slot().offset() / 2);
        return t.layout() == TensorSlot.Layout.RING ? new View(base, w, c * w, t.rows()) : new View(base, h * w, w, h);
    }

    /** One conv tiled by output channel: each tile computes all its rows. */
    private record TiledConvStep(ConvStage stage, int[][] parts) implements StepExecutor {
        @Override
        public void tile(int ti) {
            int[] p = parts[ti];
            stage.tile(p[0], p[1], p[2], p[3]);
            stage.ensure(stage.outH - 1);
        }
    }

    /** Convs joined by rings, one tile: the sinks (writing whole tensors) are computed row by row, pulling the rest. */
    private record StreamedStep(ConvStage[] stages, boolean[] sinks, int[] parts) implements StepExecutor {
        @Override
        public void tile(int ti) {
            int rows = 0;
            for (int k = 0; k < stages.length; k++) {
                stages[k].tile(parts[4 * k], parts[4 * k + 1], parts[4 * k + 2], parts[4 * k + 3]);
                rows = Math.max(rows, stages[k].outH);
            }
            for (int y = 0; y < rows; y++) {
                for (int k = 0; k < stages.length; k++) {
                    if (sinks[k] && y < stages[k].outH) {
                        stages[k].ensure(y);
                    }
                }
            }
        }
    }

    /** The device's global average: {@code (sum * (65536 / n) + 2^15) >> 16}, i.e. * 1337 for 7x7. */
    static final class AverageStep implements StepExecutor {
        private final short[] a;
        private final View in;
        private final View out;
        private final int channels;
        private final int plane;
        private final int mult;

        AverageStep(short[] a, View in, View out, int channels, int plane) {
            this.a = a;
            this.in = in;
            this.out = out;
            this.channels = channels;
            this.plane = plane;
            this.mult = 65536 / plane;
        }

        @Override
        public void tile(int ti) {
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
