package io.tinyreid.app.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.gallery.UnitVectors;

class VisitDescriptorTest {
    private static short[] randomUnit(Random r, int dim) {
        float[] f = new float[dim];
        for (int i = 0; i < dim; i++) {
            f[i] = (float) r.nextGaussian();
        }
        short[] u = new short[dim];
        UnitVectors.fromFloat(f, u);
        return u;
    }

    @Test
    void isTheRenormalisedWeightedMean() {
        Random r = new Random(5);
        int dim = 64;
        VisitDescriptor v = new VisitDescriptor(dim);
        short[][] frames = new short[4][];
        double[] w = {1.0, 0.3, 0.05, 0.7};
        for (int f = 0; f < frames.length; f++) {
            frames[f] = randomUnit(r, dim);
            v.add(frames[f], w[f]);
        }
        // naive: weighted sum in doubles, divided by its norm
        double[] s = new double[dim];
        for (int f = 0; f < frames.length; f++) {
            for (int i = 0; i < dim; i++) {
                s[i] += w[f] * frames[f][i] / (double) UnitVectors.ONE;
            }
        }
        double norm = 0;
        for (double x : s) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        short[] out = new short[dim];
        v.unitInto(out);
        for (int i = 0; i < dim; i++) {
            assertEquals(s[i] / norm * UnitVectors.ONE, out[i], 1.01);
        }
        assertEquals(4, v.frames());
        assertEquals(2.05, v.totalWeight(), 1e-12);
        v.reset();
        assertEquals(0, v.frames());
        v.add(frames[1], 0.2);
        v.unitInto(out);
        assertEquals(0, UnitVectors.distance(out, 0, frames[1], 0, dim), 1e-3, "one frame: its own direction");
        assertThrows(IllegalArgumentException.class, () -> v.add(frames[0], 0));
    }

    @Test
    void sharpFrontalFramesWeighMoreThanBlurredOrTurnedOnes() {
        double good = VisitDescriptor.weight(80, 0.05, 0.5);
        assertEquals(0.75, good, 1e-12);
        assertTrue(VisitDescriptor.weight(80, 0.005, 0.5) < good / 3, "blurred");
        assertTrue(VisitDescriptor.weight(80, 0.05, 1.8) < good / 3, "turned");
        assertTrue(VisitDescriptor.weight(80, 0, 5) >= VisitDescriptor.MIN_WEIGHT);
    }
}
