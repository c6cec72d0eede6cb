package io.tinyreid.nn.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Values in the integer runtime's byte arena: int8 in one byte, int16 in two (little-endian, as
 * the model file and the device store them), plus the runtime's rounding and saturation, written
 * from {@code IntegerReference}'s definitions.
 */
final class Bytes {
    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    /** The value of {@code width} bytes (1 or 2) at byte offset {@code off}. */
    static int get(byte[] a, int off, int width) {
        return width == 1 ? a[off] : (short) I16.get(a, off);
    }

    /** Stores {@code v} (already in range) in {@code width} bytes at {@code off}. */
    static void put(byte[] a, int off, int width, int v) {
        if (width == 1) {
            a[off] = (byte) v;
        } else {
            I16.set(a, off, (short) v);
        }
    }

    /** {@code round(v * 2^-shift)}, half up; a negative shift multiplies. */
    static long shiftRound(long v, int shift) {
        return shift > 0 ? (v + (1L << (shift - 1))) >> shift : v << -shift;
    }

    /** {@code round(sum * 2^shift / n)}, half up, exactly. */
    static long divRound(long sum, int n, int shift) {
        long num = shift >= 0 ? sum << shift : sum;
        long den = shift >= 0 ? n : (long) n << -shift;
        return Math.floorDiv(2 * num + den, 2 * den);
    }

    /** Saturates to {@code [lo, hi]}. */
    static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }
}
