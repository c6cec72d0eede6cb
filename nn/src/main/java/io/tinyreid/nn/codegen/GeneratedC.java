package io.tinyreid.nn.codegen;

import java.nio.file.Path;

import io.tinyreid.nn.plan.MemoryPlan;

/**
 * What {@link CodeGenerator} wrote.
 *
 * @param dir         the output directory
 * @param plan        the plan the C follows (its peak is the arena's size)
 * @param weightBytes bytes of the weight blob
 * @param segments    rows of the weight-tile table
 */
public record GeneratedC(Path dir, MemoryPlan plan, long weightBytes, int segments) {
    /** Bytes of the static arena: the plan's peak. */
    public long arenaBytes() {
        return plan.peak();
    }
}
