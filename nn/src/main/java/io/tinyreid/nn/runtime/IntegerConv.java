package io.tinyreid.nn.runtime;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import io.tinyreid.nn.plan.IntegerScratch;
import io.tinyreid.nn.simd.VectorShapes;

/**
 * The integer runtime's convolution kernel, int16 or int8 in the byte arena. For one output row of
 * a tile it copies the input rows the row reads into an int32 window (zero-padded, split by stride
 * phase so each tap reads a contiguous run), then sums {@code (bias << norm) + x * w} in wrapping
 * 32-bit lanes, a vector of output columns (16, 8 or 4: {@link VectorShapes}) and four output channels at a time (one window load
 * for four multiply-adds). Wrapping sums do not depend on their order, so this equals
 * {@code IntegerReference}'s plain loop bit for bit. The epilogue rounds once
 * ({@code ((acc >> (norm-1)) + 1) >> 1}, which is {@code (acc + 2^(norm-1)) >> norm} without
 * overflow), saturates to the output's width and applies the ReLU, leaving int rows for the stage
 * to store, pool or add.
 */
final class IntegerConv {
    /** The species every int kernel uses ({@link VectorShapes}): one IntVector shape per JVM keeps all intrinsified. */
    private static final VectorSpecies<Integer> I = VectorShapes.INT;
    /** Positions are planned in blocks of 16 on every machine (rows of a multiple of 16 ints). */
    private static final int L = IntegerScratch.LANES;
    /** Lanes of a hardware vector (16, 8 or 4): the kernels step through a block's positions by this. */
    private static final int V = VectorShapes.LANES;

    private final int[] window;
    /** The tile's output rows: channel {@code rel} of the current block at {@code rel * positions}, see {@link #at}. */
    final int[] rows;
    /** The window holds rows {@code [filledStart, filledEnd)} of this stage's input, channels from {@code filledFirst}. */
    private IntegerConvStage filledBy;
    private int filledStart;
    private int filledEnd;
    private int filledFirst;
    /** {@link #rows} holds output rows {@code [blockStart, blockEnd)} of this stage's current tile. */
    private IntegerConvStage blockOf;
    private int blockStart;
    private int blockEnd;
    /** Offset of the current row within each channel's positions. */
    private int rowOffset;
    private int positions;

    IntegerConv(int windowInts, int rowInts) {
        window = new int[Math.max(L, windowInts)];
        rows = new int[Math.max(L, rowInts)];
        if (L % V != 0) {
            throw new IllegalStateException("vectors of " + V + " lanes do not divide the plan's blocks of " + L);
        }
    }

    /** A new inference: the arena's inputs changed, so the window must be filled again. */
    void newRun() {
        filledBy = null;
        blockOf = null;
    }

    /** A new tile or band of a stage: the output rows held are stale. */
    void newTile() {
        blockOf = null;
    }

    /** Start in {@link #rows} of output channel {@code rel} of the tile for the row {@link #convRow} last asked for. */
    int at(int rel) {
        return rel * positions + rowOffset;
    }

    /**
     * Makes output row {@code r} (before pooling) of the stage's current tile readable at
     * {@link #at}: computes the block of rows from {@code r} (at most to row {@code last}, the
     * last this pass of the stage needs, so a block never reads input rows the pass did not load).
     */
    void convRow(byte[] a, IntegerConvStage s, int r, int last) {
        if (blockOf == s && r >= blockStart && r < blockEnd) {
            rowOffset = (r - blockStart) * (s.blockRows == 1 ? s.sh : 1) * s.rowLength;
            return;
        }
        int end = Math.max(r + 1, Math.min(r + s.blockRows, last + 1));
        int first = s.firstInputChannel();
        if (filledBy != s || filledStart != r || filledEnd != end || filledFirst != first) {
            fill(a, s, r, end);
            filledBy = s;
            filledStart = r;
            filledEnd = end;
            filledFirst = first;
        }
        int p = s.positions;
        if (s.groups == 1) {
            if (s.weightWidth == 1) {
                dense8(a, window, rows, s.tapOffsets, s.taps, s.c1 - s.c0, p, s.wBase, s.biasAcc);
            } else {
                dense16(a, window, rows, s.tapOffsets, s.taps, s.c1 - s.c0, p, s.wBase, s.biasAcc);
            }
        } else {
            grouped(a, s);
        }
        int[] norm = s.norm;
        for (int rel = 0; rel < s.c1 - s.c0; rel++) {
            epilogue(rows, rel * p, p, norm[s.c0 + rel], s.late[rel], s.lo, s.hi);
        }
        blockOf = s;
        blockStart = r;
        blockEnd = end;
        positions = p;
        rowOffset = 0;
    }

    /**
     * The input rows of output rows {@code [r, end)}: channel {@code ic - firstChannel}, window row
     * {@code k} (input row {@code r * sh - pt + k}), at {@code (ic * windowRows + k) * rowLength},
     * padded column {@code px} at {@code (px % sw) * phaseLength + px / sw}.
     */
    private void fill(byte[] a, IntegerConvStage s, int r, int end) {
        int[] w = window;
        Region in = s.in;
        int first = s.firstInputChannel();
        int count = s.inputChannels();
        int rowLength = s.rowLength;
        int rowsRead = (end - r - 1) * s.sh + s.kh;
        for (int icl = 0; icl < count; icl++) {
            for (int ky = 0; ky < rowsRead; ky++) {
                int base = (icl * s.windowRows + s.windowRow(ky)) * rowLength;
                int iy = r * s.sh - s.pt + ky;
                if (iy < 0 || iy >= s.inH) {
                    java.util.Arrays.fill(w, base, base + rowLength, 0);
                    continue;
                }
                int src = in.at(first + icl, iy, 0);
                if (s.sw == 1) {
                    java.util.Arrays.fill(w, base, base + s.pl, 0);
                    int d = base + s.pl;
                    if (in.width == 1) {
                        for (int x = 0; x < s.inW; x++) {
                            w[d + x] = a[src + x];
                        }
                    } else {
                        for (int x = 0; x < s.inW; x++) {
                            w[d + x] = (short) Bytes.I16.get(a, src + 2 * x);
                        }
                    }
                    java.util.Arrays.fill(w, d + s.inW, base + rowLength, 0);
                } else {
                    int sw = s.sw;
                    int phase = s.phaseLength;
                    int padded = s.inW + s.pl + s.pr;
                    int iw = in.width;
                    for (int ph = 0; ph < sw; ph++) {
                        int d = base + ph * phase;
                        int i = 0;
                        for (int px = ph; px < padded; px += sw, i++) {
                            int ix = px - s.pl;
                            w[d + i] = ix < 0 || ix >= s.inW ? 0 : iw == 2 ? (short) Bytes.I16.get(a, src + 2 * ix) : a[src + ix];
                        }
                    }
                }
            }
        }
    }

    private static void dense8(byte[] a, int[] win, int[] out, int[] off, int n, int channels, int pw, int wBase, int[] bias) {
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + rel * n;
            for (int x = 0; x < pw; x += V) {
                IntVector acc0 = IntVector.broadcast(I, bias[rel]);
                IntVector acc1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector acc2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector acc3 = IntVector.broadcast(I, bias[rel + 3]);
                for (int t = 0; t < n; t++) {
                    IntVector v = IntVector.fromArray(I, win, off[t] + x);
                    acc0 = v.mul(a[w0 + t]).add(acc0);
                    acc1 = v.mul(a[w0 + n + t]).add(acc1);
                    acc2 = v.mul(a[w0 + 2 * n + t]).add(acc2);
                    acc3 = v.mul(a[w0 + 3 * n + t]).add(acc3);
                }
                int o = rel * pw + x;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + pw);
                acc2.intoArray(out, o + 2 * pw);
                acc3.intoArray(out, o + 3 * pw);
            }
        }
        for (; rel < channels; rel++) {
            int w0 = wBase + rel * n;
            for (int x = 0; x < pw; x += V) {
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int t = 0; t < n; t++) {
                    acc = IntVector.fromArray(I, win, off[t] + x).mul(a[w0 + t]).add(acc);
                }
                acc.intoArray(out, rel * pw + x);
            }
        }
    }

    /**
     * Four output channels by two vectors of positions per pass (eight accumulators: each window
     * load serves four channels, each broadcast weight two vectors), then what is left one vector or
     * one channel at a time.
     */
    private static void dense16(byte[] a, int[] win, int[] out, int[] off, int n, int channels, int pw, int wBase, int[] bias) {
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + 2 * rel * n;
            int w1 = w0 + 2 * n;
            int w2 = w1 + 2 * n;
            int w3 = w2 + 2 * n;
            int x = 0;
            for (; x + 2 * V <= pw; x += 2 * V) {
                IntVector a0 = IntVector.broadcast(I, bias[rel]);
                IntVector a1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector a2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector a3 = IntVector.broadcast(I, bias[rel + 3]);
                IntVector b0 = a0;
                IntVector b1 = a1;
                IntVector b2 = a2;
                IntVector b3 = a3;
                for (int t = 0; t < n; t++) {
                    int o = off[t] + x;
                    IntVector u = IntVector.fromArray(I, win, o);
                    IntVector v = IntVector.fromArray(I, win, o + V);
                    IntVector k0 = IntVector.broadcast(I, (short) Bytes.I16.get(a, w0 + 2 * t));
                    IntVector k1 = IntVector.broadcast(I, (short) Bytes.I16.get(a, w1 + 2 * t));
                    IntVector k2 = IntVector.broadcast(I, (short) Bytes.I16.get(a, w2 + 2 * t));
                    IntVector k3 = IntVector.broadcast(I, (short) Bytes.I16.get(a, w3 + 2 * t));
                    a0 = u.mul(k0).add(a0);
                    b0 = v.mul(k0).add(b0);
                    a1 = u.mul(k1).add(a1);
                    b1 = v.mul(k1).add(b1);
                    a2 = u.mul(k2).add(a2);
                    b2 = v.mul(k2).add(b2);
                    a3 = u.mul(k3).add(a3);
                    b3 = v.mul(k3).add(b3);
                }
                int o = rel * pw + x;
                a0.intoArray(out, o);
                b0.intoArray(out, o + V);
                a1.intoArray(out, o + pw);
                b1.intoArray(out, o + pw + V);
                a2.intoArray(out, o + 2 * pw);
                b2.intoArray(out, o + 2 * pw + V);
                a3.intoArray(out, o + 3 * pw);
                b3.intoArray(out, o + 3 * pw + V);
            }
            for (; x < pw; x += V) {
                IntVector acc0 = IntVector.broadcast(I, bias[rel]);
                IntVector acc1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector acc2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector acc3 = IntVector.broadcast(I, bias[rel + 3]);
                for (int t = 0; t < n; t++) {
                    IntVector v = IntVector.fromArray(I, win, off[t] + x);
                    acc0 = v.mul((short) Bytes.I16.get(a, w0 + 2 * t)).add(acc0);
                    acc1 = v.mul((short) Bytes.I16.get(a, w1 + 2 * t)).add(acc1);
                    acc2 = v.mul((short) Bytes.I16.get(a, w2 + 2 * t)).add(acc2);
                    acc3 = v.mul((short) Bytes.I16.get(a, w3 + 2 * t)).add(acc3);
                }
                int o = rel * pw + x;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + pw);
                acc2.intoArray(out, o + 2 * pw);
                acc3.intoArray(out, o + 3 * pw);
            }
        }
        for (; rel < channels; rel++) {
            int w0 = wBase + 2 * rel * n;
            int x = 0;
            for (; x + 2 * V <= pw; x += 2 * V) {
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                IntVector bcc = acc;
                for (int t = 0; t < n; t++) {
                    int o = off[t] + x;
                    IntVector k = IntVector.broadcast(I, (short) Bytes.I16.get(a, w0 + 2 * t));
                    acc = IntVector.fromArray(I, win, o).mul(k).add(acc);
                    bcc = IntVector.fromArray(I, win, o + V).mul(k).add(bcc);
                }
                acc.intoArray(out, rel * pw + x);
                bcc.intoArray(out, rel * pw + x + V);
            }
            for (; x < pw; x += V) {
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int t = 0; t < n; t++) {
                    acc = IntVector.fromArray(I, win, off[t] + x).mul((short) Bytes.I16.get(a, w0 + 2 * t)).add(acc);
                }
                acc.intoArray(out, rel * pw + x);
            }
        }
    }

    /** Grouped (e.g. depthwise) convolutions: each output channel reads its group's block of the window. */
    private void grouped(byte[] a, IntegerConvStage s) {
        int n = s.taps;
        int pw = s.positions;
        int[] off = s.tapOffsets;
        int g0 = s.c0 / s.outPerGroup;
        int block = s.inPerGroup * s.windowRows * s.rowLength;
        int ww = s.weightWidth;
        for (int rel = 0; rel < s.c1 - s.c0; rel++) {
            int gb = ((s.c0 + rel) / s.outPerGroup - g0) * block;
            int w0 = s.wBase + ww * rel * n;
            for (int x = 0; x < pw; x += V) {
                IntVector acc = IntVector.broadcast(I, s.biasAcc[rel]);
                for (int t = 0; t < n; t++) {
                    acc = IntVector.fromArray(I, window, gb + off[t] + x).mul(Bytes.get(a, w0 + ww * t, ww)).add(acc);
                }
                acc.intoArray(rows, rel * pw + x);
            }
        }
    }

    /** Rounds once, adds a late bias for a negative shift, saturates to {@code [lo, hi]} (ReLU: lo = 0). */
    private static void epilogue(int[] rows, int start, int pw, int norm, int late, int lo, int hi) {
        if (norm > 0) {
            for (int x = 0; x < pw; x += V) {
                IntVector.fromArray(I, rows, start + x).lanewise(VectorOperators.ASHR, norm - 1).add(1)
                        .lanewise(VectorOperators.ASHR, 1).max(lo).min(hi).intoArray(rows, start + x);
            }
        } else {
            for (int x = 0; x < pw; x++) {
                rows[start + x] = Bytes.clamp(((long) rows[start + x] << -norm) + late, lo, hi);
            }
        }
    }
}
