package io.tinyreid.nn.runtime;

import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.store.ModelFile;

/**
 * The device families' front end (modes exact and fast): one {@code short[]} arena exactly as large
 * as the plan's budget, the program run by {@link ProgramRunner} over {@link DeviceSteps}, weight
 * tiles streamed from the model file. {@link #embed}/{@link #embedRaw} allocate nothing.
 */
public final class PlannedModel extends PlannedNetwork {
    private final Mode mode;
    private final short[] arena;
    private final int inputBase;
    private final int outputBase;
    private final int inputFrac;
    private final int outputFrac;

    /** Compiles {@code model}; fails with {@code region 'L2' overflowed by N bytes} if the plan exceeds the budget. */
    public PlannedModel(ModelFile model, Mode mode, WeightLoading loading, PlanOptions options, ExecutionObserver observer) {
        super(model, family(mode), options);
        this.mode = mode;
        if (options.budgetBytes() / 2 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("budget too large for one arena");
        }
        arena = new short[(int) (options.budgetBytes() / 2)];
        DeviceSteps steps = new DeviceSteps(program, arena);
        inputBase = (int) (program.input().slot().offset() / 2);
        outputBase = (int) (program.output().slot().offset() / 2);
        inputFrac = graph.input().q().fracBits();
        outputFrac = graph.output().q().fracBits();
        runner = new ProgramRunner(program, new WeightStream(model, program, arena, loading), steps.executors, steps::newRun,
                observer, arena, null, null);
    }

    private static KernelFamily family(Mode mode) {
        if (mode != Mode.EXACT && mode != Mode.FAST) {
            throw new IllegalArgumentException(mode + " mode does not run on the int16 device kernels; use CompiledModel.open");
        }
        return mode.family();
    }

    @Override
    public Mode mode() {
        return mode;
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
        runner.run();
    }
}
