package io.tinyreid.nn.runtime;

import io.tinyreid.nn.plan.KernelScratch;
import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GAP8 arithmetic, bit for bit: output starts at the bias; for each input channel the products
 * of its window are summed in a wrapping 32-bit int (acc_c); then, as the device's kernel does (DESIGN.md
 * section 1 step 2), {@code A = wrap32((out << norm) + acc_c); A = wrap32(A + 2^(norm-1));
 * out = clip16(A >> norm)}; finally ReLU. Int lanes wrap like the 32-bit register, and wrapping adds
 * commute, so the kernels' {@code (out << norm) + (acc_c + rnd)} is the same A. It is not
 * {@code out + ((acc_c + rnd) >> norm)}: once out saturates near +-32767, {@code out << norm} is near
 * +-2^31 and A wraps (a third of LFW faces). Written out at every update, not in a helper, so C2
 * keeps the vectors in registers.
 *
 * <p>Vectorised over 16 output positions (32-bit lanes, which wrap like the device's register):
 * per call the input rows are widened once into an int window laid out as {@link FastConv}'s, the
 * tile's weights once per tile, and the micro-kernels keep four output channels' running outputs
 * and per-channel sums for two vectors of positions in registers.
 *
 * <p>Narrower than 512-bit vectors ({@link VectorShapes}): four channels by one hardware vector per
 * pass (eight accumulators, within AVX2's and SSE's 16 registers), windows and weights widened by
 * plain loops, 1x1 convs through a small window of their own, and stores of whole hardware vectors
 * or lane by lane (no masked short stores below AVX-512, no lane conversions on SSE).
 */
final class ExactConv implements ConvKernel {
    private static final VectorSpecies<Integer> I = VectorShapes.INT;
    private static final VectorSpecies<Short> S = VectorShapes.HALF_SHORT;
    /** Lanes of a hardware vector: {@code L} on the wide path, 8 or 4 on narrower ones. */
    private static final int V = VectorShapes.LANES;
    /** Lane numbers: a row starting inside a vector gets lanes {@code [-x, ow - x)} (indexInRange is slow for x < 0). */
    private static final ShortVector IOTA = (ShortVector) S.iotaShuffle(0, 1, false).toVector();
    private static final int L = KernelScratch.LANES;
    /** Accumulator stride per channel of the micro-kernels (two vectors). */
    private static final int H = 2 * L;

    private final int[] window;
    private final int[] weights;
    private final int[] acc;
    /** The window holds these rows of this stage's input (the next tile of a step reuses them). */
    private ConvStage filledBy;
    private int filledRow;
    private int filledRows;

    ExactConv(int windowWords, int weightWords) {
        window = new int[windowWords + KernelScratch.SLACK];
        weights = new int[weightWords];
        acc = new int[KernelScratch.ACCUMULATORS];
    }

    @Override
    public void newRun() {
        filledBy = null;
    }

    @Override
    public void prepare(short[] a, ConvStage s) {
        widen(a, s.wBase, weights, s.weightScratch, (s.c1 - s.c0) * s.taps);
    }

    /** {@code to[at + i] = from[src + i]} for {@code i < n}. */
    private static void widen(short[] from, int src, int[] to, int at, int n) {
        if (!VectorShapes.WIDE) {
            for (int i = 0; i < n; i++) {
                to[at + i] = from[src + i];
            }
            return;
        }
        int i = 0;
        for (; i + L <= n; i += L) {
            ((IntVector) ShortVector.fromArray(S, from, src + i).convertShape(VectorOperators.S2I, I, 0)).intoArray(to, at + i);
        }
        if (i < n) {
            VectorMask<Short> m = S.indexInRange(i, n);
            ((IntVector) ShortVector.fromArray(S, from, src + i, m).convertShape(VectorOperators.S2I, I, 0))
                    .intoArray(to, at + i, m.cast(I));
        }
    }

    @Override
    public void convRows(short[] a, ConvStage s, int r, int n, int dstCs) {
        if (s.direct) {
            direct(a, s, r, n, dstCs);
            return;
        }
        if (s != filledBy || r != filledRow || n != filledRows) {
            fill(a, s, r, n);
            filledBy = s;
            filledRow = r;
            filledRows = n;
        }
        int[] win = window;
        int[] w = weights;
        int[] off = s.tapOffsets;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        int kk = s.kh * s.kw;
        int rnd = s.norm > 0 ? 1 << (s.norm - 1) : 0;
        for (int q = 0; q < npos; q += 2 * L) {
            int vectors = Math.min(2, (npos - q + L - 1) / L);
            int c = 0;
            for (; c + 4 <= channels; c += 4) {
                int w0 = s.weightScratch + c * s.taps;
                if (VectorShapes.WIDE) {
                    e4x2(win, off, s.cin, kk, q, w, w0, s.taps, a, s.bBase + c, rnd, s.norm, acc);
                } else {
                    for (int u = 0; u < vectors * L; u += V) {
                        n4x1(win, off, s.cin, kk, q + u, w, w0, s.taps, a, s.bBase + c, rnd, s.norm, acc, u);
                    }
                }
                store(a, s, acc, c, 4, q, vectors, n, dstCs);
            }
            for (; c < channels; c++) {
                for (int u = 0; u < vectors * L; u += V) {
                    e1x1(win, off, s.cin, kk, q + u, w, s.weightScratch + c * s.taps, a[s.bBase + c], rnd, s.norm,
                            acc, u);
                }
                store(a, s, acc, c, 1, q, vectors, n, dstCs);
            }
        }
    }

    /** Widens the input rows of output rows {@code [r, r + n)} into the window (see {@link KernelScratch}). */
    private void fill(short[] a, ConvStage s, int r, int n) {
        int[] win = window;
        int rows = (n - 1) * s.sh + s.kh;
        int rl = s.rowLength;
        int pl = s.pl;
        int w = s.inW;
        int cs = s.in.cs;
        for (int k = 0; k < rows; k++) {
            int iy = r * s.sh - s.pt + k;
            boolean inside = iy >= 0 && iy < s.inH;
            int src = inside ? s.in.addr(0, iy) : 0;
            for (int ic = 0; ic < s.cin; ic++) {
                int base = (ic * s.windowRows + k) * rl;
                if (!inside) {
                    java.util.Arrays.fill(win, base, base + rl, 0);
                } else if (s.sw == 1) {
                    for (int x = 0; x < pl; x++) {
                        win[base + x] = 0;
                    }
                    widen(a, src + ic * cs, win, base + pl, w);
                    for (int x = pl + w; x < rl; x++) {
                        win[base + x] = 0;
                    }
                } else if (s.sw == 2 && VectorShapes.WIDE) { // narrower vectors: the plain loop below
                    splitPhases(a, src + ic * cs, win, base, pl, w, s.phaseLength, rl);
                } else {
                    java.util.Arrays.fill(win, base, base + rl, 0);
                    for (int px = pl; px < pl + w; px++) {
                        win[base + (px % s.sw) * s.phaseLength + px / s.sw] = a[src + ic * cs + px - pl];
                    }
                }
            }
        }
    }

    /** 32 shorts on the wide path (the only one that uses them). */
    private static final VectorSpecies<Short> P = VectorShapes.SHORT;
    /** Even lanes of a 32-lane vector into lanes 0..15, odd lanes into 16..31. */
    private static final VectorShuffle<Short> EVEN_ODD = VectorShuffle.fromOp(P,
            j -> j < P.length() / 2 ? 2 * j : 2 * (j - P.length() / 2) + 1);

    /** One input row of a stride-2 conv: padded column {@code px = x + pl} goes to phase {@code px % 2} at {@code px / 2}. */
    private static void splitPhases(short[] a, int src, int[] win, int base, int pl, int w, int phaseLength, int rl) {
        java.util.Arrays.fill(win, base, base + rl, 0);
        int evenAt = base + pl % 2 * phaseLength + pl / 2;
        int oddAt = base + (pl + 1) % 2 * phaseLength + (pl + 1) / 2;
        int evens = (w + 1) / 2;
        int odds = w / 2;
        for (int x = 0; x < w; x += P.length()) {
            ShortVector v = ShortVector.fromArray(P, a, src + x, P.indexInRange(x, w)).rearrange(EVEN_ODD);
            int i = x / 2;
            ((IntVector) v.convertShape(VectorOperators.S2I, I, 0)).intoArray(win, evenAt + i, I.indexInRange(i, evens));
            ((IntVector) v.convertShape(VectorOperators.S2I, I, 1)).intoArray(win, oddAt + i, I.indexInRange(i, odds));
        }
    }

    /**
     * A {@link ConvStage#direct} conv: output position q of the call's rows reads input position q of
     * every channel straight from the arena.
     */
    private void direct(short[] a, ConvStage s, int r, int n, int dstCs) {
        if (!VectorShapes.WIDE) {
            directNarrow(a, s, r, n, dstCs);
            return;
        }
        int base = s.in.addr(0, r);
        int cs = s.in.cs;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        int rnd = s.norm > 0 ? 1 << (s.norm - 1) : 0;
        for (int q = 0; q < npos; q += 2 * L) {
            int vectors = q + L < npos ? 2 : 1;
            int c = 0;
            for (; c + 4 <= channels; c += 4) {
                d4x2(a, base + q, cs, s.cin, q, npos, weights, s.weightScratch + c * s.taps, s.bBase + c, rnd, s.norm, acc);
                store(a, s, acc, c, 4, q, vectors, n, dstCs);
            }
            for (; c < channels; c++) {
                d1x2(a, base + q, cs, s.cin, q, npos, weights, s.weightScratch + c * s.taps, a[s.bBase + c], rnd, s.norm, acc);
                store(a, s, acc, c, 1, q, vectors, n, dstCs);
            }
        }
    }

    /** Positions [q, q + H) of every input channel of a 1x1 conv on narrow vectors, widened (zero past the call's positions). */
    private int[] directWindow = new int[0];
    /** {@code directOffsets[ic] = ic * H}: the input channels are the micro-kernels' taps (one per channel). */
    private int[] directOffsets = new int[0];

    /**
     * A {@link ConvStage#direct} conv on narrower vectors: each block of 32 positions of every input
     * channel is widened once into {@link #directWindow} (grown to the largest conv on first use),
     * then the window micro-kernels run with one tap per input channel.
     */
    private void directNarrow(short[] a, ConvStage s, int r, int n, int dstCs) {
        int cin = s.cin;
        if (directOffsets.length < cin) {
            directWindow = new int[cin * H + KernelScratch.SLACK];
            directOffsets = new int[cin];
            for (int ic = 0; ic < cin; ic++) {
                directOffsets[ic] = ic * H;
            }
        }
        int[] win = directWindow;
        int[] off = directOffsets;
        int base = s.in.addr(0, r);
        int cs = s.in.cs;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        int rnd = s.norm > 0 ? 1 << (s.norm - 1) : 0;
        for (int q = 0; q < npos; q += H) {
            int vectors = q + L < npos ? 2 : 1;
            int valid = Math.min(H, npos - q);
            for (int ic = 0; ic < cin; ic++) {
                int src = base + ic * cs + q;
                int dst = ic * H;
                for (int i = 0; i < valid; i++) {
                    win[dst + i] = a[src + i];
                }
                for (int i = valid; i < H; i++) {
                    win[dst + i] = 0;
                }
            }
            int c = 0;
            for (; c + 4 <= channels; c += 4) {
                int w0 = s.weightScratch + c * s.taps;
                for (int u = 0; u < vectors * L; u += V) {
                    n4x1(win, off, cin, 1, u, weights, w0, s.taps, a, s.bBase + c, rnd, s.norm, acc, u);
                }
                store(a, s, acc, c, 4, q, vectors, n, dstCs);
            }
            for (; c < channels; c++) {
                for (int u = 0; u < vectors * L; u += V) {
                    e1x1(win, off, cin, 1, u, weights, s.weightScratch + c * s.taps, a[s.bBase + c], rnd, s.norm, acc, u);
                }
                store(a, s, acc, c, 1, q, vectors, n, dstCs);
            }
        }
    }

    private static void d4x2(short[] a, int p, int cs, int cin, int q, int npos, int[] w,
                             int w0, int b, int rnd, int norm, int[] acc) {
        // masks made here, not passed in: a mask argument of a method C2 does not inline is boxed
        VectorMask<Short> m0 = S.indexInRange(q, npos);
        VectorMask<Short> m1 = S.indexInRange(q + L, npos);
        IntVector o00 = IntVector.broadcast(I, a[b]);
        IntVector o01 = o00;
        IntVector o10 = IntVector.broadcast(I, a[b + 1]);
        IntVector o11 = o10;
        IntVector o20 = IntVector.broadcast(I, a[b + 2]);
        IntVector o21 = o20;
        IntVector o30 = IntVector.broadcast(I, a[b + 3]);
        IntVector o31 = o30;
        for (int ic = 0; ic < cin; ic++) {
            int i = p + ic * cs;
            IntVector x0 = ((IntVector) ShortVector.fromArray(S, a, i, m0).convertShape(VectorOperators.S2I, I, 0));
            IntVector x1 = ((IntVector) ShortVector.fromArray(S, a, i + L, m1).convertShape(VectorOperators.S2I, I, 0));
            int k = w[w0 + ic];
            o00 = o00.lanewise(VectorOperators.LSHL, norm).add(x0.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o01 = o01.lanewise(VectorOperators.LSHL, norm).add(x1.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            k = w[w0 + cin + ic];
            o10 = o10.lanewise(VectorOperators.LSHL, norm).add(x0.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o11 = o11.lanewise(VectorOperators.LSHL, norm).add(x1.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            k = w[w0 + 2 * cin + ic];
            o20 = o20.lanewise(VectorOperators.LSHL, norm).add(x0.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o21 = o21.lanewise(VectorOperators.LSHL, norm).add(x1.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            k = w[w0 + 3 * cin + ic];
            o30 = o30.lanewise(VectorOperators.LSHL, norm).add(x0.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o31 = o31.lanewise(VectorOperators.LSHL, norm).add(x1.mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
        }
        o00.intoArray(acc, 0);
        o01.intoArray(acc, L);
        o10.intoArray(acc, H);
        o11.intoArray(acc, H + L);
        o20.intoArray(acc, 2 * H);
        o21.intoArray(acc, 2 * H + L);
        o30.intoArray(acc, 3 * H);
        o31.intoArray(acc, 3 * H + L);
    }

    private static void d1x2(short[] a, int p, int cs, int cin, int q, int npos, int[] w,
                             int w0, int bias, int rnd, int norm, int[] acc) {
        // masks made here, not passed in: a mask argument of a method C2 does not inline is boxed
        VectorMask<Short> m0 = S.indexInRange(q, npos);
        VectorMask<Short> m1 = S.indexInRange(q + L, npos);
        IntVector o0 = IntVector.broadcast(I, bias);
        IntVector o1 = o0;
        for (int ic = 0; ic < cin; ic++) {
            int i = p + ic * cs;
            int k = w[w0 + ic];
            o0 = o0.lanewise(VectorOperators.LSHL, norm).add(((IntVector) ShortVector.fromArray(S, a, i, m0).convertShape(VectorOperators.S2I, I, 0)).mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o1 = o1.lanewise(VectorOperators.LSHL, norm).add(((IntVector) ShortVector.fromArray(S, a, i + L, m1).convertShape(VectorOperators.S2I, I, 0)).mul(k).add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
        }
        o0.intoArray(acc, 0);
        o1.intoArray(acc, L);
    }

    /** ReLU and stores accumulator block {@code acc[j * H + v * L + lane]} (already saturated) into the rows it covers. */
    private void store(short[] a, ConvStage s, int[] acc, int rel, int channels, int q, int vectors, int n,
                       int dstCs) {
        if (!VectorShapes.WIDE) {
            storeNarrow(a, s, acc, rel, channels, q, vectors, n, dstCs);
            return;
        }
        int lo = s.relu ? 0 : Short.MIN_VALUE;
        int ow = s.convW;
        int rl = s.rowLength;
        for (int v = 0; v < vectors; v++) {
            // the rows this vector of positions covers
            int p = q + v * L;
            int y0 = n == 1 ? 0 : p / rl;
            int y1 = n == 1 ? 0 : Math.min(n - 1, (p + L - 1) / rl);
            if (y0 >= n || n == 1 && p >= ow) {
                break;
            }
            for (int j = 0; j < channels; j++) {
                ShortVector out = (ShortVector) IntVector.fromArray(I, acc, j * H + v * L).max(lo)
                        .convertShape(VectorOperators.I2S, S, 0);
                int d = (rel + j) * dstCs;
                for (int y = y0; y <= y1; y++) {
                    int x = p - y * rl;
                    if (x < ow) {
                        out.intoArray(a, s.rowDst[y] + d + x, x >= 0 ? S.indexInRange(x, ow)
                                : IOTA.compare(VectorOperators.GE, -x).and(IOTA.compare(VectorOperators.LT, ow - x)));
                    }
                }
            }
        }
    }

    /** One hardware vector of shorts, for stores of some of its lanes. */
    private final short[] lanesOut = new short[V];

    /** {@link #store} on narrower vectors: each hardware vector whole where all its lanes are in the row, else lane by lane. */
    private void storeNarrow(short[] a, ConvStage s, int[] acc, int rel, int channels, int q, int vectors, int n,
                             int dstCs) {
        if (!VectorShapes.CONVERTS) {
            storeScalar(a, s, acc, rel, channels, q, vectors, n, dstCs);
            return;
        }
        int lo = s.relu ? 0 : Short.MIN_VALUE;
        int ow = s.convW;
        int rl = s.rowLength;
        short[] tmp = lanesOut;
        for (int u = 0; u < vectors * L; u += V) {
            int p = q + u;
            int y0 = n == 1 ? 0 : p / rl;
            int y1 = n == 1 ? 0 : Math.min(n - 1, (p + V - 1) / rl);
            if (y0 >= n || n == 1 && p >= ow) {
                break;
            }
            for (int j = 0; j < channels; j++) {
                int at = j * H + u;
                int d = (rel + j) * dstCs;
                ShortVector out = null;
                if (VectorShapes.CONVERTS) {
                    out = (ShortVector) IntVector.fromArray(I, acc, at).max(lo).convertShape(VectorOperators.I2S, S, 0);
                }
                for (int y = y0; y <= y1; y++) {
                    int x = p - y * rl;
                    int i0 = Math.max(0, -x);
                    int i1 = Math.min(V, ow - x);
                    int o = s.rowDst[y] + d + x;
                    if (VectorShapes.CONVERTS && i0 == 0 && i1 == V) {
                        out.intoArray(a, o);
                    } else if (VectorShapes.CONVERTS) {
                        out.intoArray(tmp, 0);
                        for (int i = i0; i < i1; i++) {
                            a[o + i] = tmp[i];
                        }
                    } else {
                        for (int i = i0; i < i1; i++) {
                            a[o + i] = (short) Math.max(acc[at + i], lo);
                        }
                    }
                }
            }
        }
    }

    /** Four channels by one hardware vector from position {@code q}, into {@code acc[j * H + u + lane]}. */
    private static void n4x1(int[] win, int[] off, int cin, int kk, int q, int[] w, int w0, int taps, short[] a, int b,
                             int rnd, int norm, int[] acc, int u) {
        IntVector o0 = IntVector.broadcast(I, a[b]);
        IntVector o1 = IntVector.broadcast(I, a[b + 1]);
        IntVector o2 = IntVector.broadcast(I, a[b + 2]);
        IntVector o3 = IntVector.broadcast(I, a[b + 3]);
        int w1 = w0 + taps;
        int w2 = w1 + taps;
        int w3 = w2 + taps;
        for (int ic = 0; ic < cin; ic++) {
            IntVector s0 = IntVector.zero(I);
            IntVector s1 = s0;
            IntVector s2 = s0;
            IntVector s3 = s0;
            for (int t = ic * kk; t < (ic + 1) * kk; t++) {
                IntVector x = IntVector.fromArray(I, win, off[t] + q);
                s0 = s0.add(x.mul(w[w0 + t]));
                s1 = s1.add(x.mul(w[w1 + t]));
                s2 = s2.add(x.mul(w[w2 + t]));
                s3 = s3.add(x.mul(w[w3 + t]));
            }
            o0 = o0.lanewise(VectorOperators.LSHL, norm).add(s0.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o1 = o1.lanewise(VectorOperators.LSHL, norm).add(s1.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o2 = o2.lanewise(VectorOperators.LSHL, norm).add(s2.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o3 = o3.lanewise(VectorOperators.LSHL, norm).add(s3.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
        }
        o0.intoArray(acc, u);
        o1.intoArray(acc, H + u);
        o2.intoArray(acc, 2 * H + u);
        o3.intoArray(acc, 3 * H + u);
    }

    private static void e4x2(int[] win, int[] off, int cin, int kk, int q, int[] w, int w0, int taps, short[] a, int b,
                             int rnd, int norm, int[] acc) {
        IntVector o00 = IntVector.broadcast(I, a[b]);
        IntVector o01 = o00;
        IntVector o10 = IntVector.broadcast(I, a[b + 1]);
        IntVector o11 = o10;
        IntVector o20 = IntVector.broadcast(I, a[b + 2]);
        IntVector o21 = o20;
        IntVector o30 = IntVector.broadcast(I, a[b + 3]);
        IntVector o31 = o30;
        int w1 = w0 + taps;
        int w2 = w1 + taps;
        int w3 = w2 + taps;
        for (int ic = 0; ic < cin; ic++) {
            IntVector s00 = IntVector.zero(I);
            IntVector s01 = s00;
            IntVector s10 = s00;
            IntVector s11 = s00;
            IntVector s20 = s00;
            IntVector s21 = s00;
            IntVector s30 = s00;
            IntVector s31 = s00;
            for (int t = ic * kk; t < (ic + 1) * kk; t++) {
                int p = off[t] + q;
                IntVector x0 = IntVector.fromArray(I, win, p);
                IntVector x1 = IntVector.fromArray(I, win, p + L);
                int k = w[w0 + t];
                s00 = s00.add(x0.mul(k));
                s01 = s01.add(x1.mul(k));
                k = w[w1 + t];
                s10 = s10.add(x0.mul(k));
                s11 = s11.add(x1.mul(k));
                k = w[w2 + t];
                s20 = s20.add(x0.mul(k));
                s21 = s21.add(x1.mul(k));
                k = w[w3 + t];
                s30 = s30.add(x0.mul(k));
                s31 = s31.add(x1.mul(k));
            }
            o00 = o00.lanewise(VectorOperators.LSHL, norm).add(s00.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o01 = o01.lanewise(VectorOperators.LSHL, norm).add(s01.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o10 = o10.lanewise(VectorOperators.LSHL, norm).add(s10.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o11 = o11.lanewise(VectorOperators.LSHL, norm).add(s11.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o20 = o20.lanewise(VectorOperators.LSHL, norm).add(s20.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o21 = o21.lanewise(VectorOperators.LSHL, norm).add(s21.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o30 = o30.lanewise(VectorOperators.LSHL, norm).add(s30.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            o31 = o31.lanewise(VectorOperators.LSHL, norm).add(s31.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
        }
        o00.intoArray(acc, 0);
        o01.intoArray(acc, L);
        o10.intoArray(acc, H);
        o11.intoArray(acc, H + L);
        o20.intoArray(acc, 2 * H);
        o21.intoArray(acc, 2 * H + L);
        o30.intoArray(acc, 3 * H);
        o31.intoArray(acc, 3 * H + L);
    }

    private static void e1x1(int[] win, int[] off, int cin, int kk, int q, int[] w, int w0, int bias, int rnd, int norm,
                             int[] acc, int at) {
        IntVector o = IntVector.broadcast(I, bias);
        for (int ic = 0; ic < cin; ic++) {
            IntVector sum = IntVector.zero(I);
            for (int t = ic * kk; t < (ic + 1) * kk; t++) {
                sum = sum.add(IntVector.fromArray(I, win, off[t] + q).mul(w[w0 + t]));
            }
            o = o.lanewise(VectorOperators.LSHL, norm).add(sum.add(rnd)).lanewise(VectorOperators.ASHR, norm).max(Short.MIN_VALUE).min(Short.MAX_VALUE);
        }
        o.intoArray(acc, at);
    }

    /**
     * {@link #storeNarrow} on SSE (no lane conversions): the block's positions row by row, each
     * row's run of valid positions at once for every channel, instead of hardware vector by
     * hardware vector (whose row arithmetic cost as much as the stores); the same values.
     */
    private void storeScalar(short[] a, ConvStage s, int[] acc, int rel, int channels, int q, int vectors, int n,
                             int dstCs) {
        int lo = s.relu ? 0 : Short.MIN_VALUE;
        int ow = s.convW;
        int rl = s.rowLength;
        int end = q + vectors * L;
        int y0 = n == 1 ? 0 : q / rl;
        int y1 = n == 1 ? 0 : Math.min(n - 1, (end - 1) / rl);
        for (int y = y0; y <= y1; y++) {
            int p0 = Math.max(q, y * rl);
            int p1 = Math.min(end, y * rl + ow);
            if (p0 >= p1) {
                continue;
            }
            int count = p1 - p0;
            int o = s.rowDst[y] + rel * dstCs + p0 - y * rl;
            for (int j = 0, at = p0 - q; j < channels; j++, at += H, o += dstCs) {
                for (int i = 0; i < count; i++) {
                    a[o + i] = (short) Math.max(acc[at + i], lo);
                }
            }
        }
    }
}
