package io.tinyreid.nn.program;

import java.util.List;

/**
 * One step of a program: one call tiled by output channel, or several convs row-streamed together
 * (one tile holding all their weights).
 *
 * @param index    position in the program
 * @param calls    the kernels it runs (several only when {@code streamed})
 * @param streamed the calls pass rows to each other through rings, computing row by row
 * @param tiles    its weight tiles, in order (at least one, weightless for weightless ops)
 * @param scratch  its kernel scratch, or null when its kernels need none
 * @param bands    how it stages tensors kept in L3, or null when it touches none
 * @param rows     rows of its output it writes (pooled rows of a fused pool; 1 for the global average)
 */
public record ProgramStep(int index, List<KernelCall> calls, boolean streamed, List<WeightTile> tiles, Scratch scratch,
                          Bands bands, int rows) {
    /** Label listing the ops. */
    public String label() {
        return String.join(" > ", calls.stream().map(c -> c.op().label()).toList());
    }
}
