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
 * multiply-adds. Inputs come from the int line buffer (padded, stride-split) or, for 1x1 unpadded
 * convs, straight from the arena. The two input paths are separate loops: a vector merged from two
 * branches would be boxed by C2.
 */
final class FastConv implements ConvKernel {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final int L = I.length();

    private final int[] line;
    private final int[] offsets;
    private final int[] acc = new int[4 * L];

    FastConv(int lineInts, int maxTaps) {
        line = new int[lineInts + 2 * L];
        offsets = new int[maxTaps];
    }

    @Override
    public void convRow(short[] a, ConvStage s, int r, int dst, int dstCs) {
        int n = s.taps;
        int norm = s.norm;
        int rnd = norm > 0 ? 1 << (norm - 1) : 0;
        int lo = s.relu ? 0 : Short.MIN_VALUE;
        if (s.lineBuffer) {
            s.fillLine(line, r);
            fromLine(a, line, s.tapOffsets, n, s.c0, s.c1, s.convW, s.wBase, s.bBase, rnd, norm, lo, dst, dstCs);
        } else {
            // 1x1, stride 1, no padding: tap ic reads row r of channel ic in the arena.
            int[] off = offsets;
            for (int ic = 0; ic < n; ic++) {
                off[ic] = s.in.addr(ic, r);
            }
            fromArena(a, off, n, s.c0, s.c1, s.convW, s.wBase, s.bBase, rnd, norm, lo, dst, dstCs);
        }
    }

    private void fromLine(short[] a, int[] src, int[] off, int n, int c0, int c1, int ow, int wBase, int bBase,
                                 int rnd, int norm, int lo, int dst, int dstCs) {
        int[] acc = this.acc;
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
                acc0.intoArray(acc, 0);
                acc1.intoArray(acc, L);
                acc2.intoArray(acc, 2 * L);
                acc3.intoArray(acc, 3 * L);
                finish(a, acc, 4, bBase + rel, rnd, norm, lo, dst + rel * dstCs + x, dstCs, Math.min(L, ow - x));
            }
        }
        for (; oc < c1; oc++) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                IntVector sum = IntVector.zero(I);
                for (int t = 0; t < n; t++) {
                    sum = IntVector.fromArray(I, src, off[t] + x).mul(a[w0 + t]).add(sum);
                }
                sum.intoArray(acc, 0);
                finish(a, acc, 1, bBase + rel, rnd, norm, lo, dst + rel * dstCs + x, dstCs, Math.min(L, ow - x));
            }
        }
    }

    private void fromArena(short[] a, int[] off, int n, int c0, int c1, int ow, int wBase, int bBase,
                                  int rnd, int norm, int lo, int dst, int dstCs) {
        int[] acc = this.acc;
        int oc = c0;
        for (; oc + 4 <= c1; oc += 4) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m = S.indexInRange(x, ow);
                IntVector acc0 = IntVector.zero(I);
                IntVector acc1 = IntVector.zero(I);
                IntVector acc2 = IntVector.zero(I);
                IntVector acc3 = IntVector.zero(I);
                for (int t = 0; t < n; t++) {
                    IntVector v = (IntVector) ShortVector.fromArray(S, a, off[t] + x, m).convertShape(VectorOperators.S2I, I, 0);
                    acc0 = v.mul(a[w0 + t]).add(acc0);
                    acc1 = v.mul(a[w0 + n + t]).add(acc1);
                    acc2 = v.mul(a[w0 + 2 * n + t]).add(acc2);
                    acc3 = v.mul(a[w0 + 3 * n + t]).add(acc3);
                }
                acc0.intoArray(acc, 0);
                acc1.intoArray(acc, L);
                acc2.intoArray(acc, 2 * L);
                acc3.intoArray(acc, 3 * L);
                finish(a, acc, 4, bBase + rel, rnd, norm, lo, dst + rel * dstCs + x, dstCs, Math.min(L, ow - x));
            }
        }
        for (; oc < c1; oc++) {
            int rel = oc - c0;
            int w0 = wBase + rel * n;
            for (int x = 0; x < ow; x += L) {
                VectorMask<Short> m = S.indexInRange(x, ow);
                IntVector sum = IntVector.zero(I);
                for (int t = 0; t < n; t++) {
                    IntVector v = (IntVector) ShortVector.fromArray(S, a, off[t] + x, m).convertShape(VectorOperators.S2I, I, 0);
                    sum = v.mul(a[w0 + t]).add(sum);
                }
                sum.intoArray(acc, 0);
                finish(a, acc, 1, bBase + rel, rnd, norm, lo, dst + rel * dstCs + x, dstCs, Math.min(L, ow - x));
            }
        }
    }

    /**
     * Scalar epilogue (kept out of the vector loop so C2 inlines the whole loop body): one rounding
     * shift per dot product, bias, saturation, ReLU, for {@code channels} rows of {@code L} lanes.
     */
    private static void finish(short[] a, int[] acc, int channels, int bias, int rnd, int norm, int lo, int d, int dstCs,
                               int lanes) {
        for (int c = 0; c < channels; c++) {
            int b = a[bias + c];
            int row = d + c * dstCs;
            for (int k = 0; k < lanes; k++) {
                int v = ((acc[c * L + k] + rnd) >> norm) + b;
                a[row + k] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(v, lo));
            }
        }
    }
}
