package io.tinyreid.nn.runtime;

import java.nio.file.Path;

import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;

/**
 * A network ready to embed faces: the app's entry point. {@link #embed} allocates nothing and is not
 * thread-safe (one instance per thread). Close it to stop the weight prefetch thread and the file.
 */
public interface CompiledModel extends AutoCloseable {
    /** Input size, channels and colour. */
    InputGeometry input();

    /** Length of the descriptor. */
    int descriptorLength();

    /** The arithmetic used. */
    Mode mode();

    /**
     * Embeds one prepared input: planar pixels 0..255 ({@link #input()}), into {@code descriptor}
     * (real values; for FaceReID the Q10 int16 descriptor divided by 1024).
     */
    void embed(float[] input, float[] descriptor);

    /** The memory plan (null for the unplanned float mode). */
    MemoryPlan plan();

    @Override
    void close();

    /**
     * Opens a model file with async weights, planned within the default 512 KiB budget, its arena
     * exactly the plan's peak ({@link #exactly}).
     */
    static CompiledModel open(Path modelFile, Mode mode) {
        ModelFile m = ModelFile.open(modelFile);
        return open(m, mode, WeightLoading.ASYNC, mode == Mode.FLOAT ? PlanOptions.defaults() : exactly(m, PlanOptions.defaults()));
    }

    /**
     * {@code options} with the budget set to the plan's peak, so the arena holds exactly what the
     * plan uses; fails with {@code region 'L2' overflowed by N bytes} when the plan exceeds
     * {@code options}' budget.
     */
    static PlanOptions exactly(ModelFile model, PlanOptions options) {
        return options.withBudget(MemoryPlanner.plan(model.graph(), options).peak());
    }

    /** Compiles {@code model} for {@code mode}: plans the arena (fixed-point modes) and starts weight streaming. */
    static CompiledModel open(ModelFile model, Mode mode, WeightLoading loading, PlanOptions options) {
        return mode == Mode.FLOAT ? new FloatModel(model.graph()) : new PlannedModel(model, mode, loading, options, null);
    }
}
