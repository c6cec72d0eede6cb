package io.tinyreid.nn.program;

import java.util.Locale;

import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;

/**
 * A storage tensor where a kernel finds it: its slot and layout. Values are {@code tensor.q().bytes()}
 * wide, little-endian.
 *
 * @param tensor the storage tensor (shape and format)
 * @param slot   its bytes
 * @param layout how elements sit in the slot
 * @param rows   rows held: the height for {@link Layout#WHOLE}, the ring's rows for {@link Layout#RING},
 *               the window's rows for {@link Layout#WINDOW}
 */
public record TensorSlot(Tensor tensor, Slot slot, Layout layout, int rows) {
    /** How a tensor's elements sit in its slot. */
    public enum Layout {
        /** {@code [c][y][x]}, every row. */
        WHOLE,
        /** {@code [y mod rows][c][x]}: a ring of rows, all channels of a row together (row-streamed device steps). */
        RING,
        /** {@code [c][y - first][x]}: {@code rows} rows of a tensor kept in L3, {@code first} set per band ({@link Bands}). */
        WINDOW
    }

    /** Byte offset of element {@code (c, y, x)} for a whole or ring layout (a window needs its band's first row). */
    public long at(int c, int y, int x) {
        Shape s = tensor.shape();
        int w = tensor.q().bytes();
        return switch (layout) {
            case WHOLE -> slot.offset() + (((long) c * s.height() + y) * s.width() + x) * w;
            case RING -> slot.offset() + (((long) (y % rows) * s.channels() + c) * s.width() + x) * w;
            case WINDOW -> throw new IllegalStateException(tensor.name() + " is a window: its rows move per band");
        };
    }

    /** {@code name [c][h][w] int16 L2 @offset +bytes whole}. */
    public String describe() {
        Shape s = tensor.shape();
        String how = switch (layout) {
            case WHOLE -> "whole";
            case RING -> "ring of " + rows + " rows";
            case WINDOW -> "window of " + rows + " rows";
        };
        return String.format(Locale.ROOT, "%-28s %dx%dx%d int%d  %s  %s", tensor.name(), s.channels(), s.height(), s.width(),
                tensor.q().bits(), slot.where(), how);
    }
}
