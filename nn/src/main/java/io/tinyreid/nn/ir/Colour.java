package io.tinyreid.nn.ir;

/** Colour layout of a network input: planar, pixel values 0..255. */
public enum Colour {
    /** One plane of grey levels. */
    GRAY,
    /** Three planes, red, green, blue. */
    RGB
}
