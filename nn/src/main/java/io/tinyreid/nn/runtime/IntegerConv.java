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
            dense(a, window, rows, s.tapOffsets, s.taps, s.c1 - s.c0, p, s.wBase, s.biasAcc, s.weightWidth);
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
                    zero(w, base, base + s.pl);
                    int d = base + s.pl;
                    if (in.width == 1) {
                        ArenaRows.widen8(a, src, w, d, s.inW);
                    } else {
                        ArenaRows.widen16(a, src, w, d, s.inW);
                    }
                    zero(w, d + s.inW, base + rowLength);
                } else {
                    int sw = s.sw;
                    int phase = s.phaseLength;
                    int padded = s.inW + s.pl + s.pr;
                    for (int ph = 0; ph < sw; ph++) {
                        // phase column i is padded column ph + i * sw, input column ph + i * sw - pl
                        int d = base + ph * phase;
                        int n = (padded - ph + sw - 1) / sw;
                        int i0 = Math.min(n, Math.max(0, (s.pl - ph + sw - 1) / sw));
                        int i1 = Math.max(i0, Math.min(n, (s.inW + s.pl - ph + sw - 1) / sw));
                        zero(w, d, d + i0);
                        int ix = ph + i0 * sw - s.pl;
                        if (in.width == 1) {
                            for (int i = i0; i < i1; i++, ix += sw) {
                                w[d + i] = a[src + ix];
                            }
                        } else {
                            for (int i = i0; i < i1; i++, ix += sw) {
                                w[d + i] = (short) Bytes.I16.get(a, src + 2 * ix);
                            }
                        }
                        zero(w, d + i1, d + n);
                    }
                }
            }
        }
    }

    /**
     * Zeroes {@code w[from, to)}: a row's one or two padding columns by plain stores (a call to
     * {@code Arrays.fill} for them cost 6% of FaceReID on the integer runtime under AVX2), longer runs
     * by {@code Arrays.fill}.
     */
    private static void zero(int[] w, int from, int to) {
        if (to - from > 2) {
            java.util.Arrays.fill(w, from, to, 0);
            return;
        }
        if (from < to) {
            w[from] = 0;
            if (from + 1 < to) {
                w[from + 1] = 0;
            }
        }
    }

    /**
     * The dense conv's register-blocked multiply-adds, int16 or int8 weights ({@code ww} bytes):
     * per pass several output channels by several vectors of positions, every window vector loaded
     * once for all channels and every weight broadcast once for all vectors. Four channels by four
     * vectors on 512 bits (32 registers), six by two on 256 (16 registers), four by two on 128 (SSE
     * has no three-operand forms: fewer live accumulators); then four by two, four by one, and one
     * channel at a time for what is left. Positions are whole vectors ({@link IntegerScratch#LANES}).
     */
    private static void dense(byte[] a, int[] win, int[] out, int[] off, int n, int channels, int pw, int wBase, int[] bias, int ww) {
        int rel = 0;
        if (V == 8) {
            for (; rel + 6 <= channels; rel += 6) {
                for (int x = 0; x < pw; x += 2 * V) {
                    k6x2(a, win, out, off, n, pw, wBase, bias, ww, rel, x);
                }
            }
        }
        for (; rel < channels; rel += 4) {
            // a tile's last one to three channels: the block's other rows repeat its last channel
            // (same weights, same sums, stored twice), not a one-channel loop
            int last = channels - 1;
            int r1 = Math.min(rel + 1, last);
            int r2 = Math.min(rel + 2, last);
            int r3 = Math.min(rel + 3, last);
            int x = 0;
            if (VectorShapes.WIDE) {
                // rows of 5 or 3 vectors (and a last 5 or 3 of longer rows) in one pass: a 4x1 or
                // 4x2 pass after 4x4 broadcasts the same weights again for one or two vectors
                int tail = pw / V % 4 == 1 && pw >= 5 * V ? 5 * V : pw / V % 4 == 3 ? 3 * V : 0;
                for (; x + 4 * V <= pw - tail; x += 4 * V) {
                    k4x4(a, win, out, off, n, pw, wBase, bias, ww, rel, r1, r2, r3, x);
                }
                if (tail == 5 * V) {
                    k4x5(a, win, out, off, n, pw, wBase, bias, ww, rel, r1, r2, r3, x);
                    x += 5 * V;
                } else if (tail == 3 * V) {
                    k4x3(a, win, out, off, n, pw, wBase, bias, ww, rel, r1, r2, r3, x);
                    x += 3 * V;
                }
            }
            for (; x + 2 * V <= pw; x += 2 * V) {
                k4x2(a, win, out, off, n, pw, wBase, bias, ww, rel, r1, r2, r3, x);
            }
            for (; x < pw; x += V) {
                k4x1(a, win, out, off, n, pw, wBase, bias, ww, rel, r1, r2, r3, x);
            }
        }
    }

    private static void k4x4(byte[] a, int[] win, int[] out, int[] off, int n, int pw, int wBase, int[] bias, int ww, int r0, int r1, int r2, int r3, int x) {
        int cs = ww * n;
        int w0 = wBase + r0 * cs;
        int w1 = wBase + r1 * cs;
        int w2 = wBase + r2 * cs;
        int w3 = wBase + r3 * cs;
        IntVector a0 = IntVector.broadcast(I, bias[r0]);
        IntVector a1 = IntVector.broadcast(I, bias[r1]);
        IntVector a2 = IntVector.broadcast(I, bias[r2]);
        IntVector a3 = IntVector.broadcast(I, bias[r3]);
        IntVector b0 = a0;
        IntVector b1 = a1;
        IntVector b2 = a2;
        IntVector b3 = a3;
        IntVector c0 = a0;
        IntVector c1 = a1;
        IntVector c2 = a2;
        IntVector c3 = a3;
        IntVector d0 = a0;
        IntVector d1 = a1;
        IntVector d2 = a2;
        IntVector d3 = a3;
        for (int t = 0; t < n; t++) {
            int o = off[t] + x;
            IntVector u = IntVector.fromArray(I, win, o);
            IntVector v = IntVector.fromArray(I, win, o + V);
            IntVector y = IntVector.fromArray(I, win, o + 2 * V);
            IntVector z = IntVector.fromArray(I, win, o + 3 * V);
            IntVector k = IntVector.broadcast(I, weight(a, w0, t, ww));
            a0 = u.mul(k).add(a0);
            b0 = v.mul(k).add(b0);
            c0 = y.mul(k).add(c0);
            d0 = z.mul(k).add(d0);
            k = IntVector.broadcast(I, weight(a, w1, t, ww));
            a1 = u.mul(k).add(a1);
            b1 = v.mul(k).add(b1);
            c1 = y.mul(k).add(c1);
            d1 = z.mul(k).add(d1);
            k = IntVector.broadcast(I, weight(a, w2, t, ww));
            a2 = u.mul(k).add(a2);
            b2 = v.mul(k).add(b2);
            c2 = y.mul(k).add(c2);
            d2 = z.mul(k).add(d2);
            k = IntVector.broadcast(I, weight(a, w3, t, ww));
            a3 = u.mul(k).add(a3);
            b3 = v.mul(k).add(b3);
            c3 = y.mul(k).add(c3);
            d3 = z.mul(k).add(d3);
        }
        int o0 = r0 * pw + x;
        int o1 = r1 * pw + x;
        int o2 = r2 * pw + x;
        int o3 = r3 * pw + x;
        a0.intoArray(out, o0);
        b0.intoArray(out, o0 + V);
        c0.intoArray(out, o0 + 2 * V);
        d0.intoArray(out, o0 + 3 * V);
        a1.intoArray(out, o1);
        b1.intoArray(out, o1 + V);
        c1.intoArray(out, o1 + 2 * V);
        d1.intoArray(out, o1 + 3 * V);
        a2.intoArray(out, o2);
        b2.intoArray(out, o2 + V);
        c2.intoArray(out, o2 + 2 * V);
        d2.intoArray(out, o2 + 3 * V);
        a3.intoArray(out, o3);
        b3.intoArray(out, o3 + V);
        c3.intoArray(out, o3 + 2 * V);
        d3.intoArray(out, o3 + 3 * V);
    }

    /** {@link #k4x4} for five vectors of positions (26 of AVX-512's 32 registers). */
    private static void k4x5(byte[] a, int[] win, int[] out, int[] off, int n, int pw, int wBase, int[] bias, int ww, int r0, int r1, int r2, int r3, int x) {
        int cs = ww * n;
        int w0 = wBase + r0 * cs;
        int w1 = wBase + r1 * cs;
        int w2 = wBase + r2 * cs;
        int w3 = wBase + r3 * cs;
        IntVector a0 = IntVector.broadcast(I, bias[r0]);
        IntVector a1 = IntVector.broadcast(I, bias[r1]);
        IntVector a2 = IntVector.broadcast(I, bias[r2]);
        IntVector a3 = IntVector.broadcast(I, bias[r3]);
        IntVector b0 = a0;
        IntVector b1 = a1;
        IntVector b2 = a2;
        IntVector b3 = a3;
        IntVector c0 = a0;
        IntVector c1 = a1;
        IntVector c2 = a2;
        IntVector c3 = a3;
        IntVector d0 = a0;
        IntVector d1 = a1;
        IntVector d2 = a2;
        IntVector d3 = a3;
        IntVector e0 = a0;
        IntVector e1 = a1;
        IntVector e2 = a2;
        IntVector e3 = a3;
        for (int t = 0; t < n; t++) {
            int o = off[t] + x;
            IntVector ua = IntVector.fromArray(I, win, o);
            IntVector ub = IntVector.fromArray(I, win, o + V);
            IntVector uc = IntVector.fromArray(I, win, o + 2 * V);
            IntVector ud = IntVector.fromArray(I, win, o + 3 * V);
            IntVector ue = IntVector.fromArray(I, win, o + 4 * V);
            IntVector k = IntVector.broadcast(I, weight(a, w0, t, ww));
            a0 = ua.mul(k).add(a0);
            b0 = ub.mul(k).add(b0);
            c0 = uc.mul(k).add(c0);
            d0 = ud.mul(k).add(d0);
            e0 = ue.mul(k).add(e0);
            k = IntVector.broadcast(I, weight(a, w1, t, ww));
            a1 = ua.mul(k).add(a1);
            b1 = ub.mul(k).add(b1);
            c1 = uc.mul(k).add(c1);
            d1 = ud.mul(k).add(d1);
            e1 = ue.mul(k).add(e1);
            k = IntVector.broadcast(I, weight(a, w2, t, ww));
            a2 = ua.mul(k).add(a2);
            b2 = ub.mul(k).add(b2);
            c2 = uc.mul(k).add(c2);
            d2 = ud.mul(k).add(d2);
            e2 = ue.mul(k).add(e2);
            k = IntVector.broadcast(I, weight(a, w3, t, ww));
            a3 = ua.mul(k).add(a3);
            b3 = ub.mul(k).add(b3);
            c3 = uc.mul(k).add(c3);
            d3 = ud.mul(k).add(d3);
            e3 = ue.mul(k).add(e3);
        }
        int o0 = r0 * pw + x;
        int o1 = r1 * pw + x;
        int o2 = r2 * pw + x;
        int o3 = r3 * pw + x;
        a0.intoArray(out, o0);
        b0.intoArray(out, o0 + V);
        c0.intoArray(out, o0 + 2 * V);
        d0.intoArray(out, o0 + 3 * V);
        e0.intoArray(out, o0 + 4 * V);
        a1.intoArray(out, o1);
        b1.intoArray(out, o1 + V);
        c1.intoArray(out, o1 + 2 * V);
        d1.intoArray(out, o1 + 3 * V);
        e1.intoArray(out, o1 + 4 * V);
        a2.intoArray(out, o2);
        b2.intoArray(out, o2 + V);
        c2.intoArray(out, o2 + 2 * V);
        d2.intoArray(out, o2 + 3 * V);
        e2.intoArray(out, o2 + 4 * V);
        a3.intoArray(out, o3);
        b3.intoArray(out, o3 + V);
        c3.intoArray(out, o3 + 2 * V);
        d3.intoArray(out, o3 + 3 * V);
        e3.intoArray(out, o3 + 4 * V);
    }

    /** {@link #k4x4} for three vectors of positions. */
    private static void k4x3(byte[] a, int[] win, int[] out, int[] off, int n, int pw, int wBase, int[] bias, int ww, int r0, int r1, int r2, int r3, int x) {
        int cs = ww * n;
        int w0 = wBase + r0 * cs;
        int w1 = wBase + r1 * cs;
        int w2 = wBase + r2 * cs;
        int w3 = wBase + r3 * cs;
        IntVector a0 = IntVector.broadcast(I, bias[r0]);
        IntVector a1 = IntVector.broadcast(I, bias[r1]);
        IntVector a2 = IntVector.broadcast(I, bias[r2]);
        IntVector a3 = IntVector.broadcast(I, bias[r3]);
        IntVector b0 = a0;
        IntVector b1 = a1;
        IntVector b2 = a2;
        IntVector b3 = a3;
        IntVector c0 = a0;
        IntVector c1 = a1;
        IntVector c2 = a2;
        IntVector c3 = a3;
        for (int t = 0; t < n; t++) {
            int o = off[t] + x;
            IntVector ua = IntVector.fromArray(I, win, o);
            IntVector ub = IntVector.fromArray(I, win, o + V);
            IntVector uc = IntVector.fromArray(I, win, o + 2 * V);
            IntVector k = IntVector.broadcast(I, weight(a, w0, t, ww));
            a0 = ua.mul(k).add(a0);
            b0 = ub.mul(k).add(b0);
            c0 = uc.mul(k).add(c0);
            k = IntVector.broadcast(I, weight(a, w1, t, ww));
            a1 = ua.mul(k).add(a1);
            b1 = ub.mul(k).add(b1);
            c1 = uc.mul(k).add(c1);
            k = IntVector.broadcast(I, weight(a, w2, t, ww));
            a2 = ua.mul(k).add(a2);
            b2 = ub.mul(k).add(b2);
            c2 = uc.mul(k).add(c2);
            k = IntVector.broadcast(I, weight(a, w3, t, ww));
            a3 = ua.mul(k).add(a3);
            b3 = ub.mul(k).add(b3);
            c3 = uc.mul(k).add(c3);
        }
        int o0 = r0 * pw + x;
        int o1 = r1 * pw + x;
        int o2 = r2 * pw + x;
        int o3 = r3 * pw + x;
        a0.intoArray(out, o0);
        b0.intoArray(out, o0 + V);
        c0.intoArray(out, o0 + 2 * V);
        a1.intoArray(out, o1);
        b1.intoArray(out, o1 + V);
        c1.intoArray(out, o1 + 2 * V);
        a2.intoArray(out, o2);
        b2.intoArray(out, o2 + V);
        c2.intoArray(out, o2 + 2 * V);
        a3.intoArray(out, o3);
        b3.intoArray(out, o3 + V);
        c3.intoArray(out, o3 + 2 * V);
    }

    private static void k6x2(byte[] a, int[] win, int[] out, int[] off, int n, int pw, int wBase, int[] bias, int ww, int rel, int x) {
        int w0 = wBase + ww * rel * n;
        int cs = ww * n;
        IntVector a0 = IntVector.broadcast(I, bias[rel]);
        IntVector a1 = IntVector.broadcast(I, bias[rel + 1]);
        IntVector a2 = IntVector.broadcast(I, bias[rel + 2]);
        IntVector a3 = IntVector.broadcast(I, bias[rel + 3]);
        IntVector a4 = IntVector.broadcast(I, bias[rel + 4]);
        IntVector a5 = IntVector.broadcast(I, bias[rel + 5]);
        IntVector b0 = a0;
        IntVector b1 = a1;
        IntVector b2 = a2;
        IntVector b3 = a3;
        IntVector b4 = a4;
        IntVector b5 = a5;
        for (int t = 0; t < n; t++) {
            int o = off[t] + x;
            IntVector u = IntVector.fromArray(I, win, o);
            IntVector v = IntVector.fromArray(I, win, o + V);
            IntVector k = IntVector.broadcast(I, weight(a, w0, t, ww));
            a0 = u.mul(k).add(a0);
            b0 = v.mul(k).add(b0);
            k = IntVector.broadcast(I, weight(a, w0 + cs, t, ww));
            a1 = u.mul(k).add(a1);
            b1 = v.mul(k).add(b1);
            k = IntVector.broadcast(I, weight(a, w0 + 2 * cs, t, ww));
            a2 = u.mul(k).add(a2);
            b2 = v.mul(k).add(b2);
            k = IntVector.broadcast(I, weight(a, w0 + 3 * cs, t, ww));
            a3 = u.mul(k).add(a3);
            b3 = v.mul(k).add(b3);
            k = IntVector.broadcast(I, weight(a, w0 + 4 * cs, t, ww));
            a4 = u.mul(k).add(a4);
            b4 = v.mul(k).add(b4);
            k = IntVector.broadcast(I, weight(a, w0 + 5 * cs, t, ww));
            a5 = u.mul(k).add(a5);
            b5 = v.mul(k).add(b5);
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
        a4.intoArray(out, o + 4 * pw);
        b4.intoArray(out, o + 4 * pw + V);
        a5.intoArray(out, o + 5 * pw);
        b5.intoArray(out, o + 5 * pw + V);
    }

    private static void k4x2(byte[] a, int[] win, int[] out, int[] off, int n, int pw, int wBase, int[] bias, int ww, int r0, int r1, int r2, int r3, int x) {
        int cs = ww * n;
        int w0 = wBase + r0 * cs;
        int w1 = wBase + r1 * cs;
        int w2 = wBase + r2 * cs;
        int w3 = wBase + r3 * cs;
        IntVector a0 = IntVector.broadcast(I, bias[r0]);
        IntVector a1 = IntVector.broadcast(I, bias[r1]);
        IntVector a2 = IntVector.broadcast(I, bias[r2]);
        IntVector a3 = IntVector.broadcast(I, bias[r3]);
        IntVector b0 = a0;
        IntVector b1 = a1;
        IntVector b2 = a2;
        IntVector b3 = a3;
        for (int t = 0; t < n; t++) {
            int o = off[t] + x;
            IntVector u = IntVector.fromArray(I, win, o);
            IntVector v = IntVector.fromArray(I, win, o + V);
            IntVector k = IntVector.broadcast(I, weight(a, w0, t, ww));
            a0 = u.mul(k).add(a0);
            b0 = v.mul(k).add(b0);
            k = IntVector.broadcast(I, weight(a, w1, t, ww));
            a1 = u.mul(k).add(a1);
            b1 = v.mul(k).add(b1);
            k = IntVector.broadcast(I, weight(a, w2, t, ww));
            a2 = u.mul(k).add(a2);
            b2 = v.mul(k).add(b2);
            k = IntVector.broadcast(I, weight(a, w3, t, ww));
            a3 = u.mul(k).add(a3);
            b3 = v.mul(k).add(b3);
        }
        int o0 = r0 * pw + x;
        int o1 = r1 * pw + x;
        int o2 = r2 * pw + x;
        int o3 = r3 * pw + x;
        a0.intoArray(out, o0);
        b0.intoArray(out, o0 + V);
        a1.intoArray(out, o1);
        b1.intoArray(out, o1 + V);
        a2.intoArray(out, o2);
        b2.intoArray(out, o2 + V);
        a3.intoArray(out, o3);
        b3.intoArray(out, o3 + V);
    }

    private static void k4x1(byte[] a, int[] win, int[] out, int[] off, int n, int pw, int wBase, int[] bias, int ww, int r0, int r1, int r2, int r3, int x) {
        int cs = ww * n;
        int w0 = wBase + r0 * cs;
        int w1 = wBase + r1 * cs;
        int w2 = wBase + r2 * cs;
        int w3 = wBase + r3 * cs;
        IntVector a0 = IntVector.broadcast(I, bias[r0]);
        IntVector a1 = IntVector.broadcast(I, bias[r1]);
        IntVector a2 = IntVector.broadcast(I, bias[r2]);
        IntVector a3 = IntVector.broadcast(I, bias[r3]);
        for (int t = 0; t < n; t++) {
            IntVector u = IntVector.fromArray(I, win, off[t] + x);
            a0 = u.mul(weight(a, w0, t, ww)).add(a0);
            a1 = u.mul(weight(a, w1, t, ww)).add(a1);
            a2 = u.mul(weight(a, w2, t, ww)).add(a2);
            a3 = u.mul(weight(a, w3, t, ww)).add(a3);
        }
        int o0 = r0 * pw + x;
        int o1 = r1 * pw + x;
        int o2 = r2 * pw + x;
        int o3 = r3 * pw + x;
        a0.intoArray(out, o0);
        a1.intoArray(out, o1);
        a2.intoArray(out, o2);
        a3.intoArray(out, o3);
    }

    /**
     * Weight {@code t} of the channel whose weights start at byte {@code base}: int8 or int16. Each
     * branch indexes with a constant scale, so C2 hoists the loop-invariant test out of the tap
     * loop and the bounds checks out of the loop.
     */
    private static int weight(byte[] a, int base, int t, int ww) {
        return ww == 1 ? a[base + t] : (short) Bytes.I16.get(a, base + 2 * t);
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
