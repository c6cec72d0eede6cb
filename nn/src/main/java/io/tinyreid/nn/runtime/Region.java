package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.plan.MemoryPlan;

/**
 * A tensor in the byte arena, {@code [c][y][x]}, values {@code width} bytes wide; {@link #at}
 * gives byte offsets. A whole tensor holds every row; an L2 window of a tensor spilled to L3 holds
 * {@code held} rows from row {@link #first} (moved band by band), {@code [c][y - first][x]}.
 */
final class Region {
    final int base;
    final int width;
    final int channels;
    final int height;
    final int cols;
    /** Rows the buffer holds per channel. */
    final int held;
    /** The tensor row held first (0 for a whole tensor). */
    int first;

    Region(int base, int width, int channels, int height, int cols) {
        this(base, width, channels, height, cols, height);
    }

    Region(int base, int width, int channels, int height, int cols, int held) {
        this.base = base;
        this.width = width;
        this.channels = channels;
        this.height = height;
        this.cols = cols;
        this.held = held;
    }

    /** The region of a planned (whole) storage tensor; for a spilled one, its place in L3. */
    static Region of(MemoryPlan.Placement p) {
        if (p.streamed()) {
            throw new IllegalStateException(p.tensor() + " is row-streamed; the integer runtime keeps tensors whole");
        }
        Shape s = p.tensor().shape();
        return new Region((int) p.buffer().offset(), p.tensor().q().bytes(), s.channels(), s.height(), s.width());
    }

    /** Byte offset of element (c, y, x); y must be one of the rows held. */
    int at(int c, int y, int x) {
        return base + ((c * held + y - first) * cols + x) * width;
    }

    /** Number of elements of the tensor. */
    int size() {
        return channels * height * cols;
    }
}
