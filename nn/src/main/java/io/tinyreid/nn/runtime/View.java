package io.tinyreid.nn.runtime;

/**
 * How a tensor sits in the arena (short indices). A whole tensor is {@code [c][y][x]}; a ring of
 * {@code ring} rows is {@code [y mod ring][c][x]}, so streamed rows of all channels stay together.
 */
final class View {
    final int base;
    final int cs;
    final int rs;
    final int ring;

    View(int base, int cs, int rs, int ring) {
        this.base = base;
        this.cs = cs;
        this.rs = rs;
        this.ring = ring;
    }

    /** The same view starting {@code channels} channels further (a slice of a concat). */
    View shift(int channels) {
        return new View(base + channels * cs, cs, rs, ring);
    }

    /** Arena index of element (c, y, 0). */
    int addr(int c, int y) {
        return base + c * cs + (y % ring) * rs;
    }
}
