package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.KernelScratch;
import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A fused conv + ReLU (+ max pool) op at run time, producing output rows on demand. With a pool,
 * pre-pool rows go to a ring of {@code pool.kernel} rows and are pooled as soon as a window is
 * complete, so the pre-pool tensor never exists whole. All geometry is plain ints for the kernels.
 */
final class ConvStage {
    final FusedOp.ConvPool op;
    final short[] a;
    final ConvKernel kernel;
    // conv geometry
    final int cin;
    final int kh;
    final int kw;
    final int sh;
    final int sw;
    final int pt;
    final int pl;
    final int inH;
    final int inW;
    final int convH;
    final int convW;
    final int norm;
    final boolean relu;
    final int taps;
    // the kernel's input window (KernelScratch): rows of all input channels, zero-padded, split by stride phase
    /** 1x1, stride 1, unpadded: the kernel reads input rows straight from the arena, no window. */
    final boolean direct;
    /** Output rows per kernel call. */
    final int rowsPerCall;
    /** Input rows per channel in the window. */
    final int windowRows;
    final int rowLength;
    final int phaseLength;
    /** Per tap (ic, ky, kx): offset in the window of the input read by output position 0. */
    final int[] tapOffsets;
    /** Where this stage's widened tile weights start in the kernel's weight scratch. */
    final int weightScratch;
    // data
    final View in;
    final RowStream source;
    final View out;
    // fused pool
    final boolean pooled;
    final int pk;
    final int ps;
    final int ppt;
    final int ppl;
    final int outH;
    final int outW;
    final View poolRows;
    /** Per row of a kernel call: arena index of its first value in channel c0. */
    final int[] rowDst;
    // current tile
    int c0;
    int c1;
    int wBase;
    int bBase;
    private int done;
    private int convDone;

    ConvStage(FusedOp.ConvPool op, short[] a, ConvKernel kernel, View in, RowStream source, View out, View poolRows,
              int weightScratch) {
        this.op = op;
        this.a = a;
        this.kernel = kernel;
        Conv2d c = op.conv();
        cin = c.inPerGroup();
        if (c.groups() != 1) {
            throw new UnsupportedOperationException("layer " + c.name() + ": grouped convolution has no int16 kernel yet");
        }
        kh = c.kernelH();
        kw = c.kernelW();
        sh = c.strideH();
        sw = c.strideW();
        pt = c.padding().top();
        pl = c.padding().left();
        inH = c.input().shape().height();
        inW = c.input().shape().width();
        convH = c.output().shape().height();
        convW = c.output().shape().width();
        norm = c.norm();
        if (norm < 0 || norm > 31) {
            throw new UnsupportedOperationException("layer " + c.name() + ": shift " + norm + " outside 0..31");
        }
        relu = c.activation() == Activation.RELU;
        taps = cin * kh * kw;
        this.in = in;
        this.source = source;
        this.out = out;
        this.poolRows = poolRows;
        this.weightScratch = weightScratch;
        direct = KernelScratch.direct(c);
        rowsPerCall = KernelScratch.rowsPerCall(op, source != null, out.ring < op.storage().shape().height());
        windowRows = KernelScratch.windowRows(c, rowsPerCall);
        rowLength = KernelScratch.rowLength(c);
        phaseLength = KernelScratch.phaseLength(c);
        tapOffsets = new int[taps];
        for (int ic = 0; ic < cin; ic++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    tapOffsets[(ic * kh + ky) * kw + kx] = (ic * windowRows + ky) * rowLength + (kx % sw) * phaseLength + kx / sw;
                }
            }
        }
        rowDst = new int[rowsPerCall];
        pooled = op.pool() != null;
        pk = pooled ? op.pool().kernel() : 1;
        ps = pooled ? op.pool().stride() : 1;
        ppt = pooled ? op.pool().padding().top() : 0;
        ppl = pooled ? op.pool().padding().left() : 0;
        outH = op.outHeight();
        outW = pooled ? op.pool().output().shape().width() : convW;
    }

    /** Output positions of a call computing {@code n} rows (row {@code y}, column {@code x} is {@code y * rowLength + x}). */
    int positions(int n) {
        return (n - 1) * rowLength + convW;
    }

    /** Selects output channels {@code [c0, c1)} whose weights and biases are at the given arena indices. */
    void tile(int c0, int c1, int wBase, int bBase) {
        this.c0 = c0;
        this.c1 = c1;
        this.wBase = wBase;
        this.bBase = bBase;
        done = 0;
        convDone = 0;
        kernel.prepare(a, this);
    }

    /** Computes output rows up to {@code y} (pooled rows when a pool is fused). */
    void ensure(int y) {
        while (done <= y) {
            if (pooled) {
                int need = Math.min(convH - 1, done * ps - ppt + pk - 1);
                while (convDone <= need) {
                    int n = Math.min(rowsPerCall, need - convDone + 1);
                    for (int k = 0; k < n; k++) {
                        rowDst[k] = poolRows.addr(0, convDone + k);
                    }
                    conv(convDone, n, poolRows.cs);
                    convDone += n;
                }
                pool(done);
                done++;
            } else {
                int n = Math.min(rowsPerCall, convH - done);
                for (int k = 0; k < n; k++) {
                    rowDst[k] = out.addr(c0, done + k);
                }
                conv(done, n, out.cs);
                done += n;
            }
        }
    }

    private void conv(int r, int n, int dstCs) {
        if (source != null) {
            int lo = Math.max(0, r * sh - pt);
            int hi = Math.min(inH - 1, (r + n - 1) * sh - pt + kh - 1);
            source.ensure(lo, hi);
        }
        kernel.convRows(a, this, r, n, dstCs);
    }

    private void pool(int py) {
        // the 3x3 stride-2 vector pool keeps even lanes with a 32-short permute: the wide path's
        if (pk == 3 && ps == 2 && ppt == 0 && ppl == 0) {
            if (VectorShapes.WIDE) {
                pool3x3s2(py);
            } else {
                pool3x3s2Plain(py);
            }
            return;
        }
        short[] a = this.a;
        int rLo = py * ps - ppt;
        for (int oc = c0; oc < c1; oc++) {
            int dst = out.addr(oc, py);
            for (int px = 0; px < outW; px++) {
                int m = Short.MIN_VALUE;
                int xLo = px * ps - ppl;
                for (int ky = 0; ky < pk; ky++) {
                    int r = rLo + ky;
                    if (r < 0 || r >= convH) {
                        continue;
                    }
                    int src = poolRows.addr(oc - c0, r);
                    for (int kx = 0; kx < pk; kx++) {
                        int x = xLo + kx;
                        if (x >= 0 && x < convW) {
                            m = Math.max(m, a[src + x]);
                        }
                    }
                }
                a[dst + px] = (short) m;
            }
        }
    }

    private static final VectorSpecies<Short> P = VectorShapes.SHORT;
    /** Lanes 0, 2, 4, ... of a vector into its first half. */
    private static final VectorShuffle<Short> EVEN = VectorShuffle.fromOp(P, i -> 2 * i % P.length());

    /**
     * The unpadded 3x3 stride-2 max pool (FaceReID's): the maximum of three rows and three columns
     * starting at every column, 32 columns at a time, whose even lanes are the 16 outputs. Lanes past
     * the row read whatever follows it in the arena: they only reach odd lanes and outputs past
     * {@code outW}, which are dropped (the masked path is for rows at the very end of the arena). Only
     * 512-bit short vectors here: this code also runs in exact mode, in JVMs where other shapes are
     * hot, and a reinterpretation between shapes stopped being intrinsified there (app tests).
     */
    private void pool3x3s2(int py) {
        short[] a = this.a;
        int half = P.length() / 2;
        int r = 2 * py;
        int dst0 = out.addr(c0, py);
        int row0 = poolRows.addr(0, r);
        int row1 = poolRows.addr(0, r + 1);
        int row2 = poolRows.addr(0, r + 2);
        int channels = c1 - c0;
        int last = Math.max(row0, Math.max(row1, row2)) + (channels - 1) * poolRows.cs + 2 * (outW - 1) + 2 + P.length();
        if (last > a.length) {
            pool3x3s2Masked(py);
            return;
        }
        for (int px = 0; px < outW; px += half) {
            int x = 2 * px;
            VectorMask<Short> keep = P.indexInRange(0, Math.min(half, outW - px));
            for (int c = 0; c < channels; c++) {
                int s0 = row0 + c * poolRows.cs + x;
                int s1 = row1 + c * poolRows.cs + x;
                int s2 = row2 + c * poolRows.cs + x;
                ShortVector m = ShortVector.fromArray(P, a, s0).max(ShortVector.fromArray(P, a, s1))
                        .max(ShortVector.fromArray(P, a, s2));
                m = m.max(ShortVector.fromArray(P, a, s0 + 1).max(ShortVector.fromArray(P, a, s1 + 1))
                        .max(ShortVector.fromArray(P, a, s2 + 1)));
                m = m.max(ShortVector.fromArray(P, a, s0 + 2).max(ShortVector.fromArray(P, a, s1 + 2))
                        .max(ShortVector.fromArray(P, a, s2 + 2)));
                m.rearrange(EVEN).intoArray(a, dst0 + c * out.cs + px, keep);
            }
        }
    }

    /**
     * The unpadded 3x3 stride-2 max pool on narrower vectors, by plain loops: each output's last
     * column maximum is the next one's first, so an output costs two columns of three rows (no
     * bounds tests per tap, unlike the general pool: 30% of {@code fast} under AVX2 went there).
     */
    private void pool3x3s2Plain(int py) {
        short[] a = this.a;
        int r = 2 * py;
        int dst0 = out.addr(c0, py);
        int row0 = poolRows.addr(0, r);
        int row1 = poolRows.addr(0, r + 1);
        int row2 = poolRows.addr(0, r + 2);
        for (int c = 0; c < c1 - c0; c++) {
            int s0 = row0 + c * poolRows.cs;
            int s1 = row1 + c * poolRows.cs;
            int s2 = row2 + c * poolRows.cs;
            int dst = dst0 + c * out.cs;
            int m = Math.max(a[s0], Math.max(a[s1], a[s2]));
            for (int px = 0; px < outW; px++) {
                int x = 2 * px;
                int m1 = Math.max(a[s0 + x + 1], Math.max(a[s1 + x + 1], a[s2 + x + 1]));
                int m2 = Math.max(a[s0 + x + 2], Math.max(a[s1 + x + 2], a[s2 + x + 2]));
                a[dst + px] = (short) Math.max(m, Math.max(m1, m2));
                m = m2;
            }
        }
    }

    private void pool3x3s2Masked(int py) {
        short[] a = this.a;
        int half = P.length() / 2;
        int r = 2 * py;
        int dst0 = out.addr(c0, py);
        int row0 = poolRows.addr(0, r);
        int row1 = poolRows.addr(0, r + 1);
        int row2 = poolRows.addr(0, r + 2);
        for (int c = 0; c < c1 - c0; c++) {
            int dst = dst0 + c * out.cs;
            int s0 = row0 + c * poolRows.cs;
            int s1 = row1 + c * poolRows.cs;
            int s2 = row2 + c * poolRows.cs;
            for (int px = 0; px < outW; px += half) {
                int x = 2 * px;
                ShortVector m = ShortVector.broadcast(P, Short.MIN_VALUE);
                for (int k = 0; k < 3; k++) {
                    VectorMask<Short> in = P.indexInRange(x + k, convW);
                    m = m.max(ShortVector.fromArray(P, a, s0 + x + k, in)).max(ShortVector.fromArray(P, a, s1 + x + k, in))
                            .max(ShortVector.fromArray(P, a, s2 + x + k, in));
                }
                m.rearrange(EVEN).intoArray(a, dst + px, P.indexInRange(0, Math.min(half, outW - px)));
            }
        }
    }
}
