package io.tinyreid.nn.program;

import java.util.List;

/**
 * One entry of the weight-tile table: before tile {@code index} computes, its {@code segments} are
 * copied from the model file into {@code buffer} (during the previous tile when prefetching, as the
 * plan's lifetimes allow). A weightless unit of work has no buffer and no segments.
 *
 * @param index    global tile number (the plan's time unit)
 * @param step     the step it belongs to
 * @param buffer   the arena buffer the tile's weights land in, or null
 * @param slices   per conv call of the step the tile feeds: its output channels and where their weights are
 * @param segments file -> arena copies (weights, then biases, per slice)
 */
public record WeightTile(int index, int step, Slot buffer, List<Slice> slices, List<Segment> segments) {
    /** Output channels {@code [c0, c1)} of call {@code call} (of the step), weights and int16 biases at arena byte offsets. */
    public record Slice(int call, int c0, int c1, long weightOffset, long biasOffset) {}

    /**
     * A contiguous copy of {@code bytes} bytes from the model file at {@code fileOffset} to the arena at
     * {@code arenaOffset}; {@code width} is the value width (1: int8, 2: int16, little-endian).
     */
    public record Segment(String what, long fileOffset, int bytes, long arenaOffset, int width) {}

    /** Bytes the tile reads from the model file. */
    public long bytes() {
        long sum = 0;
        for (Segment s : segments) {
            sum += s.bytes();
        }
        return sum;
    }
}
