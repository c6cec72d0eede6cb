package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.simd.VectorShapes;

/**
 * The fast conv's epilogue without lane conversions ({@code FastConv.roundClamp}, SSE's) against the
 * plain formula the other widths compute, on the values its bit tricks are about: exact halves
 * (rounding to nearest would pick the even neighbour), integers and the floats just below them,
 * {@code (-1, 0)} and {@code -0.0}, the saturation bounds and far past them, the largest floats.
 * Runs in nn's default, avx2 and sse executions (under SSE the intrinsified 128-bit path).
 */
class FastEpilogueTest {
    private static final int LANES = 16;

    @Test
    void roundsAndSaturatesExactlyAsTheScalarFormula() {
        List<Float> xs = new ArrayList<>();
        for (float v : new float[] {0f, -0f, 0.25f, 0.5f, 0.75f, 1f, 1.5f, 2.5f, 3.5f, -0.25f, -0.5f, -0.75f, -1f, -1.5f,
                -2.5f, 32766.5f, 32767f, 32767.5f, 32768f, 32768.5f, 65534.5f, 65535f, 65535.5f, 65536f, 65537f,
                1e6f, -1e6f, 8388607.5f, 8388608f, 16777216f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.MIN_VALUE, -Float.MIN_VALUE}) {
            xs.add(v);
            xs.add(Math.nextUp(v));
            xs.add(Math.nextDown(v));
        }
        for (int n = -40; n <= 70000; n += 997) {
            xs.add((float) n);
            xs.add(n + 0.5f);
            xs.add(Math.nextDown((float) n));
            xs.add(Math.nextDown(n + 0.5f));
        }
        Random random = new Random(13);
        for (int i = 0; i < 20000; i++) {
            xs.add((random.nextFloat() - 0.3f) * 80000f);
        }
        int checked = 0;
        for (int norm : new int[] {0, 1, 13, 16}) {
            float scale = Math.scalb(1f, -norm);
            for (boolean relu : new boolean[] {true, false}) {
                int up = relu ? 0 : 32768;
                for (int bias : new int[] {0, -3, 17, -32768, 32767}) {
                    float b = bias + 0.5f + up;
                    float[] acc = new float[LANES];
                    int[] out = new int[LANES];
                    for (int start = 0; start < xs.size(); start += LANES) {
                        int n = Math.min(LANES, xs.size() - start);
                        for (int i = 0; i < LANES; i++) {
                            // acc such that acc * scale is the value wanted before the bias
                            acc[i] = i < n ? Math.scalb(xs.get(start + i), norm) : 0f;
                        }
                        int from = (start / LANES) % 4 * 2 & -VectorShapes.LANES; // runs that start inside a block too
                        FastConv.roundClamp(acc, 0, from, n, scale, b, up, out);
                        for (int i = from; i < n; i++) {
                            int y = (int) (acc[i] * scale + b);
                            int want = Math.min(Math.max(y, 0), Short.MAX_VALUE + up) - up;
                            assertEquals(want, out[i], () -> "acc " + acc[0] + ".. scale " + scale + " bias " + b + " up " + up);
                            checked++;
                        }
                    }
                }
            }
        }
        System.out.printf("fast epilogue without lane conversions: %d values as the scalar formula%n", checked);
    }
}
