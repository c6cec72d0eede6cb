package io.tinyreid.nn.runtime;

/**
 * One program step at run time, built for its kernel family ({@link DeviceSteps}, {@link IntegerProgramSteps}):
 * given that weight tile {@code ti} of the step is in the arena, computes everything the tile
 * contributes (all its output rows; band by band when the step stages tensors kept in L3).
 */
interface StepExecutor {
    /** Computes tile {@code ti} (0-based within the step). */
    void tile(int ti);
}
