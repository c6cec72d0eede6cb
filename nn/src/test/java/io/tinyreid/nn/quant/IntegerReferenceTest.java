package io.tinyreid.nn.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The reference's rounding primitives on the values where half-up and arithmetic shifts differ from
 * the alternatives. (The reference against the runtime, every op, is {@code PlannedIntegerModelTest}.)
 */
class IntegerReferenceTest {
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
