package io.tinyreid.nn.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Tensor;

/** The vectorised fixed-point executor equals the plain integer reference on every tensor. */
class FixedPointExecutorTest {
    static void assertSameEverywhere(Graph q, List<float[]> inputs) {
        IntegerReference ref = new IntegerReference(q);
        FixedPointExecutor fast = new FixedPointExecutor(q);
        float[] out = new float[q.output().shape().size()];
        for (float[] in : inputs) {
            float[] r = ref.run(in);
            fast.run(in, out);
            for (Tensor t : q.tensors()) {
                assertArrayEquals(ref.rawActivation(t.name()), fast.rawActivation(t.name()), t.name());
            }
            assertArrayEquals(r, out);
        }
    }

    @Test
    void equalsTheReferenceOnEveryOpInInt16AndInt8() {
        for (long seed = 1; seed <= 3; seed++) {
            Graph g = RandomGraphs.everyOp(seed);
            for (Quantiser.Precision p : Quantiser.Precision.values()) {
                Graph q = Quantiser.quantise(g, RandomGraphs.pixels(seed, 4, 3 * 12 * 12), Quantiser.Options.of(p)).quantised();
                assertSameEverywhere(q, RandomGraphs.pixels(seed + 100, 3, 3 * 12 * 12));
            }
        }
    }

    @Test
    void roundingIsHalfUpAndShiftsAreArithmetic() {
        assertEquals(2, IntegerReference.shiftRound(3, 1));   // 1.5 -> 2
        assertEquals(-1, IntegerReference.shiftRound(-3, 1)); // -1.5 -> -1 (half up)
        assertEquals(-2, IntegerReference.shiftRound(-5, 1)); // -2.5 -> -2
        assertEquals(12, IntegerReference.shiftRound(3, -2));
        assertEquals(3, IntegerReference.divRound(10, 4, 0));  // 2.5 -> 3
        assertEquals(-2, IntegerReference.divRound(-10, 4, 0)); // -2.5 -> -2
        assertEquals(5, IntegerReference.divRound(10, 4, 1));
    }
}
