package io.tinyreid.nn.runtime;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.IntegerScratch;
import io.tinyreid.nn.simd.VectorShapes;

/**
 * A fused conv op of the integer runtime: for each weight tile, every output row through
 * {@link IntegerConv}, then one of three epilogues: store into the output (a concat's channel slice
 * in place), max-pool through a ring of pre-pool rows (the pre-pool tensor never exists whole), or
 * the residual add (+ zero rows/columns of the branch, + ReLU) written over the shortcut. Each step
 * rescales and saturates as {@code IntegerReference} does for the layer it stands for.
 */
final class IntegerConvStage {
    private static final VectorSpecies<Integer> I = VectorShapes.INT;
    private static final int V = VectorShapes.LANES;
    final FusedOp.ConvPool op;
    // conv geometry
    final int groups;
    final int inPerGroup;
    final int outPerGroup;
    final int kh;
    final int kw;
    final int sh;
    final int sw;
    final int pt;
    final int pl;
    final int pr;
    final int inH;
    final int inW;
    final int convH;
    final int convW;
    final int taps;
    final int rowLength;
    final int phaseLength;
    /** Output rows per window fill, the window's rows per input channel, and the positions per channel of a block. */
    final int blockRows;
    final int windowRows;
    /** Window rows per row phase: input row {@code k} of a block at {@code (k % sh) * phaseRows + k / sh} (one-row blocks: at {@code k}). */
    final int phaseRows;
    final int positions;
    /** Per tap (ic within the group, ky, kx): offset of its first input value in the window. */
    final int[] tapOffsets;
    final int weightWidth;
    /** Per output channel: the right shift of its products. */
    final int[] norm;
    /** Saturation of the conv's output (ReLU: lo = 0). */
    final int lo;
    final int hi;
    final Region in;
    /** Where the op writes: the storage tensor (a concat or the shortcut when in place). */
    final Region out;
    final int channelOffset;
    // fused max pool
    final boolean pooled;
    final int pk;
    final int ps;
    final int ppt;
    final int ppl;
    final int poolH;
    final int poolW;
    /** Ring of {@code pk} pre-pool rows: byte offset of (row mod pk, channel of the tile, x). */
    final int poolBase;
    final int convWidth;
    // fused residual
    final FusedOp.Residual residual;
    final int outH;
    final int outW;
    final int padShift;
    final int padLo;
    final int padHi;
    final int shortcutShift;
    final int branchShift;
    final int addLo;
    final int addHi;
    final int reluShift;
    final int reluLo;
    final int reluHi;
    /**
     * The residual add in int16 lanes, a vector at a time ({@link VectorShapes#CONVERTS} machines):
     * every value is at most 16 bits before a shift of at most 14 left (or 30 right), so sums stay
     * within 31 bits.
     */
    private final boolean vectorAdd;
    /** The residual add's four {@link Bytes#shiftRound}s in {@link #addVectors}' form, derived once per stage. */
    private final Rescale padRescale;
    private final Rescale shortcutRescale;
    private final Rescale branchRescale;
    private final Rescale reluRescale;
    // current tile
    int c0;
    int c1;
    int wBase;
    int bBase;
    final int[] biasAcc;
    final int[] late;
    /** The last pre-pool row computed into the ring in this tile. */
    private int done;

    IntegerConvStage(FusedOp.ConvPool op, Region in, Region out, int poolBase, int tileChannels, boolean rowBlocks) {
        this.op = op;
        Conv2d c = op.conv();
        groups = c.groups();
        inPerGroup = c.inPerGroup();
        outPerGroup = c.outChannels() / groups;
        kh = c.kernelH();
        kw = c.kernelW();
        sh = c.strideH();
        sw = c.strideW();
        pt = c.padding().top();
        pl = c.padding().left();
        pr = c.padding().right();
        inH = c.input().shape().height();
        inW = c.input().shape().width();
        convH = c.output().shape().height();
        convW = c.output().shape().width();
        taps = inPerGroup * kh * kw;
        rowLength = IntegerScratch.rowLength(c);
        phaseLength = IntegerScratch.phaseLength(c);
        blockRows = IntegerScratch.blockRows(c, rowBlocks);
        windowRows = IntegerScratch.windowRows(c, rowBlocks);
        phaseRows = IntegerScratch.phaseRows(c, rowBlocks);
        positions = IntegerScratch.positions(c, rowBlocks);
        tapOffsets = new int[taps];
        for (int ic = 0; ic < inPerGroup; ic++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    tapOffsets[(ic * kh + ky) * kw + kx] = (ic * windowRows + windowRow(ky)) * rowLength + (kx % sw) * phaseLength + kx / sw;
                }
            }
        }
        weightWidth = op.weightBytes();
        norm = new int[c.outChannels()];
        for (int o = 0; o < norm.length; o++) {
            norm[o] = c.norm(o);
            if (norm[o] > 31 || norm[o] < -31) {
                throw new UnsupportedOperationException("layer " + c.name() + ": shift " + norm[o] + " outside -31..31");
            }
        }
        QFormat oq = c.output().q();
        hi = oq.maxRaw();
        lo = c.activation() == Activation.RELU ? 0 : oq.minRaw();
        this.in = in;
        this.out = out;
        channelOffset = op.channelOffset();
        pooled = op.pool() != null;
        pk = pooled ? op.pool().kernel() : 1;
        ps = pooled ? op.pool().stride() : 1;
        ppt = pooled ? op.pool().padding().top() : 0;
        ppl = pooled ? op.pool().padding().left() : 0;
        poolH = pooled ? op.pool().output().shape().height() : 0;
        poolW = pooled ? op.pool().output().shape().width() : 0;
        this.poolBase = poolBase;
        convWidth = oq.bytes();
        if (pooled && (out.width != convWidth || ppt >= pk || ppl >= pk
                || (poolH - 1) * ps - ppt >= convH || (poolW - 1) * ps - ppl >= convW)) {
            // the pool keeps the conv's values and every window covers at least one of them
            throw new UnsupportedOperationException("layer " + c.name() + ": max pool " + pk + "/" + ps
                    + " with a window outside the input or a rescaled output");
        }
        residual = op.residual();
        outH = op.outHeight();
        outW = residual != null ? residual.add().output().shape().width() : pooled ? poolW : convW;
        if (residual != null) {
            var r = residual;
            QFormat branch = r.convPad() != null ? r.convPad().output().q() : oq;
            padShift = oq.fracBits() - branch.fracBits();
            padLo = branch.minRaw();
            padHi = branch.maxRaw();
            QFormat aq = r.add().output().q();
            shortcutShift = r.shortcut().q().fracBits() - aq.fracBits();
            branchShift = branch.fracBits() - aq.fracBits();
            addLo = aq.minRaw();
            addHi = aq.maxRaw();
            QFormat rq = r.result().q();
            reluShift = aq.fracBits() - rq.fracBits();
            reluLo = rq.minRaw();
            reluHi = rq.maxRaw();
        } else {
            padShift = 0;
            padLo = 0;
            padHi = 0;
            shortcutShift = 0;
            branchShift = 0;
            addLo = 0;
            addHi = 0;
            reluShift = 0;
            reluLo = 0;
            reluHi = 0;
        }
        vectorAdd = VectorShapes.CONVERTS && residual != null && out.width == 2 && convWidth <= 2
                && Math.min(Math.min(padShift, shortcutShift), Math.min(branchShift, reluShift)) >= -14
                && Math.max(Math.max(padShift, shortcutShift), Math.max(branchShift, reluShift)) <= 30;
        padRescale = Rescale.of(padShift);
        shortcutRescale = Rescale.of(shortcutShift);
        branchRescale = Rescale.of(branchShift);
        reluRescale = Rescale.of(reluShift);
        biasAcc = new int[tileChannels];
        late = new int[tileChannels];
    }

    /** Window row (within its channel) of input row {@code k} of a block. */
    int windowRow(int k) {
        return blockRows == 1 ? k : (k % sh) * phaseRows + k / sh;
    }

    /** First input channel the current tile reads. */
    int firstInputChannel() {
        return c0 / outPerGroup * inPerGroup;
    }

    /** Input channels the current tile reads. */
    int inputChannels() {
        return IntegerScratch.inputChannels(op.conv(), c0, c1);
    }

    /** Selects output channels {@code [c0, c1)}: weights at byte {@code wBase}, int16 biases at {@code bBase}. */
    void tile(byte[] a, int c0, int c1, int wBase, int bBase) {
        this.c0 = c0;
        this.c1 = c1;
        this.wBase = wBase;
        this.bBase = bBase;
        for (int rel = 0; rel < c1 - c0; rel++) {
            int b = (short) Bytes.I16.get(a, bBase + 2 * rel);
            int n = norm[c0 + rel];
            biasAcc[rel] = n >= 0 ? b << n : 0;
            late[rel] = n < 0 ? b : 0;
        }
    }

    /** Computes the current tile's channels of the whole output. */
    void run(byte[] a, IntegerConv k) {
        run(a, k, 0, outH);
    }

    /**
     * Computes the current tile's channels of output rows {@code [from, to)} (pooled rows when
     * pooled); bands of a tile must come in order from row 0 (the pool's ring carries over).
     */
    void run(byte[] a, IntegerConv k, int from, int to) {
        int[] rows = k.rows;
        k.newTile();
        if (residual != null) {
            int last = Math.min(to, convH) - 1;
            for (int y = from; y < to; y++) {
                if (y < convH) {
                    k.convRow(a, this, y, last);
                }
                addRow(a, rows, k, y);
            }
        } else if (pooled) {
            if (from == 0) {
                done = -1;
            }
            int last = Math.min(convH - 1, (to - 1) * ps - ppt + pk - 1);
            for (int py = from; py < to; py++) {
                int need = Math.min(convH - 1, py * ps - ppt + pk - 1);
                while (done < need) {
                    done++;
                    k.convRow(a, this, done, last);
                    poolColumns(a, rows, k, done);
                }
                poolRow(a, py);
            }
        } else {
            for (int y = from; y < to; y++) {
                k.convRow(a, this, y, to - 1);
                for (int rel = 0; rel < c1 - c0; rel++) {
                    int d = out.at(channelOffset + c0 + rel, y, 0);
                    int src = k.at(rel);
                    if (out.width == 1) {
                        ArenaRows.narrow8(rows, src, a, d, convW);
                    } else {
                        ArenaRows.narrow16(rows, src, a, d, convW);
                    }
                }
            }
        }
    }

    /**
     * Pre-pool row {@code r} into the ring, max-pooled along the row (each channel's {@code poolW}
     * values where the row's {@code convW} were planned): the pool's window clipped once per column.
     */
    private void poolColumns(byte[] a, int[] rows, IntegerConv k, int r) {
        int cw = convWidth;
        int ring = poolBase + (r % pk) * (c1 - c0) * convW * cw;
        for (int rel = 0; rel < c1 - c0; rel++) {
            int d = ring + rel * convW * cw;
            int src = k.at(rel);
            for (int px = 0; px < poolW; px++) {
                int x0 = px * ps - ppl;
                int m;
                if (pk == 3 && x0 >= 0 && x0 + 3 <= convW) {
                    // the common 3x3 window inside the row, unrolled
                    int at = src + x0;
                    m = Math.max(rows[at], Math.max(rows[at + 1], rows[at + 2]));
                } else {
                    int x1 = Math.min(convW, x0 + pk);
                    x0 = Math.max(0, x0);
                    m = rows[src + x0];
                    for (int x = x0 + 1; x < x1; x++) {
                        m = Math.max(m, rows[src + x]);
                    }
                }
                if (cw == 1) {
                    a[d + px] = (byte) m;
                } else {
                    Bytes.I16.set(a, d + 2 * px, (short) m);
                }
            }
        }
    }

    /** Pooled row {@code py}: the max of the ring's column-pooled rows its window covers, a vector of values at a time. */
    private void poolRow(byte[] a, int py) {
        int r0 = Math.max(0, py * ps - ppt);
        int r1 = Math.min(convH, py * ps - ppt + pk);
        int cw = convWidth;
        for (int rel = 0; rel < c1 - c0; rel++) {
            int d = out.at(channelOffset + c0 + rel, py, 0);
            System.arraycopy(a, poolBase + ((r0 % pk) * (c1 - c0) + rel) * convW * cw, a, d, poolW * cw);
            for (int r = r0 + 1; r < r1; r++) {
                int src = poolBase + ((r % pk) * (c1 - c0) + rel) * convW * cw;
                if (cw == 1) {
                    ArenaRows.max8(a, src, d, poolW);
                } else {
                    ArenaRows.max16(a, src, d, poolW);
                }
            }
        }
    }

    /**
     * Row {@code y} of {@code relu(add(shortcut, pad(conv)))} over the shortcut: the conv's rounded
     * row (or the zeros padding it below and to the right), rescaled and saturated like each layer.
     */
    private void addRow(byte[] a, int[] rows, IntegerConv k, int y) {
        boolean relu = residual.relu() != null;
        boolean pad = residual.convPad() != null;
        // columns [0, along) take the conv's row, the rest the zeros padding it
        int along = y < convH ? Math.min(convW, outW) : 0;
        int w = out.width;
        for (int rel = 0; rel < c1 - c0; rel++) {
            int src = along > 0 ? k.at(rel) : 0;
            int d = out.at(c0 + rel, y, 0);
            int x = 0;
            if (vectorAdd) {
                x = addVectors(a, rows, src, d, along, relu, pad);
            }
            for (; x < outW; x++) {
                int branch = 0;
                if (x < along) {
                    branch = rows[src + x];
                    if (pad) {
                        branch = Bytes.clamp(Bytes.shiftRound(branch, padShift), padLo, padHi);
                    }
                }
                int at = d + x * w;
                int sc = w == 1 ? a[at] : (short) Bytes.I16.get(a, at);
                int v = Bytes.clamp(Bytes.shiftRound(sc, shortcutShift) + Bytes.shiftRound(branch, branchShift), addLo, addHi);
                if (relu) {
                    v = Bytes.clamp(Bytes.shiftRound(Math.max(0, v), reluShift), reluLo, reluHi);
                }
                if (w == 1) {
                    a[at] = (byte) v;
                } else {
                    Bytes.I16.set(a, at, (short) v);
                }
            }
        }
    }

    /**
     * {@link #addRow}'s columns {@code [0, along)} of one channel, int16, whole vectors of them: the
     * same rescaling and saturation in int lanes ({@link #vectorAdd}: shifts small enough that no
     * intermediate leaves 31 bits, so int lanes equal the long arithmetic). Returns the columns done.
     * Every rescale is written out here rather than in a helper taking vectors: a helper C2 declines to
     * inline (a cold call site when it compiles) boxes its vectors on every call.
     */
    private int addVectors(byte[] a, int[] rows, int src, int d, int along, boolean relu, boolean pad) {
        Rescale padR = padRescale;
        Rescale scR = shortcutRescale;
        Rescale brR = branchRescale;
        Rescale reR = reluRescale;
        int x = 0;
        for (; x + V <= along; x += V) {
            IntVector branch = IntVector.fromArray(I, rows, src + x);
            if (pad) {
                branch = branch.add(padR.round).lanewise(VectorOperators.ASHR, padR.right)
                        .lanewise(VectorOperators.LSHL, padR.left).max(padLo).min(padHi);
            }
            IntVector sc = (IntVector) ByteVector.fromArray(VectorShapes.HALF_BYTE, a, d + 2 * x).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector v = sc.add(scR.round).lanewise(VectorOperators.ASHR, scR.right).lanewise(VectorOperators.LSHL, scR.left)
                    .add(branch.add(brR.round).lanewise(VectorOperators.ASHR, brR.right).lanewise(VectorOperators.LSHL, brR.left))
                    .max(addLo).min(addHi);
            if (relu) {
                v = v.max(0).add(reR.round).lanewise(VectorOperators.ASHR, reR.right)
                        .lanewise(VectorOperators.LSHL, reR.left).max(reluLo).min(reluHi);
            }
            ((ShortVector) v.convertShape(VectorOperators.I2S, VectorShapes.HALF_SHORT, 0)).reinterpretAsBytes()
                    .intoArray(a, d + 2 * x);
        }
        return x;
    }

    /**
     * {@link Bytes#shiftRound} by {@code shift} as {@code (v + round) >> right << left}, one of
     * {@code right} and {@code left} zero: the same arithmetic with no branch on the shift's sign.
     */
    private record Rescale(int right, int left, int round) {
        static Rescale of(int shift) {
            int right = Math.max(shift, 0);
            return new Rescale(right, Math.max(-shift, 0), right > 0 ? 1 << (right - 1) : 0);
        }
    }
}
