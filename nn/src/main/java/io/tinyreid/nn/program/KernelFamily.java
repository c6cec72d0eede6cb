package io.tinyreid.nn.program;

import java.util.Locale;

import io.tinyreid.nn.plan.PlanOptions;

/**
 * Which kernels execute a program: the arithmetic and the arena they work on. One name for what
 * the runtime's {@code Mode} (the arithmetic) and {@link PlanOptions.Kernels} (the arena and
 * scratch the planner counts) each said half of.
 */
public enum KernelFamily {
    /** int16 on a short arena, the GAP8 device's arithmetic bit for bit (mode exact). */
    DEVICE_EXACT(PlanOptions.Kernels.DEVICE, 2),
    /** int16 on a short arena, one rounding per dot product, vectorised (mode fast). */
    DEVICE_FAST(PlanOptions.Kernels.DEVICE, 2),
    /** The quantiser's int16/int8 arithmetic ({@code IntegerReference}) on a byte arena (mode integer). */
    INTEGER(PlanOptions.Kernels.INTEGER, 1),
    /** float32 with dequantised weights on the heap (mode float, the PC reference): never planned. */
    FLOAT(null, 4);

    private final PlanOptions.Kernels planned;
    private final int arenaUnit;

    KernelFamily(PlanOptions.Kernels planned, int arenaUnit) {
        this.planned = planned;
        this.arenaUnit = arenaUnit;
    }

    /** The planner's kernels for this family (their scratch and the ops they run); fails for {@link #FLOAT}. */
    public PlanOptions.Kernels planKernels() {
        if (planned == null) {
            throw new IllegalArgumentException("the float family is not planned (it runs on the heap)");
        }
        return planned;
    }

    /** True when programs of this family exist (every family but float). */
    public boolean planned() {
        return planned != null;
    }

    /** Bytes of one arena element the family's Java runtime addresses (2: a {@code short[]} arena; 1: bytes). */
    public int arenaUnit() {
        return arenaUnit;
    }

    /** Lower-case name with a dash, as printed ({@code device-exact}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
