package io.tinyreid.nn.program;

/**
 * How a conv kernel walks its output rows: {@code rowsPerCall} output rows per window fill, from a
 * 32-bit window of {@code windowRows} padded input rows per input channel, each {@code rowLength}
 * words (all stride phases), computing {@code positions} output positions per channel and call
 * (rows laid end to end, the columns past a row computed and dropped).
 *
 * @param rowsPerCall output rows per kernel call (device: {@code KernelScratch.rowsPerCall}; integer: {@code IntegerScratch.blockRows})
 * @param windowRows  input rows per input channel in the window
 * @param rowLength   words per padded input row in the window
 * @param positions   output positions computed per channel and call
 * @param direct      no window: a 1x1 stride-1 unpadded conv reads its input rows straight from the arena
 */
public record RowGeometry(int rowsPerCall, int windowRows, int rowLength, int positions, boolean direct) {}
