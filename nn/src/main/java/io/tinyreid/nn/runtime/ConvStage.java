package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.KernelScratch;

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
    final boolean lineBuffer;
    final int rowLength;
    final int phaseLength;
    /** Per tap (ic, ky, kx): offset of its first input value in the line buffer. */
    final int[] tapOffsets;
    /** Per kx: first and one-past-last output column whose input column is inside the image. */
    final int[] x0;
    final int[] x1;
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
    // current tile
    int c0;
    int c1;
    int wBase;
    int bBase;
    private int done;
    private int convDone;

    ConvStage(FusedOp.ConvPool op, short[] a, ConvKernel kernel, View in, RowStream source, View out, View poolRows) {
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
        lineBuffer = KernelScratch.needsLineBuffer(c);
        rowLength = KernelScratch.rowLength(c);
        phaseLength = KernelScratch.phaseLength(c);
        tapOffsets = new int[taps];
        for (int ic = 0; ic < cin; ic++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    tapOffsets[(ic * kh + ky) * kw + kx] = (ic * kh + ky) * rowLength + (kx % sw) * phaseLength + kx / sw;
                }
            }
        }
        x0 = new int[kw];
        x1 = new int[kw];
        for (int kx = 0; kx < kw; kx++) {
            x0[kx] = Math.max(0, -Math.floorDiv(-(pl - kx), sw));
            x1[kx] = Math.min(convW, -Math.floorDiv(-(inW + pl - kx), sw));
        }
        this.in = in;
        this.source = source;
        this.out = out;
        pooled = op.pool() != null;
        pk = pooled ? op.pool().kernel() : 1;
        ps = pooled ? op.pool().stride() : 1;
        ppt = pooled ? op.pool().padding().top() : 0;
        ppl = pooled ? op.pool().padding().left() : 0;
        outH = op.outHeight();
        outW = pooled ? op.pool().output().shape().width() : convW;
        this.poolRows = poolRows;
    }

    /** Selects output channels {@code [c0, c1)} whose weights and biases are at the given arena indices. */
    void tile(int c0, int c1, int wBase, int bBase) {
        this.c0 = c0;
        this.c1 = c1;
        this.wBase = wBase;
        this.bBase = bBase;
        done = 0;
        convDone = 0;
    }

    /** Computes output rows up to {@code y} (pooled rows when a pool is fused). */
    void ensure(int y) {
        while (done <= y) {
            if (!pooled) {
                conv(done, out.addr(c0, done), out.cs);
            } else {
                int need = Math.min(convH - 1, done * ps - ppt + pk - 1);
                while (convDone <= need) {
                    conv(convDone, poolRows.addr(0, convDone), poolRows.cs);
                    convDone++;
                }
                pool(done);
            }
            done++;
        }
    }

    private void conv(int r, int dst, int dstCs) {
        if (source != null) {
            int lo = Math.max(0, r * sh - pt);
            int hi = Math.min(inH - 1, r * sh - pt + kh - 1);
            source.ensure(lo, hi);
        }
        kernel.convRow(a, this, r, dst, dstCs);
    }

    private void pool(int py) {
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

    /**
     * Fills the int line buffer with the zero-padded input rows of output row {@code r}, split by
     * stride phase so every tap reads a contiguous run.
     */
    void fillLine(int[] line, int r) {
        short[] a = this.a;
        int pw = inW + pl + op.conv().padding().right();
        for (int ic = 0; ic < cin; ic++) {
            for (int ky = 0; ky < kh; ky++) {
                int base = (ic * kh + ky) * rowLength;
                int iy = r * sh - pt + ky;
                if (iy < 0 || iy >= inH) {
                    java.util.Arrays.fill(line, base, base + rowLength, 0);
                    continue;
                }
                int src = in.addr(ic, iy);
                if (sw == 1) {
                    java.util.Arrays.fill(line, base, base + pl, 0);
                    for (int x = 0; x < inW; x++) {
                        line[base + pl + x] = a[src + x];
                    }
                    java.util.Arrays.fill(line, base + pl + inW, base + rowLength, 0);
                } else {
                    for (int px = 0; px < pw; px++) {
                        int ix = px - pl;
                        line[base + (px % sw) * phaseLength + px / sw] = ix >= 0 && ix < inW ? a[src + ix] : 0;
                    }
                }
            }
        }
    }
}
