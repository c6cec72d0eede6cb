package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.plan.MemoryPlan;

/**
 * A whole tensor in the byte arena, {@code [c][y][x]}, values {@code width} bytes wide; {@link #at}
 * gives byte offsets.
 */
final class Region {
    final int base;
    final int width;
    final int channels;
    final int height;
    final int cols;

    Region(int base, int width, int channels, int height, int cols) {
        this.base = base;
        this.width = width;
        this.channels = channels;
        this.height = height;
        this.cols = cols;
    }

    /** The region of a planned (whole) storage tensor. */
    static Region of(MemoryPlan.Placement p) {
        if (p.streamed()) {
            throw new IllegalStateException(p.tensor() + " is row-streamed; the integer runtime keeps tensors whole");
        }
        Shape s = p.tensor().shape();
        return new Region((int) p.buffer().offset(), p.tensor().q().bytes(), s.channels(), s.height(), s.width());
    }

    /** Byte offset of element (c, y, x). */
    int at(int c, int y, int x) {
        return base + ((c * height + y) * cols + x) * width;
    }

    /** Number of elements. */
    int size() {
        return channels * height * cols;
    }
}
