package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Colour;

/** What a network wants as input: planar {@code channels x height x width} pixels, values 0..255. */
public record InputGeometry(int width, int height, Colour colour) {
    /** The input of {@code g}. */
    public static InputGeometry of(io.tinyreid.nn.ir.Graph g) {
        return new InputGeometry(g.input().shape().width(), g.input().shape().height(), g.colour());
    }

    /** 1 for grey, 3 for RGB. */
    public int channels() {
        return colour == Colour.GRAY ? 1 : 3;
    }

    /** Values in one input. */
    public int size() {
        return channels() * width * height;
    }
}
