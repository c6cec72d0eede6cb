package io.tinyreid.nn.runtime;

import io.tinyreid.nn.plan.MemoryPlan;

/** Debug hook into a planned run (tests: poisoning dead bytes, reading every layer). Not for production paths. */
public interface ExecutionObserver {
    /** Called when tile {@code tile}'s weights are in the arena, before it computes. */
    default void beforeTile(int tile, short[] arena) {}

    /** Called after every tile of {@code step} has computed. */
    default void afterStep(MemoryPlan.Step step, short[] arena) {}

    /** The integer runtime's {@link #beforeTile(int, short[])}: its arena is bytes. */
    default void beforeTile(int tile, byte[] arena) {}

    /** The integer runtime's {@link #afterStep(MemoryPlan.Step, short[])}. */
    default void afterStep(MemoryPlan.Step step, byte[] arena) {}

    /** The integer runtime's call, with the L3 memory holding spilled activations (empty when none). */
    default void beforeTile(int tile, byte[] arena, byte[] l3) {
        beforeTile(tile, arena);
    }

    /** The integer runtime's call, with the L3 memory holding spilled activations (empty when none). */
    default void afterStep(MemoryPlan.Step step, byte[] arena, byte[] l3) {
        afterStep(step, arena);
    }
}
