package io.tinyreid.nn.runtime;

import java.util.List;

import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.ActivationSpill;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.program.Bands;

/**
 * A step of the integer runtime that touches tensors spilled to L3 ({@link ActivationSpill}): it
 * runs band by band, and before each band copies the rows the band reads from L3 into their L2
 * windows, after it copies the rows it wrote back (on the device: DMA between HyperRAM and L2).
 * Only the channels a weight tile reads or writes move. Counts the bytes it copies.
 */
final class StagedStep {
    final int bands;
    final int bandRows;
    final int rows;
    private final Tensor[] tensors;
    private final Region[] l3;
    private final Region[] l2;
    private final boolean[] read;
    private final boolean[] write;
    /** True for a conv's input (the tile's input channels move); false for what the op writes (its output channels). */
    private final boolean[] convInput;
    private final int[][] from;
    private final int[][] to;
    long readBytes;
    long writtenBytes;

    StagedStep(Bands staging, FusedOp op) {
        List<Bands.Window> ws = staging.windows();
        int n = ws.size();
        bands = staging.bands();
        bandRows = staging.bandRows();
        rows = staging.rows();
        tensors = new Tensor[n];
        l3 = new Region[n];
        l2 = new Region[n];
        read = new boolean[n];
        write = new boolean[n];
        convInput = new boolean[n];
        from = new int[n][];
        to = new int[n][];
        for (int i = 0; i < n; i++) {
            Bands.Window w = ws.get(i);
            tensors[i] = w.home().tensor();
            l3[i] = IntegerProgramSteps.region(w.home());
            l2[i] = IntegerProgramSteps.region(w.window());
            read[i] = w.read();
            write[i] = w.write();
            convInput[i] = op instanceof FusedOp.ConvPool c && c.input().equals(tensors[i]);
            from[i] = w.from().clone();
            to[i] = w.to().clone();
        }
    }

    /** The L2 window standing for {@code t} in this step, or null when {@code t} is in L2. */
    Region window(Tensor t) {
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].equals(t)) {
                return l2[i];
            }
        }
        return null;
    }

    /** Positions the windows on band {@code b} and copies in the rows it reads: input channels {@code [i0, i1)}, written ones {@code [o0, o1)}. */
    void load(byte[] arena, byte[] mem3, int b, int i0, int i1, int o0, int o1) {
        for (int w = 0; w < l2.length; w++) {
            Region win = l2[w];
            win.first = from[w][b];
            if (read[w]) {
                readBytes += copy(mem3, l3[w], arena, win, from[w][b], to[w][b], convInput[w] ? i0 : o0, convInput[w] ? i1 : o1);
            }
        }
    }

    /** Copies the rows band {@code b} wrote (channels {@code [o0, o1)}) back to L3. */
    void store(byte[] arena, byte[] mem3, int b, int o0, int o1) {
        for (int w = 0; w < l2.length; w++) {
            if (write[w]) {
                writtenBytes += copy(arena, l2[w], mem3, l3[w], from[w][b], to[w][b], o0, o1);
            }
        }
    }

    /** Rows {@code [y0, y1)} of channels {@code [c0, c1)} (clipped to the tensor) from one place to another; returns the bytes. */
    private static int copy(byte[] src, Region s, byte[] dst, Region d, int y0, int y1, int c0, int c1) {
        if (y1 <= y0) {
            return 0;
        }
        int len = (y1 - y0) * s.cols * s.width;
        int top = Math.min(c1, s.channels);
        for (int c = c0; c < top; c++) {
            System.arraycopy(src, s.at(c, y0, 0), dst, d.at(c, y0, 0), len);
        }
        return len * Math.max(0, top - c0);
    }
}
