package io.tinyreid.nn.exec;

import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 convolution micro-kernels, shared by the float executor and the fast int16 runtime
 * (which widens its inputs and weights to float first). The input is a window: rows of every input
 * channel, zero-padded, split by stride phase and laid end to end, so output position {@code q}
 * reads {@code win[off[t] + q]} for tap {@code t}. Weights are {@code [channel][tap]}. One call
 * broadcasts each weight against up to four vectors of 16 positions, for four or eight channels,
 * every accumulator in a register (fused multiply-add), and writes the block to
 * {@code acc[j * stride(vectors) + v * 16 + lane]}. Reads may run {@link #SLACK} words past the
 * last window position and, for a last partial block, three channels past the last weights.
 *
 * <p>Positions come in blocks of 16 on every machine (the plan's geometry); narrower than 512-bit
 * vectors ({@link VectorShapes}) cover a block with several vectors, six channels by two vectors
 * per pass (twelve accumulators: AVX2's and SSE's 16 registers; 1.6x the four-channel pass's
 * multiply-adds per second on AVX2), at most {@link #STEP} positions per call so that six
 * channels fit the accumulator block.
 */
public final class FloatConvKernel {
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    /** Lanes of a hardware vector (16 on the wide path). */
    private static final int V = VectorShapes.LANES;
    /** Positions per vector. */
    public static final int LANES = 16;
    /** Largest number of positions one call computes. */
    public static final int POSITIONS = 4 * LANES;
    /** Positions per call on this machine: all four blocks on the wide path, two below it. */
    public static final int STEP = VectorShapes.WIDE ? POSITIONS : 2 * LANES;
    /** Words a call may read past its last position. */
    public static final int SLACK = POSITIONS;
    /** Words of the accumulator block. */
    public static final int ACCUMULATORS = 16 * LANES;
    private static final int L = LANES;
    private static final int B = POSITIONS;
    private static final int H = 2 * LANES;

    private FloatConvKernel() {}

    /** Accumulator words per channel for a call of {@code vectors} vectors. */
    public static int stride(int vectors) {
        return vectors >= 3 ? B : H;
    }

    /**
     * Computes {@code vectors} (1..4, at most {@code STEP / LANES}) vectors of positions from
     * {@code q} for the channels whose weights start at {@code w0}; returns how many channels it
     * computed (4, 6 or 8; more than {@code remaining} only when fewer than four remain, and then
     * from a multiple of four channels after the first call's).
     */
    public static int block(float[] win, int[] off, int taps, int q, int vectors, float[] w, int w0, int remaining,
                            float[] acc) {
        if (!VectorShapes.WIDE) {
            int stride = stride(vectors);
            // (AVX2 only: on SSE, separate multiply and add, six channels measured within 10% of four)
            // six channels while what is left stays a multiple of four or two more (10 -> 6 + 4,
            // 8 -> 4 + 4, odd counts by fours), so a last partial block starts on a multiple of four
            // and reads no further than the four-channel blocks did
            if (VectorShapes.CONVERTS && (remaining % 4 == 2 ? remaining >= 6 : remaining % 4 == 0 && remaining >= 12)) {
                for (int u = 0; u < vectors * L; u += 2 * V) {
                    n6x2(win, off, taps, q + u, w, w0, acc, u, stride);
                }
                return 6;
            }
            for (int u = 0; u < vectors * L; u += 2 * V) {
                n4x2(win, off, taps, q + u, w, w0, acc, u, stride);
            }
            return 4;
        }
        if (vectors >= 3) {
            k4x4(win, off, taps, q, w, w0, acc);
            return 4;
        }
        if (remaining >= 8) {
            if (vectors == 2) {
                k8x2(win, off, taps, q, w, w0, acc);
            } else {
                k8x1(win, off, taps, q, w, w0, acc);
            }
            return 8;
        }
        // four channels, also for one vector: two vectors keep eight FMAs in flight
        k4x2(win, off, taps, q, w, w0, acc);
        return 4;
    }

    private static void k4x4(float[] win, int[] off, int taps, int q, float[] w, int w0, float[] acc) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        int w1 = w0 + taps;
        int w2 = w1 + taps;
        int w3 = w2 + taps;
        for (int t = 0; t < taps; t++) {
            int p = off[t] + q;
            FloatVector x0 = FloatVector.fromArray(F, win, p);
            FloatVector x1 = FloatVector.fromArray(F, win, p + L);
            FloatVector x2 = FloatVector.fromArray(F, win, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(F, win, p + 3 * L);
            FloatVector b = FloatVector.broadcast(F, w[w0 + t]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            a02 = x2.fma(b, a02);
            a03 = x3.fma(b, a03);
            b = FloatVector.broadcast(F, w[w1 + t]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            a12 = x2.fma(b, a12);
            a13 = x3.fma(b, a13);
            b = FloatVector.broadcast(F, w[w2 + t]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            a22 = x2.fma(b, a22);
            a23 = x3.fma(b, a23);
            b = FloatVector.broadcast(F, w[w3 + t]);
            a30 = x0.fma(b, a30);
            a31 = x1.fma(b, a31);
            a32 = x2.fma(b, a32);
            a33 = x3.fma(b, a33);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, L);
        a02.intoArray(acc, 2 * L);
        a03.intoArray(acc, 3 * L);
        a10.intoArray(acc, B);
        a11.intoArray(acc, B + L);
        a12.intoArray(acc, B + 2 * L);
        a13.intoArray(acc, B + 3 * L);
        a20.intoArray(acc, 2 * B);
        a21.intoArray(acc, 2 * B + L);
        a22.intoArray(acc, 2 * B + 2 * L);
        a23.intoArray(acc, 2 * B + 3 * L);
        a30.intoArray(acc, 3 * B);
        a31.intoArray(acc, 3 * B + L);
        a32.intoArray(acc, 3 * B + 2 * L);
        a33.intoArray(acc, 3 * B + 3 * L);
    }

    private static void k8x2(float[] win, int[] off, int taps, int q, float[] w, int w0, float[] acc) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a40 = a00;
        FloatVector a41 = a00;
        FloatVector a50 = a00;
        FloatVector a51 = a00;
        FloatVector a60 = a00;
        FloatVector a61 = a00;
        FloatVector a70 = a00;
        FloatVector a71 = a00;
        for (int t = 0; t < taps; t++) {
            int p = off[t] + q;
            FloatVector x0 = FloatVector.fromArray(F, win, p);
            FloatVector x1 = FloatVector.fromArray(F, win, p + L);
            int k = w0 + t;
            FloatVector b = FloatVector.broadcast(F, w[k]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            b = FloatVector.broadcast(F, w[k + taps]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            b = FloatVector.broadcast(F, w[k + 2 * taps]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            b = FloatVector.broadcast(F, w[k + 3 * taps]);
            a30 = x0.fma(b, a30);
            a31 = x1.fma(b, a31);
            b = FloatVector.broadcast(F, w[k + 4 * taps]);
            a40 = x0.fma(b, a40);
            a41 = x1.fma(b, a41);
            b = FloatVector.broadcast(F, w[k + 5 * taps]);
            a50 = x0.fma(b, a50);
            a51 = x1.fma(b, a51);
            b = FloatVector.broadcast(F, w[k + 6 * taps]);
            a60 = x0.fma(b, a60);
            a61 = x1.fma(b, a61);
            b = FloatVector.broadcast(F, w[k + 7 * taps]);
            a70 = x0.fma(b, a70);
            a71 = x1.fma(b, a71);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, L);
        a10.intoArray(acc, H);
        a11.intoArray(acc, H + L);
        a20.intoArray(acc, 2 * H);
        a21.intoArray(acc, 2 * H + L);
        a30.intoArray(acc, 3 * H);
        a31.intoArray(acc, 3 * H + L);
        a40.intoArray(acc, 4 * H);
        a41.intoArray(acc, 4 * H + L);
        a50.intoArray(acc, 5 * H);
        a51.intoArray(acc, 5 * H + L);
        a60.intoArray(acc, 6 * H);
        a61.intoArray(acc, 6 * H + L);
        a70.intoArray(acc, 7 * H);
        a71.intoArray(acc, 7 * H + L);
    }

    private static void k4x2(float[] win, int[] off, int taps, int q, float[] w, int w0, float[] acc) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        int w1 = w0 + taps;
        int w2 = w1 + taps;
        int w3 = w2 + taps;
        for (int t = 0; t < taps; t++) {
            int p = off[t] + q;
            FloatVector x0 = FloatVector.fromArray(F, win, p);
            FloatVector x1 = FloatVector.fromArray(F, win, p + L);
            FloatVector b = FloatVector.broadcast(F, w[w0 + t]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            b = FloatVector.broadcast(F, w[w1 + t]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            b = FloatVector.broadcast(F, w[w2 + t]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            b = FloatVector.broadcast(F, w[w3 + t]);
            a30 = x0.fma(b, a30);
            a31 = x1.fma(b, a31);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, L);
        a10.intoArray(acc, H);
        a11.intoArray(acc, H + L);
        a20.intoArray(acc, 2 * H);
        a21.intoArray(acc, 2 * H + L);
        a30.intoArray(acc, 3 * H);
        a31.intoArray(acc, 3 * H + L);
    }

    private static void k8x1(float[] win, int[] off, int taps, int q, float[] w, int w0, float[] acc) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int t = 0; t < taps; t++) {
            FloatVector x = FloatVector.fromArray(F, win, off[t] + q);
            int k = w0 + t;
            a0 = x.fma(FloatVector.broadcast(F, w[k]), a0);
            a1 = x.fma(FloatVector.broadcast(F, w[k + taps]), a1);
            a2 = x.fma(FloatVector.broadcast(F, w[k + 2 * taps]), a2);
            a3 = x.fma(FloatVector.broadcast(F, w[k + 3 * taps]), a3);
            a4 = x.fma(FloatVector.broadcast(F, w[k + 4 * taps]), a4);
            a5 = x.fma(FloatVector.broadcast(F, w[k + 5 * taps]), a5);
            a6 = x.fma(FloatVector.broadcast(F, w[k + 6 * taps]), a6);
            a7 = x.fma(FloatVector.broadcast(F, w[k + 7 * taps]), a7);
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, H);
        a2.intoArray(acc, 2 * H);
        a3.intoArray(acc, 3 * H);
        a4.intoArray(acc, 4 * H);
        a5.intoArray(acc, 5 * H);
        a6.intoArray(acc, 6 * H);
        a7.intoArray(acc, 7 * H);
    }

    /** Four channels by two hardware vectors from position {@code p}, into {@code acc[j * stride + u + lane]}. */
    private static void n4x2(float[] win, int[] off, int taps, int p, float[] w, int w0, float[] acc, int u,
                             int stride) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        int w1 = w0 + taps;
        int w2 = w1 + taps;
        int w3 = w2 + taps;
        for (int t = 0; t < taps; t++) {
            int i = off[t] + p;
            FloatVector x0 = FloatVector.fromArray(F, win, i);
            FloatVector x1 = FloatVector.fromArray(F, win, i + V);
            FloatVector b = FloatVector.broadcast(F, w[w0 + t]);
            a00 = madd(x0, b, a00);
            a01 = madd(x1, b, a01);
            b = FloatVector.broadcast(F, w[w1 + t]);
            a10 = madd(x0, b, a10);
            a11 = madd(x1, b, a11);
            b = FloatVector.broadcast(F, w[w2 + t]);
            a20 = madd(x0, b, a20);
            a21 = madd(x1, b, a21);
            b = FloatVector.broadcast(F, w[w3 + t]);
            a30 = madd(x0, b, a30);
            a31 = madd(x1, b, a31);
        }
        a00.intoArray(acc, u);
        a01.intoArray(acc, u + V);
        a10.intoArray(acc, stride + u);
        a11.intoArray(acc, stride + u + V);
        a20.intoArray(acc, 2 * stride + u);
        a21.intoArray(acc, 2 * stride + u + V);
        a30.intoArray(acc, 3 * stride + u);
        a31.intoArray(acc, 3 * stride + u + V);
    }

    /** Six channels by two hardware vectors from position {@code p}, into {@code acc[j * stride + u + lane]}. */
    private static void n6x2(float[] win, int[] off, int taps, int p, float[] w, int w0, float[] acc, int u,
                             int stride) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a40 = a00;
        FloatVector a41 = a00;
        FloatVector a50 = a00;
        FloatVector a51 = a00;
        for (int t = 0; t < taps; t++) {
            int i = off[t] + p;
            FloatVector x0 = FloatVector.fromArray(F, win, i);
            FloatVector x1 = FloatVector.fromArray(F, win, i + V);
            int k = w0 + t;
            FloatVector b = FloatVector.broadcast(F, w[k]);
            a00 = madd(x0, b, a00);
            a01 = madd(x1, b, a01);
            b = FloatVector.broadcast(F, w[k + taps]);
            a10 = madd(x0, b, a10);
            a11 = madd(x1, b, a11);
            b = FloatVector.broadcast(F, w[k + 2 * taps]);
            a20 = madd(x0, b, a20);
            a21 = madd(x1, b, a21);
            b = FloatVector.broadcast(F, w[k + 3 * taps]);
            a30 = madd(x0, b, a30);
            a31 = madd(x1, b, a31);
            b = FloatVector.broadcast(F, w[k + 4 * taps]);
            a40 = madd(x0, b, a40);
            a41 = madd(x1, b, a41);
            b = FloatVector.broadcast(F, w[k + 5 * taps]);
            a50 = madd(x0, b, a50);
            a51 = madd(x1, b, a51);
        }
        a00.intoArray(acc, u);
        a01.intoArray(acc, u + V);
        a10.intoArray(acc, stride + u);
        a11.intoArray(acc, stride + u + V);
        a20.intoArray(acc, 2 * stride + u);
        a21.intoArray(acc, 2 * stride + u + V);
        a30.intoArray(acc, 3 * stride + u);
        a31.intoArray(acc, 3 * stride + u + V);
        a40.intoArray(acc, 4 * stride + u);
        a41.intoArray(acc, 4 * stride + u + V);
        a50.intoArray(acc, 5 * stride + u);
        a51.intoArray(acc, 5 * stride + u + V);
    }

    /**
     * True where a weight broadcast is a shuffle on the floating-point ports (128-bit vectors: SSE,
     * NEON): callers then spread four channels' weights across vectors once with {@link #broadcast}
     * and sweep every position with {@link #broadcastBlock}, which loads them (a broadcast per
     * weight, channel and call was a third of the SSE micro-kernel's time).
     */
    public static final boolean BROADCAST = !VectorShapes.CONVERTS;

    /** Words of {@link #broadcast}'s block for {@code taps} taps. */
    public static int broadcastWords(int taps) {
        return taps * 4 * V;
    }

    /**
     * The weights of four channels from {@code w0} ({@code [channel][tap]}), each repeated across a
     * hardware vector, tap by tap: {@code wb[(t * 4 + j) * V + lane]}; channels from
     * {@code channels} (fewer than four left) repeat the last one, so nothing past it is read.
     */
    public static void broadcast(float[] w, int w0, int taps, int channels, float[] wb) {
        // tap by tap, so the block is written in order (the spread of dlib-resnet's 2,304-tap layers
        // is larger than L1)
        int s1 = w0 + Math.min(1, channels - 1) * taps;
        int s2 = w0 + Math.min(2, channels - 1) * taps;
        int s3 = w0 + Math.min(3, channels - 1) * taps;
        for (int t = 0, k = 0; t < taps; t++, k += 4 * V) {
            FloatVector.broadcast(F, w[w0 + t]).intoArray(wb, k);
            FloatVector.broadcast(F, w[s1 + t]).intoArray(wb, k + V);
            FloatVector.broadcast(F, w[s2 + t]).intoArray(wb, k + 2 * V);
            FloatVector.broadcast(F, w[s3 + t]).intoArray(wb, k + 3 * V);
        }
    }

    /**
     * Four channels by {@code vectors} (at most {@code STEP / LANES}) vectors of positions from
     * {@code q}, on weights spread by {@link #broadcast}; the accumulator block as {@link #block}'s.
     */
    public static void broadcastBlock(float[] win, int[] off, int taps, int q, int vectors, float[] wb, float[] acc) {
        broadcastTaps(win, off, 0, taps, q, vectors, wb, 0, acc, false);
    }

    /**
     * {@link #broadcastBlock} over taps {@code [t0, t1)} only, up to four vectors, on a spread
     * block at {@code wb[w0]} whose first tap is {@code t0} ({@code wb[w0 + ((t - t0) * 4 + j) * V + lane]});
     * with {@code add} the sums continue from the accumulator block a call over the taps before
     * {@code t0} left (each product added in the same order as one call over all taps: the same
     * floats), else they start from zero.
     */
    public static void broadcastTaps(float[] win, int[] off, int t0, int t1, int q, int vectors, float[] wb, int w0,
                                     float[] acc, boolean add) {
        int stride = stride(vectors);
        for (int u = 0; u < vectors * L; u += 2 * V) {
            if (add) {
                b4x2Add(win, off, t0, t1, q + u, wb, w0, acc, u, stride);
            } else {
                b4x2(win, off, t0, t1, q + u, wb, w0, acc, u, stride);
            }
        }
    }

    /**
     * Four channels by two hardware vectors on broadcast weights: per tap two window loads, four
     * weight loads, eight multiplies and adds (1.5x the lane products per second of {@link #n4x2}
     * under {@code -XX:UseAVX=0} in an isolated loop, 17.2 vs 11.4 per ns; six channels or three
     * vectors run out of SSE's 16 registers and measured slower).
     */
    private static void b4x2(float[] win, int[] off, int t0, int t1, int p, float[] wb, int w0, float[] acc, int u,
                             int stride) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        for (int t = t0, k = w0; t < t1; t++, k += 4 * V) {
            int i = off[t] + p;
            FloatVector x0 = FloatVector.fromArray(F, win, i);
            FloatVector x1 = FloatVector.fromArray(F, win, i + V);
            FloatVector b = FloatVector.fromArray(F, wb, k);
            a00 = a00.add(x0.mul(b));
            a01 = a01.add(x1.mul(b));
            b = FloatVector.fromArray(F, wb, k + V);
            a10 = a10.add(x0.mul(b));
            a11 = a11.add(x1.mul(b));
            b = FloatVector.fromArray(F, wb, k + 2 * V);
            a20 = a20.add(x0.mul(b));
            a21 = a21.add(x1.mul(b));
            b = FloatVector.fromArray(F, wb, k + 3 * V);
            a30 = a30.add(x0.mul(b));
            a31 = a31.add(x1.mul(b));
        }
        a00.intoArray(acc, u);
        a01.intoArray(acc, u + V);
        a10.intoArray(acc, stride + u);
        a11.intoArray(acc, stride + u + V);
        a20.intoArray(acc, 2 * stride + u);
        a21.intoArray(acc, 2 * stride + u + V);
        a30.intoArray(acc, 3 * stride + u);
        a31.intoArray(acc, 3 * stride + u + V);
    }

    /** {@link #b4x2} continuing the sums in the accumulator block (separate so neither carries a branch on it). */
    private static void b4x2Add(float[] win, int[] off, int t0, int t1, int p, float[] wb, int w0, float[] acc, int u,
                                int stride) {
        FloatVector a00 = FloatVector.fromArray(F, acc, u);
        FloatVector a01 = FloatVector.fromArray(F, acc, u + V);
        FloatVector a10 = FloatVector.fromArray(F, acc, stride + u);
        FloatVector a11 = FloatVector.fromArray(F, acc, stride + u + V);
        FloatVector a20 = FloatVector.fromArray(F, acc, 2 * stride + u);
        FloatVector a21 = FloatVector.fromArray(F, acc, 2 * stride + u + V);
        FloatVector a30 = FloatVector.fromArray(F, acc, 3 * stride + u);
        FloatVector a31 = FloatVector.fromArray(F, acc, 3 * stride + u + V);
        for (int t = t0, k = w0; t < t1; t++, k += 4 * V) {
            int i = off[t] + p;
            FloatVector x0 = FloatVector.fromArray(F, win, i);
            FloatVector x1 = FloatVector.fromArray(F, win, i + V);
            FloatVector b = FloatVector.fromArray(F, wb, k);
            a00 = a00.add(x0.mul(b));
            a01 = a01.add(x1.mul(b));
            b = FloatVector.fromArray(F, wb, k + V);
            a10 = a10.add(x0.mul(b));
            a11 = a11.add(x1.mul(b));
            b = FloatVector.fromArray(F, wb, k + 2 * V);
            a20 = a20.add(x0.mul(b));
            a21 = a21.add(x1.mul(b));
            b = FloatVector.fromArray(F, wb, k + 3 * V);
            a30 = a30.add(x0.mul(b));
            a31 = a31.add(x1.mul(b));
        }
        a00.intoArray(acc, u);
        a01.intoArray(acc, u + V);
        a10.intoArray(acc, stride + u);
        a11.intoArray(acc, stride + u + V);
        a20.intoArray(acc, 2 * stride + u);
        a21.intoArray(acc, 2 * stride + u + V);
        a30.intoArray(acc, 3 * stride + u);
        a31.intoArray(acc, 3 * stride + u + V);
    }

    /** {@code x * b + a}: fused where C2 intrinsifies it (not on SSE: a separate multiply and add). */
    static FloatVector madd(FloatVector x, FloatVector b, FloatVector a) {
        return VectorShapes.CONVERTS ? x.fma(b, a) : x.mul(b).add(a);
    }
}
