package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.quant.IntegerReference;

/**
 * Compares the integer runtime with {@link IntegerReference} after every step: the values the step
 * wrote into its storage (a whole tensor, or a conv's channel slice of a concat) must equal the
 * reference's raw values of the layer the step stands for (read from L3 when the plan spills it).
 * Run the reference on the same input first ({@link #expect}).
 */
final class LayerByLayer implements ExecutionObserver {
    private final MemoryPlan plan;
    private IntegerReference ref;
    int compared;

    LayerByLayer(MemoryPlan plan) {
        this.plan = plan;
    }

    /** The reference (already run on the input about to be embedded), or null to check nothing on it. */
    void expect(IntegerReference ref) {
        this.ref = ref;
    }

    @Override
    public void afterStep(MemoryPlan.Step step, byte[] arena, byte[] l3) {
        if (ref == null) {
            return; // this input is not checked step by step
        }
        for (FusedOp op : step.ops()) {
            int[] got = PlannedIntegerModel.read(plan, arena, l3, op.storage());
            Tensor logical = switch (op) {
                case FusedOp.ConvPool c when c.residual() != null -> c.residual().result();
                case FusedOp.ConvPool c when c.pool() != null -> c.pool().output();
                case FusedOp.ConvPool c -> c.conv().output();
                case FusedOp.Average a -> a.avg().output();
                case FusedOp.Pool p -> p.pool().output();
                case FusedOp.Pad p -> p.pad().output();
                case FusedOp.Sum s -> s.relu() != null ? s.relu().output() : s.add().output();
                case FusedOp.Rectify r -> r.relu().output();
                case FusedOp.Join j -> j.concat().output();
            };
            int[] want = ref.rawActivation(logical.name());
            int plane = op.storage().shape().plane();
            if (op instanceof FusedOp.ConvPool c && !logical.shape().equals(op.storage().shape())) {
                // a part of a concat written in place: its channel slice of the storage
                int from = c.channelOffset() * plane;
                assertArrayEquals(want, Arrays.copyOfRange(got, from, from + want.length), op.label());
            } else if (op instanceof FusedOp.ConvPool c && c.conv().outChannels() < op.storage().shape().channels()) {
                // a pool after a concat, pushed into this part: the pooled slice so far
                int from = c.channelOffset() * plane;
                int to = from + c.conv().outChannels() * plane;
                assertArrayEquals(Arrays.copyOfRange(want, from, to), Arrays.copyOfRange(got, from, to), op.label());
            } else {
                assertEquals(want.length, got.length, op.label());
                assertArrayEquals(want, got, op.label());
            }
            compared++;
        }
    }
}
