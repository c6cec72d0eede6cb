package io.tinyreid.nn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jdk.incubator.vector.VectorShape;

/** The kernels' vector width: the hardware's, narrower on request, never wider, bad requests refused clearly. */
class VectorShapesTest {
    /** Set by the build's executions in JVMs started with {@code -XX:UseAVX=2} (256) and {@code =0} (128). */
    private static final String EXPECTED = "tinyreid.expect.vector.bits";

    @Test
    void theWidthIsThePreferredShapeUnlessANarrowerOneIsRequested() {
        assertEquals(512, VectorShapes.choose(null, 512));
        assertEquals(256, VectorShapes.choose(null, 256));
        assertEquals(128, VectorShapes.choose(" ", 128));
        assertEquals(512, VectorShapes.choose(null, 1024), "wider hardware still gets the 512-bit kernels");
        assertEquals(256, VectorShapes.choose("256", 512));
        assertEquals(128, VectorShapes.choose("128", 256));
    }

    @Test
    void badOrTooWideRequestsAreRefusedWithTheReason() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> VectorShapes.choose("512", 256));
        assertTrue(wide.getMessage().contains("256 bits wide"), wide.getMessage());
        for (String bad : new String[] {"64", "1024", "wide", "256x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorShapes.choose(bad, 512));
            assertTrue(e.getMessage().contains("expected 128, 256 or 512"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> VectorShapes.choose(null, 64));
    }

    @Test
    void everySpeciesHasTheChosenWidthAndThisJvmsWidthIsTheExpectedOne() {
        String expected = System.getProperty(EXPECTED);
        int preferred = VectorShape.preferredShape().vectorBitSize();
        int want = expected != null ? Integer.parseInt(expected)
                : VectorShapes.choose(System.getProperty(VectorShapes.PROPERTY), preferred);
        assertEquals(want, VectorShapes.BITS, "preferred shape " + preferred + " bits");
        assertEquals(want, VectorShapes.FLOAT.vectorBitSize());
        assertEquals(want, VectorShapes.INT.vectorBitSize());
        assertEquals(want, VectorShapes.SHORT.vectorBitSize());
        assertEquals(VectorShapes.LANES, VectorShapes.HALF_SHORT.length(), "a widening source has one short per float lane");
        assertEquals(want / 32, VectorShapes.LANES);
        assertEquals(want == 512, VectorShapes.WIDE);
        assertEquals(want >= 256, VectorShapes.CONVERTS);
    }
}
