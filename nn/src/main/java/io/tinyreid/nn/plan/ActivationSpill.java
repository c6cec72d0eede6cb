package io.tinyreid.nn.plan;

import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Tensor;

/**
 * Activations the budget cannot hold in L2, kept in external memory ("L3", the HyperRAM of a
 * GAP8-class device, as its AutoTiler does) and staged through small L2 windows of rows: an op
 * touching a spilled tensor runs in bands of output rows, copying in the input rows each band
 * needs ({@link RowBands}: padding, stride and pool included) and copying its written rows out.
 *
 * @param l3         each spilled tensor's buffer in L3 (offsets in L3; lifetimes in tiles as in L2)
 * @param l3Bytes    highest L3 byte used by spilled activations
 * @param steps      per step index with a spilled tensor, how it is staged
 * @param readBytes  bytes copied L3 -> L2 per inference
 * @param writeBytes bytes copied L2 -> L3 per inference
 */
public record ActivationSpill(Map<Tensor, MemoryPlan.Buffer> l3, long l3Bytes, Map<Integer, StepStaging> steps,
                              long readBytes, long writeBytes) {
    /** Nothing spilled: every activation whole in L2. */
    public static final ActivationSpill NONE = new ActivationSpill(Map.of(), 0, Map.of(), 0, 0);

    /** True when some tensor lives in L3. */
    public boolean any() {
        return !l3.isEmpty();
    }

    /** L2 <-> L3 bytes per inference, both directions. */
    public long trafficBytes() {
        return readBytes + writeBytes;
    }

    /**
     * A step run in bands of {@code bandRows} output rows ({@code bands} of them, from row
     * {@code b * bandRows}), with an L2 window per spilled tensor it touches.
     */
    public record StepStaging(int step, int bandRows, int bands, List<Window> windows, long readBytes, long writeBytes) {}

    /**
     * The L2 window of one spilled tensor in one step: {@code rows} rows of every channel
     * ({@code [c][rows][x]}); per band, rows {@code [from, to)} are copied in when the op reads the
     * tensor and copied out when it writes it (the same rows when it does both: an add in place).
     */
    public record Window(Tensor tensor, MemoryPlan.Buffer buffer, int rows, boolean read, boolean write, int[] from, int[] to) {}
}
