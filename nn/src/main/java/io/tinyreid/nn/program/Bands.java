package io.tinyreid.nn.program;

import java.util.List;

/**
 * A step touching tensors kept in L3 runs in {@code bands} bands of {@code bandRows} output rows
 * (band {@code b} writes rows {@code [b * bandRows, min(rows, (b + 1) * bandRows))}); per band each
 * window holds rows {@code [from[b], to[b])} of its tensor, copied in from L3 before the band when
 * the step reads it and back out after when it writes it (per weight tile: only the channels the
 * tile reads or writes).
 */
public record Bands(int bandRows, int bands, int rows, List<Window> windows) {
    /** An L2 window of a tensor whose home is in L3. */
    public record Window(TensorSlot home, TensorSlot window, boolean read, boolean write, int[] from, int[] to) {}
}
