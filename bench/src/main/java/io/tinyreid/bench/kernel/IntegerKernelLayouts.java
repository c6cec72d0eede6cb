package io.tinyreid.bench.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where the integer runtime's micro-kernel loses to the float one: the same four channels by four
 * vectors of positions over 1152 taps (128 input channels, 3x3), int32 multiply-adds on int16
 * weights as the arena holds them (one channel after another, each weight a scalar load and a
 * broadcast from a general register), on int16 weights interleaved four channels per tap, on int32
 * weights interleaved (a broadcast straight from memory), and float fused multiply-adds on float
 * weights (what {@code FastConv} runs). A score is nanoseconds per tap of the block: 4 channels by
 * 4 vectors of multiply-adds (256 at 16 lanes; 256 / score = billions per second). AVX-512's shape:
 * on narrower vectors sixteen accumulators no longer fit the registers.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar IntegerKernelLayouts}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class IntegerKernelLayouts {
    private static final VectorSpecies<Integer> I = VectorShapes.INT;
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final int V = VectorShapes.LANES;
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int TAPS = 1152;
    private static final int ROW = 256;

    private final int[] off = new int[TAPS];
    private int[] window;
    private float[] floatWindow;
    private byte[] arena;
    private byte[] interleaved16;
    private int[] interleaved32;
    private float[] floatWeights;
    private final int[] out = new int[4 * 4 * V];
    /** The weights' start in the arena: a field, as in the runtime (not a constant C2 could fold into the bounds checks). */
    private int base;
    private final float[] floatOut = new float[4 * 4 * V];

    @Setup
    public void setUp() {
        for (int t = 0; t < TAPS; t++) {
            off[t] = (t / 9 * 3 + t % 9 / 3) * ROW + t % 3;
        }
        int len = off[TAPS - 1] + 4 * V + 1;
        window = new int[len];
        floatWindow = new float[len];
        for (int i = 0; i < len; i++) {
            window[i] = (i * 7919) % 30000 - 15000;
            floatWindow[i] = window[i];
        }
        arena = new byte[2 * 4 * TAPS];
        interleaved16 = new byte[2 * 4 * TAPS];
        interleaved32 = new int[4 * TAPS];
        floatWeights = new float[4 * TAPS];
        for (int c = 0; c < 4; c++) {
            for (int t = 0; t < TAPS; t++) {
                short w = (short) ((c * TAPS + t) * 31 % 2000 - 1000);
                I16.set(arena, 2 * (c * TAPS + t), w);
                I16.set(interleaved16, 2 * (4 * t + c), w);
                interleaved32[4 * t + c] = w;
                floatWeights[c * TAPS + t] = w;
            }
        }
    }

    /** Today's layout: channel after channel of int16 in the byte arena. */
    @Benchmark
    @OperationsPerInvocation(TAPS)
    public int arenaInt16() {
        byte[] a = arena;
        int[] win = window;
        IntVector a0 = IntVector.zero(I), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        IntVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, d0 = a0, d1 = a0, d2 = a0, d3 = a0;
        int w0 = base, w1 = base + 2 * TAPS, w2 = base + 4 * TAPS, w3 = base + 6 * TAPS;
        for (int t = 0; t < TAPS; t++) {
            int o = off[t];
            IntVector u = IntVector.fromArray(I, win, o), v = IntVector.fromArray(I, win, o + V);
            IntVector y = IntVector.fromArray(I, win, o + 2 * V), z = IntVector.fromArray(I, win, o + 3 * V);
            IntVector k = IntVector.broadcast(I, (short) I16.get(a, w0 + 2 * t));
            a0 = u.mul(k).add(a0); b0 = v.mul(k).add(b0); c0 = y.mul(k).add(c0); d0 = z.mul(k).add(d0);
            k = IntVector.broadcast(I, (short) I16.get(a, w1 + 2 * t));
            a1 = u.mul(k).add(a1); b1 = v.mul(k).add(b1); c1 = y.mul(k).add(c1); d1 = z.mul(k).add(d1);
            k = IntVector.broadcast(I, (short) I16.get(a, w2 + 2 * t));
            a2 = u.mul(k).add(a2); b2 = v.mul(k).add(b2); c2 = y.mul(k).add(c2); d2 = z.mul(k).add(d2);
            k = IntVector.broadcast(I, (short) I16.get(a, w3 + 2 * t));
            a3 = u.mul(k).add(a3); b3 = v.mul(k).add(b3); c3 = y.mul(k).add(c3); d3 = z.mul(k).add(d3);
        }
        int[] o = out;
        a0.intoArray(o, 0); a1.intoArray(o, V); a2.intoArray(o, 2 * V); a3.intoArray(o, 3 * V);
        b0.intoArray(o, 4 * V); b1.intoArray(o, 5 * V); b2.intoArray(o, 6 * V); b3.intoArray(o, 7 * V);
        c0.intoArray(o, 8 * V); c1.intoArray(o, 9 * V); c2.intoArray(o, 10 * V); c3.intoArray(o, 11 * V);
        d0.intoArray(o, 12 * V); d1.intoArray(o, 13 * V); d2.intoArray(o, 14 * V); d3.intoArray(o, 15 * V);
        return o[3];
    }

    /** int16 weights interleaved four channels per tap: one base, adjacent loads. */
    @Benchmark
    @OperationsPerInvocation(TAPS)
    public int interleavedInt16() {
        byte[] a = interleaved16;
        int[] win = window;
        IntVector a0 = IntVector.zero(I), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        IntVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, d0 = a0, d1 = a0, d2 = a0, d3 = a0;
        for (int t = 0; t < TAPS; t++) {
            int o = off[t];
            int q = 8 * t;
            IntVector u = IntVector.fromArray(I, win, o), v = IntVector.fromArray(I, win, o + V);
            IntVector y = IntVector.fromArray(I, win, o + 2 * V), z = IntVector.fromArray(I, win, o + 3 * V);
            IntVector k = IntVector.broadcast(I, (short) I16.get(a, q));
            a0 = u.mul(k).add(a0); b0 = v.mul(k).add(b0); c0 = y.mul(k).add(c0); d0 = z.mul(k).add(d0);
            k = IntVector.broadcast(I, (short) I16.get(a, q + 2));
            a1 = u.mul(k).add(a1); b1 = v.mul(k).add(b1); c1 = y.mul(k).add(c1); d1 = z.mul(k).add(d1);
            k = IntVector.broadcast(I, (short) I16.get(a, q + 4));
            a2 = u.mul(k).add(a2); b2 = v.mul(k).add(b2); c2 = y.mul(k).add(c2); d2 = z.mul(k).add(d2);
            k = IntVector.broadcast(I, (short) I16.get(a, q + 6));
            a3 = u.mul(k).add(a3); b3 = v.mul(k).add(b3); c3 = y.mul(k).add(c3); d3 = z.mul(k).add(d3);
        }
        int[] o = out;
        a0.intoArray(o, 0); a1.intoArray(o, V); a2.intoArray(o, 2 * V); a3.intoArray(o, 3 * V);
        b0.intoArray(o, 4 * V); b1.intoArray(o, 5 * V); b2.intoArray(o, 6 * V); b3.intoArray(o, 7 * V);
        c0.intoArray(o, 8 * V); c1.intoArray(o, 9 * V); c2.intoArray(o, 10 * V); c3.intoArray(o, 11 * V);
        d0.intoArray(o, 12 * V); d1.intoArray(o, 13 * V); d2.intoArray(o, 14 * V); d3.intoArray(o, 15 * V);
        return o[3];
    }

    /** int32 weights interleaved four channels per tap: each broadcast straight from memory. */
    @Benchmark
    @OperationsPerInvocation(TAPS)
    public int interleavedInt32() {
        int[] w = interleaved32;
        int[] win = window;
        IntVector a0 = IntVector.zero(I), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        IntVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, d0 = a0, d1 = a0, d2 = a0, d3 = a0;
        for (int t = 0; t < TAPS; t++) {
            int o = off[t];
            int q = 4 * t;
            IntVector u = IntVector.fromArray(I, win, o), v = IntVector.fromArray(I, win, o + V);
            IntVector y = IntVector.fromArray(I, win, o + 2 * V), z = IntVector.fromArray(I, win, o + 3 * V);
            IntVector k = IntVector.broadcast(I, w[q]);
            a0 = u.mul(k).add(a0); b0 = v.mul(k).add(b0); c0 = y.mul(k).add(c0); d0 = z.mul(k).add(d0);
            k = IntVector.broadcast(I, w[q + 1]);
            a1 = u.mul(k).add(a1); b1 = v.mul(k).add(b1); c1 = y.mul(k).add(c1); d1 = z.mul(k).add(d1);
            k = IntVector.broadcast(I, w[q + 2]);
            a2 = u.mul(k).add(a2); b2 = v.mul(k).add(b2); c2 = y.mul(k).add(c2); d2 = z.mul(k).add(d2);
            k = IntVector.broadcast(I, w[q + 3]);
            a3 = u.mul(k).add(a3); b3 = v.mul(k).add(b3); c3 = y.mul(k).add(c3); d3 = z.mul(k).add(d3);
        }
        int[] o = out;
        a0.intoArray(o, 0); a1.intoArray(o, V); a2.intoArray(o, 2 * V); a3.intoArray(o, 3 * V);
        b0.intoArray(o, 4 * V); b1.intoArray(o, 5 * V); b2.intoArray(o, 6 * V); b3.intoArray(o, 7 * V);
        c0.intoArray(o, 8 * V); c1.intoArray(o, 9 * V); c2.intoArray(o, 10 * V); c3.intoArray(o, 11 * V);
        d0.intoArray(o, 12 * V); d1.intoArray(o, 13 * V); d2.intoArray(o, 14 * V); d3.intoArray(o, 15 * V);
        return o[3];
    }

    /** The float kernel's shape: fused multiply-adds on float weights, channel after channel. */
    @Benchmark
    @OperationsPerInvocation(TAPS)
    public float floatFma() {
        float[] w = floatWeights;
        float[] win = floatWindow;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, d0 = a0, d1 = a0, d2 = a0, d3 = a0;
        for (int t = 0; t < TAPS; t++) {
            int o = off[t];
            FloatVector u = FloatVector.fromArray(F, win, o), v = FloatVector.fromArray(F, win, o + V);
            FloatVector y = FloatVector.fromArray(F, win, o + 2 * V), z = FloatVector.fromArray(F, win, o + 3 * V);
            FloatVector k = FloatVector.broadcast(F, w[t]);
            a0 = u.fma(k, a0); b0 = v.fma(k, b0); c0 = y.fma(k, c0); d0 = z.fma(k, d0);
            k = FloatVector.broadcast(F, w[TAPS + t]);
            a1 = u.fma(k, a1); b1 = v.fma(k, b1); c1 = y.fma(k, c1); d1 = z.fma(k, d1);
            k = FloatVector.broadcast(F, w[2 * TAPS + t]);
            a2 = u.fma(k, a2); b2 = v.fma(k, b2); c2 = y.fma(k, c2); d2 = z.fma(k, d2);
            k = FloatVector.broadcast(F, w[3 * TAPS + t]);
            a3 = u.fma(k, a3); b3 = v.fma(k, b3); c3 = y.fma(k, c3); d3 = z.fma(k, d3);
        }
        float[] o = floatOut;
        a0.intoArray(o, 0); a1.intoArray(o, V); a2.intoArray(o, 2 * V); a3.intoArray(o, 3 * V);
        b0.intoArray(o, 4 * V); b1.intoArray(o, 5 * V); b2.intoArray(o, 6 * V); b3.intoArray(o, 7 * V);
        c0.intoArray(o, 8 * V); c1.intoArray(o, 9 * V); c2.intoArray(o, 10 * V); c3.intoArray(o, 11 * V);
        d0.intoArray(o, 12 * V); d1.intoArray(o, 13 * V); d2.intoArray(o, 14 * V); d3.intoArray(o, 15 * V);
        return o[3];
    }
}
