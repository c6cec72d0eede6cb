package io.tinyreid.nn.runtime;

import io.tinyreid.nn.exec.FloatConvKernel;
import io.tinyreid.nn.plan.KernelScratch;
import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fast int16: int16 tensors and weights; the whole dot product of an output value (all input
 * channels and taps) is accumulated in float32 with fused multiply-adds, then scaled by
 * {@code 2^-norm}, biased and rounded once (half up), saturated and ReLU'd. An int16 product needs
 * up to 30 bits, so the float sum may differ from the exact integer sum in its last bits; after the
 * shift by {@code norm} (13 to 16 bits in FaceReID) an output differs by one unit from the exact
 * one-rounding value only near a tie (tested against a naive 64-bit reference, layer by layer).
 *
 * <p>Per call, the input rows are widened once into a float window (zero-padded, stride phases
 * split, several narrow rows end to end; reused by the next tiles of the step), the tile's weights
 * once per tile, and {@link FloatConvKernel}'s micro-kernels (shared with the float executor) do
 * the multiply-adds. 1x1 convs skip the window and widen the arena's rows as they load them.
 *
 * <p>Narrower than 512-bit vectors ({@link VectorShapes}): the window and weights are widened by
 * plain loops (short-to-float lanes do not convert on SSE, masked short loads not below AVX-512),
 * 1x1 convs widen a block of 32 positions of every input channel into a small window of their own,
 * and the epilogue stores each hardware vector whole, or its valid lanes one by one, instead of
 * compressing a 16-lane block.
 */
final class FastConv implements ConvKernel {
    private static final VectorSpecies<Float> F = VectorShapes.FLOAT;
    private static final VectorSpecies<Integer> I = VectorShapes.INT;
    private static final VectorSpecies<Short> S = VectorShapes.HALF_SHORT;
    /** Lanes of a hardware vector: {@code L} on the wide path, 8 or 4 on narrower ones. */
    private static final int V = VectorShapes.LANES;
    private static final int L = KernelScratch.LANES;
    /** Accumulator stride per channel of the two-vector and one-vector micro-kernels. */
    private static final int H = 2 * L;

    private final float[] window;
    private final float[] weights;
    private final float[] acc;
    /** The window holds these rows of this stage's input (the next tile of a step reuses them). */
    private ConvStage filledBy;
    private int filledRow;
    private int filledRows;

    FastConv(int windowWords, int weightWords) {
        window = new float[windowWords + KernelScratch.SLACK];
        weights = new float[weightWords];
        acc = new float[KernelScratch.ACCUMULATORS];
    }

    @Override
    public void newRun() {
        filledBy = null;
    }

    /**
     * Widens the tile's weights; the scratch has room for whole blocks of four channels (see
     * {@link KernelScratch#weightWords}), so a tile's last partial block is computed on stale
     * weights in its missing channels, which are never stored.
     */
    @Override
    public void prepare(short[] a, ConvStage s) {
        if (spreads(s)) {
            return; // convRows spreads the tile's weights from the arena into the same scratch
        }
        widen(a, s.wBase, weights, s.weightScratch, (s.c1 - s.c0) * s.taps);
    }

    /** {@code to[at + i] = from[src + i]} for {@code i < n}. */
    static void widen(short[] from, int src, float[] to, int at, int n) {
        if (!VectorShapes.WIDE) {
            for (int i = 0; i < n; i++) {
                to[at + i] = from[src + i];
            }
            return;
        }
        int i = 0;
        // 32 shorts per load, widened by halves: half the loads and loop iterations (4% of fast)
        for (; i + 2 * L <= n; i += 2 * L) {
            ShortVector v = ShortVector.fromArray(P, from, src + i);
            ((FloatVector) v.convertShape(VectorOperators.S2F, F, 0)).intoArray(to, at + i);
            ((FloatVector) v.convertShape(VectorOperators.S2F, F, 1)).intoArray(to, at + i + L);
        }
        for (; i + L <= n; i += L) {
            ((FloatVector) ShortVector.fromArray(S, from, src + i).convertShape(VectorOperators.S2F, F, 0)).intoArray(to, at + i);
        }
        if (i < n) {
            VectorMask<Short> m = S.indexInRange(i, n);
            ((FloatVector) ShortVector.fromArray(S, from, src + i, m).convertShape(VectorOperators.S2F, F, 0))
                    .intoArray(to, at + i, m.cast(F));
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
        if (spreads(s)) {
            spreadRows(a, s, r, n, dstCs);
            return;
        }
        float[] win = window;
        float[] w = weights;
        int[] off = s.tapOffsets;
        int taps = s.taps;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        for (int q = 0; q < npos; q += FloatConvKernel.STEP) {
            int vectors = Math.min(FloatConvKernel.STEP / L, (npos - q + L - 1) / L);
            int stride = FloatConvKernel.stride(vectors);
            geometry(s, q, vectors, r, n);
            for (int c = 0; c < channels; ) {
                int k = FloatConvKernel.block(win, off, taps, q, vectors, w, s.weightScratch + c * taps, channels - c, acc);
                store(a, s, acc, stride, c, Math.min(k, channels - c), vectors, dstCs);
                c += k;
            }
        }
    }

    /** Arena index of each window row's input row (channel 0), -1 for a padding row. */
    private final int[] rowSource = new int[64];

    /** Widens the input rows of output rows {@code [r, r + n)} into the window (see {@link KernelScratch}). */
    private void fill(short[] a, ConvStage s, int r, int n) {
        float[] win = window;
        int rows = (n - 1) * s.sh + s.kh;
        if (rows > rowSource.length) {
            throw new IllegalStateException("window of " + rows + " rows");
        }
        int rl = s.rowLength;
        int pl = s.pl;
        int w = s.inW;
        int cs = s.in.cs;
        for (int k = 0; k < rows; k++) {
            int iy = r * s.sh - s.pt + k;
            rowSource[k] = iy >= 0 && iy < s.inH ? s.in.addr(0, iy) : -1;
        }
        // channel by channel, row by row: a stride-1 row's last vector may write up to 15 words
        // past it, into the next row (or the window's slack), which is filled after it
        for (int ic = 0; ic < s.cin; ic++) {
            for (int k = 0; k < rows; k++) {
                int base = (ic * s.windowRows + k) * rl;
                int src = rowSource[k];
                if (src < 0) {
                    java.util.Arrays.fill(win, base, base + rl, 0f);
                } else if (!VectorShapes.WIDE) {
                    widenPlain(a, src + ic * cs, win, base, pl, w, s.sw, s.phaseLength, rl);
                } else if (s.sw == 1) {
                    widenRow(a, src + ic * cs, win, base, pl, w, rl);
                } else if (s.sw == 2) {
                    splitPhases(a, src + ic * cs, win, base, pl, w, s.phaseLength, rl);
                } else {
                    java.util.Arrays.fill(win, base, base + rl, 0f);
                    for (int px = pl; px < pl + w; px++) {
                        win[base + (px % s.sw) * s.phaseLength + px / s.sw] = a[src + ic * cs + px - pl];
                    }
                }
            }
        }
    }

    /** One input row, any stride, by plain loops: padded column {@code px} goes to phase {@code px % sw} at {@code px / sw}. */
    private static void widenPlain(short[] a, int src, float[] win, int base, int pl, int w, int sw, int phaseLength,
                                   int rl) {
        if (sw == 1) {
            java.util.Arrays.fill(win, base, base + pl, 0f);
            for (int x = 0; x < w; x++) {
                win[base + pl + x] = a[src + x];
            }
            java.util.Arrays.fill(win, base + pl + w, base + rl, 0f);
            return;
        }
        java.util.Arrays.fill(win, base, base + rl, 0f);
        for (int px = pl; px < pl + w; px++) {
            win[base + (px % sw) * phaseLength + px / sw] = a[src + px - pl];
        }
    }

    /**
     * One padded row: {@code win[base + x]} is input column {@code x - pl} or 0, for {@code x < rl},
     * whole vectors at a time (lanes outside the row load as zero); may write 15 words past the row.
     */
    private static void widenRow(short[] a, int src, float[] win, int base, int pl, int w, int rl) {
        for (int x = 0; x < rl; x += L) {
            VectorMask<Short> m = VectorMask.fromLong(S, lanes(x - pl, w));
            ((FloatVector) ShortVector.fromArray(S, a, src - pl + x, m).convertShape(VectorOperators.S2F, F, 0))
                    .intoArray(win, base + x);
        }
    }

    /** 32 shorts on the wide path (the only one that uses them). */
    private static final VectorSpecies<Short> P = VectorShapes.SHORT;
    /** Even lanes of a 32-lane vector into lanes 0..15, odd lanes into 16..31. */
    private static final VectorShuffle<Short> EVEN_ODD = VectorShuffle.fromOp(P,
            j -> j < P.length() / 2 ? 2 * j : 2 * (j - P.length() / 2) + 1);

    /** One input row of a stride-2 conv: padded column {@code px = x + pl} goes to phase {@code px % 2} at {@code px / 2}. */
    private static void splitPhases(short[] a, int src, float[] win, int base, int pl, int w, int phaseLength, int rl) {
        java.util.Arrays.fill(win, base, base + rl, 0f);
        int evenAt = base + pl % 2 * phaseLength + pl / 2;
        int oddAt = base + (pl + 1) % 2 * phaseLength + (pl + 1) / 2;
        int evens = (w + 1) / 2;
        int odds = w / 2;
        for (int x = 0; x < w; x += P.length()) {
            ShortVector v = ShortVector.fromArray(P, a, src + x, P.indexInRange(x, w)).rearrange(EVEN_ODD);
            int i = x / 2;
            ((FloatVector) v.convertShape(VectorOperators.S2F, F, 0)).intoArray(win, evenAt + i, F.indexInRange(i, evens));
            ((FloatVector) v.convertShape(VectorOperators.S2F, F, 1)).intoArray(win, oddAt + i, F.indexInRange(i, odds));
        }
    }


    /**
     * A {@link ConvStage#direct} conv: output position q of the call's rows reads input position q of
     * every channel straight from the arena, widened on the fly.
     */
    private void direct(short[] a, ConvStage s, int r, int n, int dstCs) {
        if (!VectorShapes.WIDE) {
            directNarrow(a, s, r, n, dstCs);
            return;
        }
        float[] w = weights;
        int base = s.in.addr(0, r);
        int cs = s.in.cs;
        int taps = s.taps;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        for (int q = 0; q < npos; q += 2 * L) {
            int vectors = q + L < npos ? 2 : 1;
            geometry(s, q, vectors, r, n);
            int c = 0;
            for (; c + 8 <= channels; c += 8) {
                d8x2(a, base + q, cs, taps, q, npos, w, s.weightScratch + c * taps, acc);
                store(a, s, acc, H, c, 8, vectors, dstCs);
            }
            for (; c < channels; c += 4) {
                d4x2(a, base + q, cs, taps, q, npos, w, s.weightScratch + c * taps, acc);
                store(a, s, acc, H, c, Math.min(4, channels - c), vectors, dstCs);
            }
        }
    }

    /** Positions [q, q + H) of every input channel of a 1x1 conv on narrow vectors, widened (zero past the call's positions). */
    private float[] directWindow = new float[0];
    /** {@code directOffsets[ic] = ic * H}: the input channels are the micro-kernel's taps. */
    private int[] directOffsets = new int[0];

    /**
     * A {@link ConvStage#direct} conv on narrower vectors: each block of 32 positions of every input
     * channel is widened once into {@link #directWindow} (grown to the largest conv on first use),
     * then {@link FloatConvKernel} treats the input channels as taps.
     */
    private void directNarrow(short[] a, ConvStage s, int r, int n, int dstCs) {
        int cin = s.taps;
        if (directOffsets.length < cin) {
            directWindow = new float[cin * H + KernelScratch.SLACK];
            directOffsets = new int[cin];
            for (int ic = 0; ic < cin; ic++) {
                directOffsets[ic] = ic * H;
            }
        }
        if (spreads(s)) {
            directSpread(a, s, r, n, dstCs);
            return;
        }
        float[] win = directWindow;
        float[] w = weights;
        int base = s.in.addr(0, r);
        int cs = s.in.cs;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        for (int q = 0; q < npos; q += H) {
            int vectors = q + L < npos ? 2 : 1;
            fillDirect(a, base, cs, cin, q, npos);
            geometry(s, q, vectors, r, n);
            for (int c = 0; c < channels; ) {
                int k = FloatConvKernel.block(win, directOffsets, cin, 0, vectors, w, s.weightScratch + c * cin,
                        channels - c, acc);
                store(a, s, acc, FloatConvKernel.stride(vectors), c, Math.min(k, channels - c), vectors, dstCs);
                c += k;
            }
        }
    }

    /** Positions {@code [q, q + H)} of every input channel from arena index {@code base} into the direct window, zero past {@code npos}. */
    private void fillDirect(short[] a, int base, int cs, int cin, int q, int npos) {
        float[] win = directWindow;
        int valid = Math.min(H, npos - q);
        for (int ic = 0; ic < cin; ic++) {
            int src = base + ic * cs + q;
            int dst = ic * H;
            for (int i = 0; i < valid; i++) {
                win[dst + i] = a[src + i];
            }
            for (int i = valid; i < H; i++) {
                win[dst + i] = 0f;
            }
        }
    }

    private static void d8x2(short[] a, int p, int cs, int cin, int q, int npos, float[] w,
                             int w0, float[] acc) {
        // masks made here, not passed in: a mask argument of a method C2 does not inline is boxed
        VectorMask<Short> m0 = S.indexInRange(q, npos);
        VectorMask<Short> m1 = S.indexInRange(q + L, npos);
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
        for (int ic = 0; ic < cin; ic++) {
            int i = p + ic * cs;
            FloatVector x0 = ((FloatVector) ShortVector.fromArray(S, a, i, m0).convertShape(VectorOperators.S2F, F, 0));
            FloatVector x1 = ((FloatVector) ShortVector.fromArray(S, a, i + L, m1).convertShape(VectorOperators.S2F, F, 0));
            int k = w0 + ic;
            FloatVector b = FloatVector.broadcast(F, w[k]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            b = FloatVector.broadcast(F, w[k + cin]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            b = FloatVector.broadcast(F, w[k + 2 * cin]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            b = FloatVector.broadcast(F, w[k + 3 * cin]);
            a30 = x0.fma(b, a30);
            a31 = x1.fma(b, a31);
            b = FloatVector.broadcast(F, w[k + 4 * cin]);
            a40 = x0.fma(b, a40);
            a41 = x1.fma(b, a41);
            b = FloatVector.broadcast(F, w[k + 5 * cin]);
            a50 = x0.fma(b, a50);
            a51 = x1.fma(b, a51);
            b = FloatVector.broadcast(F, w[k + 6 * cin]);
            a60 = x0.fma(b, a60);
            a61 = x1.fma(b, a61);
            b = FloatVector.broadcast(F, w[k + 7 * cin]);
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

    private static void d4x2(short[] a, int p, int cs, int cin, int q, int npos, float[] w,
                             int w0, float[] acc) {
        // masks made here, not passed in: a mask argument of a method C2 does not inline is boxed
        VectorMask<Short> m0 = S.indexInRange(q, npos);
        VectorMask<Short> m1 = S.indexInRange(q + L, npos);
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        for (int ic = 0; ic < cin; ic++) {
            int i = p + ic * cs;
            FloatVector x0 = ((FloatVector) ShortVector.fromArray(S, a, i, m0).convertShape(VectorOperators.S2F, F, 0));
            FloatVector x1 = ((FloatVector) ShortVector.fromArray(S, a, i + L, m1).convertShape(VectorOperators.S2F, F, 0));
            int k = w0 + ic;
            FloatVector b = FloatVector.broadcast(F, w[k]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            b = FloatVector.broadcast(F, w[k + cin]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            b = FloatVector.broadcast(F, w[k + 2 * cin]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            b = FloatVector.broadcast(F, w[k + 3 * cin]);
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

    /*
     * Output geometry of the vectors of one block of positions, shared by all its channel blocks.
     * Packed (geoRows[v] < 0, the call's rows lie end to end in the arena, no ring, no pool): the
     * vector's valid lanes (float lane bits geoBits[3v], -1 for all) are compacted and stored with
     * one store at geoOff[3v]; the lanes past them land on positions later vectors or calls of the
     * same channel overwrite, so the store is unmasked except for the last vector of the channel's
     * plane (short lane bits geoBits[3v + 1]). Otherwise the vector covers geoRows[v] (0..3) rows,
     * row k at geoOff[3v + k] with lanes geoBits[3v + k], one masked store each.
     */
    private final int[] geoOff = new int[12];
    private final long[] geoBits = new long[12];
    private final int[] geoRows = new int[4];

    private void geometry(ConvStage s, int q, int vectors, int r, int n) {
        int ow = s.convW;
        int rl = s.rowLength;
        int[] rowDst = s.rowDst;
        // compressing a 16-lane block into one store is the wide path's (compress is AVX-512's)
        boolean packed = VectorShapes.WIDE && !s.pooled && s.out.ring >= s.convH && s.out.rs == ow;
        for (int v = 0; v < 4; v++) {
            int p = q + v * L;
            int rows = 0;
            if (v < vectors && !(n == 1 && p >= ow)) {
                int y0 = n == 1 ? 0 : p / rl;
                int y1 = n == 1 ? 0 : Math.min(n - 1, (p + L - 1) / rl);
                if (y0 < n) {
                    for (int y = y0; y <= y1; y++) {
                        int x = p - y * rl;
                        geoOff[3 * v + rows] = rowDst[y] + x;
                        geoBits[3 * v + rows] = lanes(x, ow);
                        rows++;
                    }
                }
            }
            if (packed && rows > 0) {
                long bits = 0;
                int first = -1;
                for (int k = 0; k < rows; k++) {
                    bits |= geoBits[3 * v + k];
                    if (first < 0 && geoBits[3 * v + k] != 0) {
                        first = k;
                    }
                }
                int count = Long.bitCount(bits);
                if (count == 0) {
                    geoRows[v] = 0;
                    continue;
                }
                // the first valid lane's row and column
                geoOff[3 * v] = geoOff[3 * v + first] + Long.numberOfTrailingZeros(geoBits[3 * v + first]);
                geoBits[3 * v] = bits == (1L << L) - 1 ? -1L : bits;
                int end = geoOff[3 * v] + count - rowDst[0]; // end of the stored values, relative to the call's first row
                int planeEnd = (s.convH - r) * ow;
                geoBits[3 * v + 1] = end + (L - count) <= planeEnd ? -1L : (1L << count) - 1;
                rows = -1;
            }
            geoRows[v] = rows;
        }
    }

    /**
     * Scales, biases, rounds, saturates and stores accumulator block {@code acc[j * stride + v * L + lane]}
     * of channels {@code c0 + rel .. + channels} at the {@link #geometry} of its vectors.
     */
    private void store(short[] a, ConvStage s, float[] acc, int stride, int rel, int channels, int vectors, int dstCs) {
        if (!VectorShapes.WIDE) {
            storeNarrow(a, s, acc, stride, rel, channels, vectors, dstCs);
            return;
        }
        float scale = Math.scalb(1f, -s.norm);
        // y = sum * 2^-norm + bias + 1/2, floored: truncation floors once y >= 0, so layers without
        // ReLU are shifted up by 2^15 while converting; clamped as ints (conversion saturates, and
        // truncating y < 0 still lands on 0, i.e. ReLU or -2^15).
        int up = s.relu ? 0 : 32768;
        int hi = Short.MAX_VALUE + up;
        int bias0 = s.bBase + rel;
        int[] go = geoOff;
        long[] gb = geoBits;
        for (int v = 0; v < vectors; v++) {
            int rows = geoRows[v];
            if (rows == 0) {
                continue;
            }
            int k = 3 * v;
            int o0 = go[k];
            int o1 = go[k + 1];
            int o2 = go[k + 2];
            int at = v * L;
            if (rows < 0) {
                VectorMask<Short> pack = VectorMask.fromLong(S, gb[k]);
                VectorMask<Short> m0 = VectorMask.fromLong(S, gb[k + 1]);
                for (int j = 0; j < channels; j++, at += stride) {
                    float bias = a[bias0 + j] + 0.5f + up;
                    ((ShortVector) ((IntVector) FloatVector.fromArray(F, acc, at).fma(scale, bias)
                            .convertShape(VectorOperators.F2I, I, 0)).max(0).min(hi).sub(up)
                            .convertShape(VectorOperators.I2S, S, 0)).compress(pack)
                            .intoArray(a, o0 + (rel + j) * dstCs, m0);
                }
            } else if (rows == 1) {
                VectorMask<Short> m0 = VectorMask.fromLong(S, gb[k]);
                for (int j = 0; j < channels; j++, at += stride) {
                    float bias = a[bias0 + j] + 0.5f + up;
                    ((ShortVector) ((IntVector) FloatVector.fromArray(F, acc, at).fma(scale, bias)
                            .convertShape(VectorOperators.F2I, I, 0)).max(0).min(hi).sub(up)
                            .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, o0 + (rel + j) * dstCs, m0);
                }
            } else {
                VectorMask<Short> m0 = VectorMask.fromLong(S, gb[k]);
                VectorMask<Short> m1 = VectorMask.fromLong(S, gb[k + 1]);
                VectorMask<Short> m2 = VectorMask.fromLong(S, gb[k + 2]);
                for (int j = 0; j < channels; j++, at += stride) {
                    float bias = a[bias0 + j] + 0.5f + up;
                    ShortVector out = (ShortVector) ((IntVector) FloatVector.fromArray(F, acc, at).fma(scale, bias)
                            .convertShape(VectorOperators.F2I, I, 0)).max(0).min(hi).sub(up)
                            .convertShape(VectorOperators.I2S, S, 0);
                    int d = (rel + j) * dstCs;
                    out.intoArray(a, o0 + d, m0);
                    out.intoArray(a, o1 + d, m1);
                    if (rows > 2) {
                        out.intoArray(a, o2 + d, m2);
                    }
                }
            }
        }
    }

    /** One hardware vector of shorts, for stores of some of its lanes. */
    private final short[] lanesOut = new short[V];
    /** One 16-lane block's epilogue results where lanes do not convert ({@link #storeScalar}). */
    private final int[] lanesInt = new int[L];
    /** 2^23: adding it to a float in [0, 2^22] leaves that float rounded to an integer in the low mantissa bits. */
    private static final float MAGIC = 8388608f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

    /**
     * {@link #store} on narrower vectors: each hardware vector of a 16-lane block goes to every row it
     * covers, whole when all its lanes are valid there, lane by lane otherwise; on SSE (no lane
     * conversions) the epilogue is scalar, the same arithmetic (the scale is a power of two, so
     * {@code sum * scale + bias} rounds once like the fused multiply-add).
     */
    private void storeNarrow(short[] a, ConvStage s, float[] acc, int stride, int rel, int channels, int vectors,
                             int dstCs) {
        if (!VectorShapes.CONVERTS) {
            storeScalar(a, s, acc, stride, rel, channels, vectors, dstCs);
            return;
        }
        float scale = Math.scalb(1f, -s.norm);
        int up = s.relu ? 0 : 32768;
        int hi = Short.MAX_VALUE + up;
        int bias0 = s.bBase + rel;
        long all = (1L << V) - 1;
        short[] tmp = lanesOut;
        for (int v = 0; v < vectors; v++) {
            int rows = geoRows[v];
            for (int h = 0; h < L; h += V) {
                for (int k = 0; k < rows; k++) {
                    long bits = (geoBits[3 * v + k] >>> h) & all;
                    if (bits == 0) {
                        continue;
                    }
                    int o = geoOff[3 * v + k] + h + rel * dstCs;
                    int lo = Long.numberOfTrailingZeros(bits);
                    int end = 64 - Long.numberOfLeadingZeros(bits);
                    int at = v * L + h;
                    for (int j = 0; j < channels; j++, at += stride, o += dstCs) {
                        float bias = a[bias0 + j] + 0.5f + up;
                        if (VectorShapes.CONVERTS) {
                            ShortVector out = (ShortVector) ((IntVector) FloatVector.fromArray(F, acc, at).fma(scale, bias)
                                    .convertShape(VectorOperators.F2I, I, 0)).max(0).min(hi).sub(up)
                                    .convertShape(VectorOperators.I2S, S, 0);
                            if (bits == all) {
                                out.intoArray(a, o);
                                continue;
                            }
                            out.intoArray(tmp, 0);
                            for (int i = lo; i < end; i++) {
                                a[o + i] = tmp[i];
                            }
                        } else {
                            for (int i = lo; i < end; i++) {
                                int y = (int) (acc[at + i] * scale + bias);
                                a[o + i] = (short) (Math.min(Math.max(y, 0), hi) - up);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Bits of the lanes {@code i < L} with {@code 0 <= x + i < ow}. */
    private static long lanes(int x, int ow) {
        int lo = Math.max(0, -x);
        int hi = Math.min(L, ow - x);
        return hi <= lo ? 0L : ((1L << hi) - 1) & -(1L << lo);
    }


    /*
     * 128-bit vectors (FloatConvKernel.BROADCAST: SSE, NEON's width), where a weight broadcast is a
     * shuffle: instead of widening the tile's weights in prepare, each call spreads four channels'
     * weights across vectors (the arena's shorts, converted) into the stage's own part of the
     * weight scratch and runs FloatConvKernel's broadcast micro-kernel, which loads them. That part
     * holds the tile's channels rounded up to four, times its taps: a whole spread block (four
     * channels x taps x V) when the tile has more than twelve channels, else the block is spread a
     * range of taps at a time per block of positions, the sums carried in the accumulator block.
     * The plan's scratch is unchanged.
     */

    /** Words per tap of a spread block of four channels. */
    private static final int SPREAD = FloatConvKernel.broadcastWords(1);

    /** Taps of a spread block that fit in the stage's part of the weight scratch. */
    private static int spreadTaps(ConvStage s) {
        return Math.min(s.taps, (s.c1 - s.c0 + 3) / 4 * 4 * s.taps / SPREAD);
    }

    /** True where this tile's convolution runs on spread weights (ranges of fewer than four taps would reload the sums too often). */
    private static boolean spreads(ConvStage s) {
        return FloatConvKernel.BROADCAST && spreadTaps(s) >= Math.min(s.taps, 4);
    }

    /**
     * Taps {@code [t0, t1)} of channels from arena index {@code src} ({@code [channel][tap]} shorts,
     * {@code channels} of them, 1..4) spread as {@code wb[at + ((t - t0) * 4 + j) * V + lane]};
     * missing channels repeat the last one, so nothing past the tile is read.
     */
    private static void spread(short[] a, int src, int taps, int t0, int t1, int channels, float[] wb, int at) {
        int s1 = src + Math.min(1, channels - 1) * taps;
        int s2 = src + Math.min(2, channels - 1) * taps;
        int s3 = src + Math.min(3, channels - 1) * taps;
        for (int t = t0, k = at; t < t1; t++, k += 4 * V) {
            FloatVector.broadcast(F, (float) a[src + t]).intoArray(wb, k);
            FloatVector.broadcast(F, (float) a[s1 + t]).intoArray(wb, k + V);
            FloatVector.broadcast(F, (float) a[s2 + t]).intoArray(wb, k + 2 * V);
            FloatVector.broadcast(F, (float) a[s3 + t]).intoArray(wb, k + 3 * V);
        }
    }

    /** {@link #convRows} on spread weights (the window filled), blocks of 64 positions. */
    private void spreadRows(short[] a, ConvStage s, int r, int n, int dstCs) {
        float[] win = window;
        float[] wb = weights;
        int[] off = s.tapOffsets;
        int taps = s.taps;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        int ws = s.weightScratch;
        int chunk = spreadTaps(s);
        int block = SPREAD * taps;
        int group = (channels + 3) / 4 * 4 * taps / block;
        if (chunk < taps) {
            for (int q = 0; q < npos; q += FloatConvKernel.POSITIONS) {
                int vectors = Math.min(4, (npos - q + L - 1) / L);
                geometry(s, q, vectors, r, n);
                for (int c = 0; c < channels; c += 4) {
                    int k = Math.min(4, channels - c);
                    for (int t0 = 0; t0 < taps; t0 += chunk) {
                        int t1 = Math.min(taps, t0 + chunk);
                        spread(a, s.wBase + c * taps, taps, t0, t1, k, wb, ws);
                        FloatConvKernel.broadcastTaps(win, off, t0, t1, q, vectors, wb, ws, acc, t0 > 0);
                    }
                    store(a, s, acc, FloatConvKernel.stride(vectors), c, k, vectors, dstCs);
                }
            }
            return;
        }
        // whole blocks: as many as fit spread at once, each spread once per call
        for (int c = 0; c < channels; c += 4 * group) {
            int blocks = Math.min(group, (channels - c + 3) / 4);
            for (int b = 0; b < blocks; b++) {
                spread(a, s.wBase + (c + 4 * b) * taps, taps, 0, taps, Math.min(4, channels - c - 4 * b), wb, ws + b * block);
            }
            for (int q = 0; q < npos; q += FloatConvKernel.POSITIONS) {
                int vectors = Math.min(4, (npos - q + L - 1) / L);
                int stride = FloatConvKernel.stride(vectors);
                geometry(s, q, vectors, r, n);
                for (int b = 0; b < blocks; b++) {
                    FloatConvKernel.broadcastTaps(win, off, 0, taps, q, vectors, wb, ws + b * block, acc, false);
                    store(a, s, acc, stride, c + 4 * b, Math.min(4, channels - c - 4 * b), vectors, dstCs);
                }
            }
        }
    }

    /**
     * {@link #directNarrow} on spread weights: per block of 32 positions widened into the direct
     * window, each block of four channels is spread (a range of taps at a time when the tile is
     * small) and swept.
     */
    private void directSpread(short[] a, ConvStage s, int r, int n, int dstCs) {
        int cin = s.taps;
        float[] win = directWindow;
        float[] wb = weights;
        int base = s.in.addr(0, r);
        int cs = s.in.cs;
        int channels = s.c1 - s.c0;
        int npos = s.positions(n);
        int ws = s.weightScratch;
        int chunk = spreadTaps(s);
        for (int q = 0; q < npos; q += H) {
            int vectors = q + L < npos ? 2 : 1;
            fillDirect(a, base, cs, cin, q, npos);
            geometry(s, q, vectors, r, n);
            for (int c = 0; c < channels; c += 4) {
                int k = Math.min(4, channels - c);
                for (int t0 = 0; t0 < cin; t0 += chunk) {
                    int t1 = Math.min(cin, t0 + chunk);
                    spread(a, s.wBase + c * cin, cin, t0, t1, k, wb, ws);
                    FloatConvKernel.broadcastTaps(win, directOffsets, t0, t1, 0, vectors, wb, ws, acc, t0 > 0);
                }
                store(a, s, acc, FloatConvKernel.stride(vectors), c, k, vectors, dstCs);
            }
        }
    }

    /**
     * {@link #storeNarrow}'s epilogue where lanes do not convert (SSE): {@link #roundClamp} a vector
     * at a time into {@link #lanesInt}, then each row's run of valid lanes stored from there.
     */
    private void storeScalar(short[] a, ConvStage s, float[] acc, int stride, int rel, int channels, int vectors,
                             int dstCs) {
        float scale = Math.scalb(1f, -s.norm);
        int up = s.relu ? 0 : 32768;
        int bias0 = s.bBase + rel;
        int[] out = lanesInt;
        for (int v = 0; v < vectors; v++) {
            int rows = geoRows[v];
            for (int k = 0; k < rows; k++) {
                long bits = geoBits[3 * v + k];
                if (bits == 0) {
                    continue;
                }
                int lo = Long.numberOfTrailingZeros(bits);
                int end = 64 - Long.numberOfLeadingZeros(bits);
                int o = geoOff[3 * v + k] + rel * dstCs;
                int at = v * L;
                for (int j = 0; j < channels; j++, at += stride, o += dstCs) {
                    roundClamp(acc, at, lo & -V, end, scale, a[bias0 + j] + 0.5f + up, up, out);
                    for (int i = lo; i < end; i++) {
                        a[o + i] = (short) out[i];
                    }
                }
            }
        }
    }

    /**
     * {@code out[i] = min(max((int) (acc[at + i] * scale + bias), 0), hi) - up} for {@code i} in
     * {@code [from, end)} rounded up to whole vectors ({@code hi = 32767 + up}), with only float
     * multiply and add and int min, max and shift, which SSE has (no lane conversions): the clamp is
     * an int clamp of the float's bits (non-negative floats order as their bits, negative ones have
     * negative bits), and the truncation of the clamped {@code y} (at most 65535) is
     * {@code y + 2^23}'s low mantissa bits ({@code y} rounded to nearest) less one where that rounded
     * up (the sign bit of {@code y - rounded}).
     */
    static void roundClamp(float[] acc, int at, int from, int end, float scale, float bias, int up, int[] out) {
        FloatVector sc = FloatVector.broadcast(F, scale);
        FloatVector b = FloatVector.broadcast(F, bias);
        FloatVector magic = FloatVector.broadcast(F, MAGIC);
        int hiBits = Float.floatToRawIntBits(Short.MAX_VALUE + up);
        for (int i = from; i < end; i += V) {
            FloatVector y = FloatVector.fromArray(F, acc, at + i).mul(sc).add(b)
                    .reinterpretAsInts().max(0).min(hiBits).reinterpretAsFloats();
            FloatVector t = y.add(magic);
            IntVector down = y.sub(t.sub(magic)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31);
            t.reinterpretAsInts().sub(MAGIC_BITS + up).sub(down).intoArray(out, i);
        }
    }
}
