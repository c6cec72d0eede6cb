package io.tinyreid.nn.runtime;

import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.program.ProgramStep;
import io.tinyreid.nn.program.WeightTile;

/**
 * The one interpreter of a {@link Program}, whatever its kernel family: for each step, for each of
 * its weight tiles, waits for the tile's weights ({@link WeightStream}, prefetching the next) and
 * lets the step's executor compute it. The families differ only in the executors and the arena
 * they work on ({@link DeviceSteps}: a {@code short[]} arena; {@link IntegerProgramSteps}: bytes).
 * {@link #run} allocates nothing.
 */
final class ProgramRunner implements AutoCloseable {
    private final Program program;
    private final WeightStream weights;
    private final StepExecutor[] executors;
    private final int[][] tiles;
    private final MemoryPlan.Step[] planSteps;
    private final Runnable beforeRun;
    private final ExecutionObserver observer;
    /** The arena the observer sees: shorts (device families) or bytes (integer, with L3). */
    private final short[] shorts;
    private final byte[] bytes;
    private final byte[] l3;

    /**
     * Runs {@code executors} (one per step) over {@code program}; {@code beforeRun} resets the family's
     * kernels and rings; the observer (may be null) sees the {@code shorts} arena, or the {@code bytes}
     * arena and {@code l3}.
     */
    ProgramRunner(Program program, WeightStream weights, StepExecutor[] executors, Runnable beforeRun,
                  ExecutionObserver observer, short[] shorts, byte[] bytes, byte[] l3) {
        if (executors.length != program.steps().size()) {
            throw new IllegalArgumentException(executors.length + " executors for " + program.steps().size() + " steps");
        }
        this.program = program;
        this.weights = weights;
        this.executors = executors;
        this.beforeRun = beforeRun;
        this.observer = observer;
        this.shorts = shorts;
        this.bytes = bytes;
        this.l3 = l3;
        int n = program.steps().size();
        tiles = new int[n][];
        planSteps = new MemoryPlan.Step[n];
        for (ProgramStep s : program.steps()) {
            tiles[s.index()] = s.tiles().stream().mapToInt(WeightTile::index).toArray();
            planSteps[s.index()] = program.plan().steps().get(s.index());
        }
    }

    /** The program run. */
    Program program() {
        return program;
    }

    /** One inference over whatever the arena's input holds. */
    void run() {
        beforeRun.run();
        weights.begin();
        try {
            for (int si = 0; si < executors.length; si++) {
                int[] ts = tiles[si];
                StepExecutor x = executors[si];
                for (int ti = 0; ti < ts.length; ti++) {
                    weights.acquire(ts[ti]);
                    if (observer != null) {
                        beforeTile(ts[ti]);
                    }
                    x.tile(ti);
                }
                if (observer != null) {
                    afterStep(planSteps[si]);
                }
            }
        } finally {
            weights.end();
        }
    }

    private void beforeTile(int tile) {
        if (shorts != null) {
            observer.beforeTile(tile, shorts);
        } else {
            observer.beforeTile(tile, bytes, l3);
        }
    }

    private void afterStep(MemoryPlan.Step step) {
        if (shorts != null) {
            observer.afterStep(step, shorts);
        } else {
            observer.afterStep(step, bytes, l3);
        }
    }

    @Override
    public void close() {
        weights.close();
    }
}
