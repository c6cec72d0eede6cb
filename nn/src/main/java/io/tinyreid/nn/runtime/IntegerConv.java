package io.tinyreid.nn.runtime;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import io.tinyreid.nn.plan.IntegerScratch;

/**
 * The integer runtime's convolution kernel, int16 or int8 in the byte arena. For one output row of
 * a tile it copies the input rows the row reads into an int32 window (zero-padded, split by stride
 * phase so each tap reads a contiguous run), then sums {@code (bias << norm) + x * w} in wrapping
 * 32-bit lanes, sixteen output columns per vector and four output channels at a time (one window load
 * for four multiply-adds). Wrapping sums do not depend on their order, so this equals
 * {@code IntegerReference}'s plain loop bit for bit. The epilogue rounds once
 * ({@code ((acc >> (norm-1)) + 1) >> 1}, which is {@code (acc + 2^(norm-1)) >> norm} without
 * overflow), saturates to the output's width and applies the ReLU, leaving int rows for the stage
 * to store, pool or add.
 */
final class IntegerConv {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512; // the species ExactConv uses: one IntVector shape per JVM keeps both intrinsified
    private static final int L = IntegerScratch.LANES;

    private final int[] window;
    /** The tile's output row: channel {@code rel} at {@code rel * paddedWidth}. */
    final int[] rows;
    IntegerConv(int windowInts, int rowInts) {
        window = new int[Math.max(L, windowInts)];
        rows = new int[Math.max(L, rowInts)];
        if (I.length() != L) {
            throw new IllegalStateException("vector species has " + I.length() + " lanes, the plan counts " + L);
        }
    }

    /** Computes output row {@code r} (before pooling) of the stage's current tile into {@link #rows}. */
    void convRow(byte[] a, IntegerConvStage s, int r) {
        int pw = s.paddedWidth;
        if (s.groups == 1) {
            fill(a, s, r);
            if (s.weightWidth == 1) {
                dense8(a, window, rows, s.tapOffsets, s.taps, s.c1 - s.c0, pw, s.wBase, s.biasAcc);
            } else {
                dense16(a, window, rows, s.tapOffsets, s.taps, s.c1 - s.c0, pw, s.wBase, s.biasAcc);
            }
        } else {
            fill(a, s, r);
            grouped(a, s);
        }
        int[] norm = s.norm;
        for (int rel = 0; rel < s.c1 - s.c0; rel++) {
            epilogue(rows, rel * pw, pw, norm[s.c0 + rel], s.late[rel], s.lo, s.hi);
        }
    }

    /**
     * The input rows of output row {@code r}: channel {@code ic - firstChannel}, kernel row
     * {@code ky}, at {@code (ic * kh + ky) * rowLength}, padded column {@code px} at
     * {@code (px % sw) * phaseLength + px / sw}.
     */
    private void fill(byte[] a, IntegerConvStage s, int r) {
        int[] w = window;
        Region in = s.in;
        int first = s.firstInputChannel();
        int count = s.inputChannels();
        int rowLength = s.rowLength;
        for (int icl = 0; icl < count; icl++) {
            for (int ky = 0; ky < s.kh; ky++) {
                int base = (icl * s.kh + ky) * rowLength;
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
                    for (int px = 0; px < padded; px++) {
                        int ix = px - s.pl;
                        int v = ix < 0 || ix >= s.inW ? 0 : Bytes.get(a, src + ix * in.width, in.width);
                        w[base + (px % sw) * phase + px / sw] = v;
                    }
                }
            }
        }
    }

    private static void dense8(byte[] a, int[] win, int[] out, int[] off, int n, int channels, int pw, int wBase, int[] bias) {
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + rel * n;
            for (int x = 0; x < pw; x += L) {
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
            for (int x = 0; x < pw; x += L) {
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int t = 0; t < n; t++) {
                    acc = IntVector.fromArray(I, win, off[t] + x).mul(a[w0 + t]).add(acc);
                }
                acc.intoArray(out, rel * pw + x);
            }
        }
    }

    private static void dense16(byte[] a, int[] win, int[] out, int[] off, int n, int channels, int pw, int wBase, int[] bias) {
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + 2 * rel * n;
            int w1 = w0 + 2 * n;
            int w2 = w1 + 2 * n;
            int w3 = w2 + 2 * n;
            for (int x = 0; x < pw; x += L) {
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
            for (int x = 0; x < pw; x += L) {
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
        int pw = s.paddedWidth;
        int[] off = s.tapOffsets;
        int g0 = s.c0 / s.outPerGroup;
        int block = s.inPerGroup * s.kh * s.rowLength;
        int ww = s.weightWidth;
        for (int rel = 0; rel < s.c1 - s.c0; rel++) {
            int gb = ((s.c0 + rel) / s.outPerGroup - g0) * block;
            int w0 = s.wBase + ww * rel * n;
            for (int x = 0; x < pw; x += L) {
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
            for (int x = 0; x < pw; x += L) {
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
