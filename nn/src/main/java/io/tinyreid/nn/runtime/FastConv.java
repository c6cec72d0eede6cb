package io.tinyreid.nn.runtime;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fast int16: the whole dot product of an output value (all input channels and taps) is summed in
 * one 32-bit int, then shifted with rounding once, biased, saturated and ReLU'd. Vectorised over 8
 * output columns, four output channels at a time so each input vector is loaded once for four
 * multiply-adds. Stride-1 convs of width 1 or 3 read the arena directly (masked loads give the
 * zero padding); others read the int line buffer (padded, split by stride phase). Each path is its
 * own loop with the epilogue written inline: a vector passed to a method C2 does not inline, or
 * merged from two branches, would be boxed.
 */
final class FastConv implements ConvKernel {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final int L = I.length();

    private final int[] line;
    private final int[] offsets;
    private final int[] weightOffsets;

    FastConv(int lineInts, int maxInputRows) {
        line = new int[lineInts + 2 * L];
        offsets = new int[maxInputRows];
        weightOffsets = new int[maxInputRows];
    }

    @Override
    public void convRow(short[] a, ConvStage s, int r, int dst, int dstCs) {
        int norm = s.norm;
        int rnd = norm > 0 ? 1 << (norm - 1) : 0;
        int lo = s.relu ? 0 : Short.MIN_VALUE;
        if (s.lineBuffer) {
            s.fillLine(line, r);
            fromLine(a, line, s.tapOffsets, s.taps, s.c0, s.c1, s.convW, s.wBase, s.bBase, rnd, norm, lo, dst, dstCs);
            return;
        }
        // Stride 1, kernel width 1 or 3: read the arena directly. Rows outside the image are skipped;
        // columns outside it are masked off (a masked lane loads zero).
        int[] rowOff = offsets;
        int[] wOff = weightOffsets;
        int rows = 0;
        for (int ic = 0; ic < s.cin; ic++) {
            for (int ky = 0; ky < s.kh; ky++) {
                int iy = r - s.pt + ky;
                if (iy >= 0 && iy < s.inH) {
                    rowOff[rows] = s.in.addr(ic, iy) - s.pl;
                    wOff[rows] = (ic * s.kh + ky) * s.kw;
                    rows++;
                }
            }
        }
        if (s.kw == 1) {
            direct1(a, rowOff, wOff, rows, s.taps, s.c0, s.c1, s.convW, s.inW, s.pl, s.wBase, s.bBase, rnd, norm, lo, dst, dstCs);
        } else {
            direct3(a, rowOff, wOff, rows, s.taps, s.c0, s.c1, s.convW, s.inW, s.pl, s.wBase, s.bBase, rnd, norm, lo, dst, dstCs);
        }
    }

    private static void fromLine(short[] a, int[] src, int[] off, int n, int c0, int c1, int ow, int wBase, int bBase,
                                 int rnd, int norm, int lo, int dst, int dstCs) {
        int done = fromLineBlocks(a, src, off, n, c0, c1, ow, wBase, bBase, rnd, norm, lo, dst, dstCs);
        if (done < c1) {
            fromLineSingle(a, src, off, n, c0, done, c1, ow, wBase, bBase, rnd, norm, lo, dst, dstCs);
        }
    }

    private static int fromLineBlocks(short[] a, int[] src, int[] off, int n, int c0, int c1, int ow, int wBase, int bBase,
                                 int rnd, int norm, int lo, int dst, int dstCs) {
        int oc = c0;
        for (; oc + 4 <= c1; oc += 4) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                IntVector acc0 = IntVector.zero(I);
                IntVector acc1 = IntVector.zero(I);
                IntVector acc2 = IntVector.zero(I);
                IntVector acc3 = IntVector.zero(I);
                for (int t = 0; t < n; t++) {
                    IntVector v = IntVector.fromArray(I, src, off[t] + x);
                    acc0 = v.mul(a[w0 + t]).add(acc0);
                    acc1 = v.mul(a[w0 + n + t]).add(acc1);
                    acc2 = v.mul(a[w0 + 2 * n + t]).add(acc2);
                    acc3 = v.mul(a[w0 + 3 * n + t]).add(acc3);
                }
                VectorMask<Short> m = S.indexInRange(x, ow);
                int d = dst + rel * dstCs + x;
                ((ShortVector) acc0.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d, m);
                ((ShortVector) acc1.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 1]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + dstCs, m);
                ((ShortVector) acc2.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 2]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + 2 * dstCs, m);
                ((ShortVector) acc3.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 3]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + 3 * dstCs, m);
            }
        }
        return oc;
    }

    private static void fromLineSingle(short[] a, int[] src, int[] off, int n, int c0, int first, int c1, int ow, int wBase, int bBase,
                                 int rnd, int norm, int lo, int dst, int dstCs) {
        for (int oc = first; oc < c1; oc++) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                IntVector sum = IntVector.zero(I);
                for (int t = 0; t < n; t++) {
                    sum = IntVector.fromArray(I, src, off[t] + x).mul(a[w0 + t]).add(sum);
                }
                VectorMask<Short> m = S.indexInRange(x, ow);
                ((ShortVector) sum.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, dst + rel * dstCs + x, m);
            }
        }
    }

    /** Stride-1 conv of kernel width 1, four output channels at a time, inputs loaded from the arena. */
    private static void direct1(short[] a, int[] rowOff, int[] wOff, int rows, int n, int c0, int c1, int ow, int inW,
                                int pl, int wBase, int bBase, int rnd, int norm, int lo, int dst, int dstCs) {
        int done = direct1Blocks(a, rowOff, wOff, rows, n, c0, c1, ow, inW, pl, wBase, bBase, rnd, norm, lo, dst, dstCs);
        if (done < c1) {
            direct1Single(a, rowOff, wOff, rows, n, c0, done, c1, ow, inW, pl, wBase, bBase, rnd, norm, lo, dst, dstCs);
        }
    }

    private static int direct1Blocks(short[] a, int[] rowOff, int[] wOff, int rows, int n, int c0, int c1, int ow, int inW,
                                int pl, int wBase, int bBase, int rnd, int norm, int lo, int dst, int dstCs) {
        int oc = c0;
        for (; oc + 4 <= c1; oc += 4) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m = S.indexInRange(x, ow);
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                IntVector acc0 = IntVector.zero(I);
                IntVector acc1 = IntVector.zero(I);
                IntVector acc2 = IntVector.zero(I);
                IntVector acc3 = IntVector.zero(I);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int w = w0 + wOff[j];
                    IntVector v0 = (IntVector) ShortVector.fromArray(S, a, base, m0).convertShape(VectorOperators.S2I, I, 0);
                    acc0 = v0.mul(a[w]).add(acc0);
                    acc1 = v0.mul(a[w + n]).add(acc1);
                    acc2 = v0.mul(a[w + 2 * n]).add(acc2);
                    acc3 = v0.mul(a[w + 3 * n]).add(acc3);
                }
                int d = dst + rel * dstCs + x;
                ((ShortVector) acc0.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d, m);
                ((ShortVector) acc1.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 1]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + dstCs, m);
                ((ShortVector) acc2.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 2]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + 2 * dstCs, m);
                ((ShortVector) acc3.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 3]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + 3 * dstCs, m);
            }
        }
        return oc;
    }

    private static void direct1Single(short[] a, int[] rowOff, int[] wOff, int rows, int n, int c0, int first, int c1, int ow, int inW,
                                int pl, int wBase, int bBase, int rnd, int norm, int lo, int dst, int dstCs) {
        for (int oc = first; oc < c1; oc++) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m = S.indexInRange(x, ow);
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                IntVector sum = IntVector.zero(I);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int w = w0 + wOff[j];
                    IntVector v0 = (IntVector) ShortVector.fromArray(S, a, base, m0).convertShape(VectorOperators.S2I, I, 0);
                    sum = v0.mul(a[w]).add(sum);
                }
                ((ShortVector) sum.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, dst + rel * dstCs + x, m);
            }
        }
    }

    /** Stride-1 conv of kernel width 3, four output channels at a time, inputs loaded from the arena. */
    private static void direct3(short[] a, int[] rowOff, int[] wOff, int rows, int n, int c0, int c1, int ow, int inW,
                                int pl, int wBase, int bBase, int rnd, int norm, int lo, int dst, int dstCs) {
        int done = direct3Blocks(a, rowOff, wOff, rows, n, c0, c1, ow, inW, pl, wBase, bBase, rnd, norm, lo, dst, dstCs);
        if (done < c1) {
            direct3Single(a, rowOff, wOff, rows, n, c0, done, c1, ow, inW, pl, wBase, bBase, rnd, norm, lo, dst, dstCs);
        }
    }

    private static int direct3Blocks(short[] a, int[] rowOff, int[] wOff, int rows, int n, int c0, int c1, int ow, int inW,
                                int pl, int wBase, int bBase, int rnd, int norm, int lo, int dst, int dstCs) {
        int oc = c0;
        for (; oc + 4 <= c1; oc += 4) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m = S.indexInRange(x, ow);
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                VectorMask<Short> m1 = S.indexInRange(x - pl + 1, inW);
                VectorMask<Short> m2 = S.indexInRange(x - pl + 2, inW);
                IntVector acc0 = IntVector.zero(I);
                IntVector acc1 = IntVector.zero(I);
                IntVector acc2 = IntVector.zero(I);
                IntVector acc3 = IntVector.zero(I);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int w = w0 + wOff[j];
                    IntVector v0 = (IntVector) ShortVector.fromArray(S, a, base, m0).convertShape(VectorOperators.S2I, I, 0);
                    IntVector v1 = (IntVector) ShortVector.fromArray(S, a, base + 1, m1).convertShape(VectorOperators.S2I, I, 0);
                    IntVector v2 = (IntVector) ShortVector.fromArray(S, a, base + 2, m2).convertShape(VectorOperators.S2I, I, 0);
                    acc0 = v0.mul(a[w]).add(v1.mul(a[w + 1])).add(v2.mul(a[w + 2])).add(acc0);
                    acc1 = v0.mul(a[w + n]).add(v1.mul(a[w + n + 1])).add(v2.mul(a[w + n + 2])).add(acc1);
                    acc2 = v0.mul(a[w + 2 * n]).add(v1.mul(a[w + 2 * n + 1])).add(v2.mul(a[w + 2 * n + 2])).add(acc2);
                    acc3 = v0.mul(a[w + 3 * n]).add(v1.mul(a[w + 3 * n + 1])).add(v2.mul(a[w + 3 * n + 2])).add(acc3);
                }
                int d = dst + rel * dstCs + x;
                ((ShortVector) acc0.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d, m);
                ((ShortVector) acc1.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 1]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + dstCs, m);
                ((ShortVector) acc2.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 2]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + 2 * dstCs, m);
                ((ShortVector) acc3.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel + 3]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, d + 3 * dstCs, m);
            }
        }
        return oc;
    }

    private static void direct3Single(short[] a, int[] rowOff, int[] wOff, int rows, int n, int c0, int first, int c1, int ow, int inW,
                                int pl, int wBase, int bBase, int rnd, int norm, int lo, int dst, int dstCs) {
        for (int oc = first; oc < c1; oc++) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m = S.indexInRange(x, ow);
                VectorMask<Short> m0 = S.indexInRange(x - pl, inW);
                VectorMask<Short> m1 = S.indexInRange(x - pl + 1, inW);
                VectorMask<Short> m2 = S.indexInRange(x - pl + 2, inW);
                IntVector sum = IntVector.zero(I);
                for (int j = 0; j < rows; j++) {
                    int base = rowOff[j] + x;
                    int w = w0 + wOff[j];
                    IntVector v0 = (IntVector) ShortVector.fromArray(S, a, base, m0).convertShape(VectorOperators.S2I, I, 0);
                    IntVector v1 = (IntVector) ShortVector.fromArray(S, a, base + 1, m1).convertShape(VectorOperators.S2I, I, 0);
                    IntVector v2 = (IntVector) ShortVector.fromArray(S, a, base + 2, m2).convertShape(VectorOperators.S2I, I, 0);
                    sum = v0.mul(a[w]).add(v1.mul(a[w + 1])).add(v2.mul(a[w + 2])).add(sum);
                }
                ((ShortVector) sum.add(rnd).lanewise(VectorOperators.ASHR, norm).add(a[bBase + rel]).max(lo).min(Short.MAX_VALUE)
                        .convertShape(VectorOperators.I2S, S, 0)).intoArray(a, dst + rel * dstCs + x, m);
            }
        }
    }
}
