package io.tinyreid.nn.runtime;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import io.tinyreid.nn.plan.IntegerScratch;

/**
 * The integer runtime's convolution kernel, int16 or int8 in the byte arena. For one output row of
 * a tile it copies the input rows the row reads into an int32 window (zero-padded, split by stride
 * phase so each tap reads a contiguous run), then sums {@code (bias << norm) + x * w} in wrapping
 * 32-bit lanes, eight output columns per vector and four output channels at a time (one window load
 * for four multiply-adds). Wrapping sums do not depend on their order, so this equals
 * {@code IntegerReference}'s plain loop bit for bit. The epilogue rounds once
 * ({@code ((acc >> (norm-1)) + 1) >> 1}, which is {@code (acc + 2^(norm-1)) >> norm} without
 * overflow), saturates to the output's width and applies the ReLU, leaving int rows for the stage
 * to store, pool or add.
 */
final class IntegerConv {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final int L = IntegerScratch.LANES;

    private final int[] window;
    /** The tile's output row: channel {@code rel} at {@code rel * paddedWidth}. */
    final int[] rows;
    /** The arena as a segment, for int16 vector loads from bytes. */
    private final MemorySegment seg;
    /** Direct path: per input row (channel, kernel row) inside the image, its byte offset minus the left padding, and its first tap. */
    private final int[] rowOff;
    private final int[] tapOf;

    IntegerConv(byte[] arena, int windowInts, int rowInts, int inputRows) {
        window = new int[Math.max(L, windowInts)];
        rows = new int[Math.max(L, rowInts)];
        seg = MemorySegment.ofArray(arena);
        rowOff = new int[Math.max(1, inputRows)];
        tapOf = new int[Math.max(1, inputRows)];
        if (I.length() != L) {
            throw new IllegalStateException("vector species has " + I.length() + " lanes, the plan counts " + L);
        }
    }

    /** Computes output row {@code r} (before pooling) of the stage's current tile into {@link #rows}. */
    void convRow(byte[] a, IntegerConvStage s, int r) {
        int pw = s.paddedWidth;
        if (s.direct) {
            direct(a, s, r);
        } else if (s.groups == 1) {
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

    /**
     * Stride-1 convs of kernel width 1 or 3 whose input and weights have one width: vector loads
     * straight from the arena, masked at the image's left and right edges (a masked lane reads
     * zero), rows outside the image skipped; no window to fill.
     */
    private void direct(byte[] a, IntegerConvStage s, int r) {
        Region in = s.in;
        int rows = 0;
        for (int ic = 0; ic < s.inPerGroup; ic++) {
            for (int ky = 0; ky < s.kh; ky++) {
                int iy = r - s.pt + ky;
                if (iy >= 0 && iy < s.inH) {
                    rowOff[rows] = in.at(ic, iy, 0) - s.pl * in.width;
                    tapOf[rows] = (ic * s.kh + ky) * s.kw;
                    rows++;
                }
            }
        }
        int ch = s.c1 - s.c0;
        if (in.width == 1) {
            if (s.kw == 1) {
                direct1x8(a, seg, rowOff, tapOf, rows, s.taps, ch, s.convW, s.inW, s.pl, s.wBase, s.biasAcc, this.rows, s.paddedWidth);
            } else {
                direct3x8(a, seg, rowOff, tapOf, rows, s.taps, ch, s.convW, s.inW, s.pl, s.wBase, s.biasAcc, this.rows, s.paddedWidth);
            }
        } else if (s.kw == 1) {
            direct1x16(a, seg, rowOff, tapOf, rows, s.taps, ch, s.convW, s.inW, s.pl, s.wBase, s.biasAcc, this.rows, s.paddedWidth);
        } else {
            direct3x16(a, seg, rowOff, tapOf, rows, s.taps, ch, s.convW, s.inW, s.pl, s.wBase, s.biasAcc, this.rows, s.paddedWidth);
        }
    }

    private static void direct1x8(byte[] a, MemorySegment seg, int[] rowOff, int[] tapOf, int rows, int n, int channels, int ow,
                                    int inW, int pl, int wBase, int[] bias, int[] out, int pw) {
        int wn = n;
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Byte> m0 = B.indexInRange(x - pl, inW);
                IntVector acc0 = IntVector.broadcast(I, bias[rel]);
                IntVector acc1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector acc2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector acc3 = IntVector.broadcast(I, bias[rel + 3]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int wk = w0 + tapOf[j];
                    IntVector v0 = ((IntVector) ByteVector.fromArray(B, a, base, m0).convertShape(VectorOperators.B2I, I, 0));
                    acc0 = v0.mul(a[wk]).add(acc0);
                    acc1 = v0.mul(a[wk + wn]).add(acc1);
                    acc2 = v0.mul(a[wk + 2 * wn]).add(acc2);
                    acc3 = v0.mul(a[wk + 3 * wn]).add(acc3);
                }
                int o = rel * pw + x;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + pw);
                acc2.intoArray(out, o + 2 * pw);
                acc3.intoArray(out, o + 3 * pw);
            }
        }
        for (; rel < channels; rel++) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Byte> m0 = B.indexInRange(x - pl, inW);
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int wk = w0 + tapOf[j];
                    acc = ((IntVector) ByteVector.fromArray(B, a, base, m0).convertShape(VectorOperators.B2I, I, 0)).mul(a[wk]).add(acc);
                }
                acc.intoArray(out, rel * pw + x);
            }
        }
    }

    private static void direct3x8(byte[] a, MemorySegment seg, int[] rowOff, int[] tapOf, int rows, int n, int channels, int ow,
                                    int inW, int pl, int wBase, int[] bias, int[] out, int pw) {
        int wn = n;
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Byte> m0 = B.indexInRange(x - pl, inW);
                VectorMask<Byte> m1 = B.indexInRange(x - pl + 1, inW);
                VectorMask<Byte> m2 = B.indexInRange(x - pl + 2, inW);
                IntVector acc0 = IntVector.broadcast(I, bias[rel]);
                IntVector acc1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector acc2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector acc3 = IntVector.broadcast(I, bias[rel + 3]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int wk = w0 + tapOf[j];
                    IntVector v0 = ((IntVector) ByteVector.fromArray(B, a, base, m0).convertShape(VectorOperators.B2I, I, 0));
                    IntVector v1 = ((IntVector) ByteVector.fromArray(B, a, base + 1, m1).convertShape(VectorOperators.B2I, I, 0));
                    IntVector v2 = ((IntVector) ByteVector.fromArray(B, a, base + 2, m2).convertShape(VectorOperators.B2I, I, 0));
                    acc0 = v0.mul(a[wk]).add(v1.mul(a[wk + 1])).add(v2.mul(a[wk + 2])).add(acc0);
                    acc1 = v0.mul(a[wk + wn]).add(v1.mul(a[wk + wn + 1])).add(v2.mul(a[wk + wn + 2])).add(acc1);
                    acc2 = v0.mul(a[wk + 2 * wn]).add(v1.mul(a[wk + 2 * wn + 1])).add(v2.mul(a[wk + 2 * wn + 2])).add(acc2);
                    acc3 = v0.mul(a[wk + 3 * wn]).add(v1.mul(a[wk + 3 * wn + 1])).add(v2.mul(a[wk + 3 * wn + 2])).add(acc3);
                }
                int o = rel * pw + x;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + pw);
                acc2.intoArray(out, o + 2 * pw);
                acc3.intoArray(out, o + 3 * pw);
            }
        }
        for (; rel < channels; rel++) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Byte> m0 = B.indexInRange(x - pl, inW);
                VectorMask<Byte> m1 = B.indexInRange(x - pl + 1, inW);
                VectorMask<Byte> m2 = B.indexInRange(x - pl + 2, inW);
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int wk = w0 + tapOf[j];
                    acc = ((IntVector) ByteVector.fromArray(B, a, base, m0).convertShape(VectorOperators.B2I, I, 0)).mul(a[wk])
                            .add(((IntVector) ByteVector.fromArray(B, a, base + 1, m1).convertShape(VectorOperators.B2I, I, 0)).mul(a[wk + 1]))
                            .add(((IntVector) ByteVector.fromArray(B, a, base + 2, m2).convertShape(VectorOperators.B2I, I, 0)).mul(a[wk + 2])).add(acc);
                }
                acc.intoArray(out, rel * pw + x);
            }
        }
    }

    private static void direct1x16(byte[] a, MemorySegment seg, int[] rowOff, int[] tapOf, int rows, int n, int channels, int ow,
                                    int inW, int pl, int wBase, int[] bias, int[] out, int pw) {
        int wn = n * 2;
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                IntVector acc0 = IntVector.broadcast(I, bias[rel]);
                IntVector acc1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector acc2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector acc3 = IntVector.broadcast(I, bias[rel + 3]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x * 2;
                    int wk = w0 + tapOf[j] * 2;
                    IntVector v0 = ((IntVector) ShortVector.fromMemorySegment(S, seg, base, ByteOrder.LITTLE_ENDIAN, m0).convertShape(VectorOperators.S2I, I, 0));
                    acc0 = v0.mul((short) Bytes.I16.get(a, wk)).add(acc0);
                    acc1 = v0.mul((short) Bytes.I16.get(a, wk + wn)).add(acc1);
                    acc2 = v0.mul((short) Bytes.I16.get(a, wk + 2 * wn)).add(acc2);
                    acc3 = v0.mul((short) Bytes.I16.get(a, wk + 3 * wn)).add(acc3);
                }
                int o = rel * pw + x;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + pw);
                acc2.intoArray(out, o + 2 * pw);
                acc3.intoArray(out, o + 3 * pw);
            }
        }
        for (; rel < channels; rel++) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x * 2;
                    int wk = w0 + tapOf[j] * 2;
                    acc = ((IntVector) ShortVector.fromMemorySegment(S, seg, base, ByteOrder.LITTLE_ENDIAN, m0).convertShape(VectorOperators.S2I, I, 0)).mul((short) Bytes.I16.get(a, wk)).add(acc);
                }
                acc.intoArray(out, rel * pw + x);
            }
        }
    }

    private static void direct3x16(byte[] a, MemorySegment seg, int[] rowOff, int[] tapOf, int rows, int n, int channels, int ow,
                                    int inW, int pl, int wBase, int[] bias, int[] out, int pw) {
        int wn = n * 2;
        int rel = 0;
        for (; rel + 4 <= channels; rel += 4) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                VectorMask<Short> m1 = S.indexInRange(x - pl + 1, inW);
                VectorMask<Short> m2 = S.indexInRange(x - pl + 2, inW);
                IntVector acc0 = IntVector.broadcast(I, bias[rel]);
                IntVector acc1 = IntVector.broadcast(I, bias[rel + 1]);
                IntVector acc2 = IntVector.broadcast(I, bias[rel + 2]);
                IntVector acc3 = IntVector.broadcast(I, bias[rel + 3]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x * 2;
                    int wk = w0 + tapOf[j] * 2;
                    IntVector v0 = ((IntVector) ShortVector.fromMemorySegment(S, seg, base, ByteOrder.LITTLE_ENDIAN, m0).convertShape(VectorOperators.S2I, I, 0));
                    IntVector v1 = ((IntVector) ShortVector.fromMemorySegment(S, seg, base + 2, ByteOrder.LITTLE_ENDIAN, m1).convertShape(VectorOperators.S2I, I, 0));
                    IntVector v2 = ((IntVector) ShortVector.fromMemorySegment(S, seg, base + 4, ByteOrder.LITTLE_ENDIAN, m2).convertShape(VectorOperators.S2I, I, 0));
                    acc0 = v0.mul((short) Bytes.I16.get(a, wk)).add(v1.mul((short) Bytes.I16.get(a, wk + 2))).add(v2.mul((short) Bytes.I16.get(a, wk + 4))).add(acc0);
                    acc1 = v0.mul((short) Bytes.I16.get(a, wk + wn)).add(v1.mul((short) Bytes.I16.get(a, wk + wn + 2))).add(v2.mul((short) Bytes.I16.get(a, wk + wn + 4))).add(acc1);
                    acc2 = v0.mul((short) Bytes.I16.get(a, wk + 2 * wn)).add(v1.mul((short) Bytes.I16.get(a, wk + 2 * wn + 2))).add(v2.mul((short) Bytes.I16.get(a, wk + 2 * wn + 4))).add(acc2);
                    acc3 = v0.mul((short) Bytes.I16.get(a, wk + 3 * wn)).add(v1.mul((short) Bytes.I16.get(a, wk + 3 * wn + 2))).add(v2.mul((short) Bytes.I16.get(a, wk + 3 * wn + 4))).add(acc3);
                }
                int o = rel * pw + x;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + pw);
                acc2.intoArray(out, o + 2 * pw);
                acc3.intoArray(out, o + 3 * pw);
            }
        }
        for (; rel < channels; rel++) {
            int w0 = wBase + rel * wn;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                VectorMask<Short> m1 = S.indexInRange(x - pl + 1, inW);
                VectorMask<Short> m2 = S.indexInRange(x - pl + 2, inW);
                IntVector acc = IntVector.broadcast(I, bias[rel]);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x * 2;
                    int wk = w0 + tapOf[j] * 2;
                    acc = ((IntVector) ShortVector.fromMemorySegment(S, seg, base, ByteOrder.LITTLE_ENDIAN, m0).convertShape(VectorOperators.S2I, I, 0)).mul((short) Bytes.I16.get(a, wk))
                            .add(((IntVector) ShortVector.fromMemorySegment(S, seg, base + 2, ByteOrder.LITTLE_ENDIAN, m1).convertShape(VectorOperators.S2I, I, 0)).mul((short) Bytes.I16.get(a, wk + 2)))
                            .add(((IntVector) ShortVector.fromMemorySegment(S, seg, base + 4, ByteOrder.LITTLE_ENDIAN, m2).convertShape(VectorOperators.S2I, I, 0)).mul((short) Bytes.I16.get(a, wk + 4))).add(acc);
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
