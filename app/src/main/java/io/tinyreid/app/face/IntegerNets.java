package io.tinyreid.app.face;

import java.nio.file.Path;

import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.PlannedIntegerModel;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;

/**
 * Opens our quantised model files on the planned integer runtime, planned within a given share of
 * L2: the planner meets the budget where it can (keeping large activations in L3 when it can spill
 * them), and the arena is exactly the resulting plan's peak. When the planner cannot meet the
 * budget the network still runs, in an arena of its lowest peak, and its arena's size says by how
 * much the budget was missed (the whole-doorbell layout then reports the overflow).
 */
public final class IntegerNets {
    private IntegerNets() {}

    /** The integer kernels' plan options with {@code budget} bytes. */
    public static PlanOptions options(long budget) {
        return PlanOptions.defaults().withKernels(PlanOptions.Kernels.INTEGER).withBudget(budget);
    }

    /** The plan {@code model} gets in {@code budget} bytes (its lowest when the budget cannot be met). */
    public static MemoryPlan plan(ModelFile model, long budget) {
        return MemoryPlanner.planUnchecked(model.graph(), options(budget));
    }

    /** Opens {@code file} (sizes and checksums verified) with an arena of its plan's peak in {@code budget} bytes. */
    public static PlannedIntegerModel open(Path file, long budget) {
        ModelFile m = ModelFile.open(file);
        long peak = plan(m, budget).peak();
        return new PlannedIntegerModel(m, WeightLoading.ASYNC, options(peak), null);
    }
}
