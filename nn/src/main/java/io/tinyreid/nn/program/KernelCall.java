package io.tinyreid.nn.program;

import java.util.List;

import io.tinyreid.nn.plan.FusedOp;

/**
 * One fused op of a step with the kernel that runs it and where it reads and writes.
 *
 * @param op             the fused op (layer parameters and formats)
 * @param kernel         family, op kind, variant
 * @param inputs         what it reads, in {@link FusedOp#inputs()} order (a residual conv also reads its output)
 * @param output         the storage it writes
 * @param channelOffset  first channel of {@code output} it writes (a concat written in place)
 * @param poolRows       the ring of pre-pool conv rows of a fused max pool, or null
 * @param geometry       a conv's row geometry, or null
 * @param weightScratch  byte offset of this call's widened weights in the arena (device convs), or -1
 */
public record KernelCall(FusedOp op, Kernel kernel, List<TensorSlot> inputs, TensorSlot output, int channelOffset,
                         Slot poolRows, RowGeometry geometry, long weightScratch) {
    /** The main input (the first). */
    public TensorSlot input() {
        return inputs.getFirst();
    }
}
