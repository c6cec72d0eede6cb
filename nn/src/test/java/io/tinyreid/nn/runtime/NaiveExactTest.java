package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.WrapGolden;

/**
 * The naive reference itself must reproduce the device before it can judge the fast code: the 24 wrap
 * goldens (12 reach the 32-bit wrap) and the GAP8 build's Francesco/Lena descriptors, bit for bit; and
 * without its wraps it must give the golden's 64-bit-accumulator descriptors, so the wrap is what
 * separates the two.
 */
class NaiveExactTest {
    @Test
    void naiveReferenceReproducesTheDeviceAtTheWrap() {
        Graph g = FaceReidFixture.graph();
        int differ = 0;
        for (WrapGolden.Face f : WrapGolden.withDevice()) {
            short[] d = NaiveExact.run(g, f.input()).get("descriptor");
            assertArrayEquals(f.descriptor(), d, f.name());
            if (f.wraps()) {
                short[] wide = NaiveExact.run(g, f.input(), false).get("descriptor");
                assertArrayEquals(f.unwrapped(), wide, f.name() + " with a 64-bit accumulator");
                differ++;
            }
        }
        assertEquals(12, differ);
    }
}
