package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.store.ModelFile;

/**
 * The integer runtime ({@link Mode#INTEGER}): the arithmetic our quantiser targets, bit for bit
 * with {@code IntegerReference}, for int16 and int8 models. One {@code byte[]} arena exactly as large
 * as the budget holds every tensor at its own width (int8 activations take one byte), the weight
 * tiles streamed from the model file and the pre-pool rows; the program run by {@link ProgramRunner}
 * over {@link IntegerProgramSteps}. When the plan
 * spills activations to L3 ({@link io.tinyreid.nn.plan.ActivationSpill}), a second array stands for
 * that external memory and the steps touching them run in bands through their L2 windows
 * ({@link StagedStep}). {@link #embed}/{@link #embedRaw} allocate nothing.
 */
public final class PlannedIntegerModel extends PlannedNetwork {
    private final byte[] arena;
    /** External memory ("L3") holding the spilled activations; empty when none are. */
    private final byte[] l3;
    /** Where the input and output tensors are: the arena or L3. */
    private final byte[] inputMemory;
    private final byte[] outputMemory;
    private long l3Read;
    private long l3Written;
    private final IntegerProgramSteps steps;
    private final Region input;
    private final Region output;
    private final QFormat inputQ;
    private final QFormat outputQ;

    /** Compiles {@code model}; fails with {@code region 'L2' overflowed by N bytes} if the plan exceeds the budget. */
    public PlannedIntegerModel(ModelFile model, WeightLoading loading, PlanOptions options, ExecutionObserver observer) {
        super(model, KernelFamily.INTEGER, options);
        if (options.budgetBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("budget too large for one arena");
        }
        arena = new byte[(int) options.budgetBytes()];
        l3 = new byte[Math.toIntExact(program.l3Bytes())];
        steps = new IntegerProgramSteps(program, arena, l3);
        input = IntegerProgramSteps.region(program.input());
        output = IntegerProgramSteps.region(program.output());
        inputQ = graph.input().q();
        outputQ = graph.output().q();
        inputMemory = program.input().slot().memory() == io.tinyreid.nn.program.Memory.L3 ? l3 : arena;
        outputMemory = program.output().slot().memory() == io.tinyreid.nn.program.Memory.L3 ? l3 : arena;
        runner = new ProgramRunner(program, new WeightStream(model, program, arena, loading), steps.executors, steps::newRun,
                observer, null, arena, l3);
    }

    @Override
    public Mode mode() {
        return Mode.INTEGER;
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
        try {
            runner.run();
        } finally {
            l3Read = steps.stagedBytes(true);
            l3Written = steps.stagedBytes(false);
        }
    }
}
