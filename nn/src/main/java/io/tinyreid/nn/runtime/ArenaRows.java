package io.tinyreid.nn.runtime;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import io.tinyreid.nn.simd.VectorShapes;

/**
 * Runs of int16 or int8 values in the integer runtime's byte arena (little-endian, as the device
 * stores them) moved to and from int rows, and the element-wise max of two runs, a hardware vector
 * at a time with plain loops for the tails. The byte vectors are half the int shape's width
 * ({@link VectorShapes#HALF_BYTE}), reinterpreted as {@link VectorShapes#HALF_SHORT} shorts, so no
 * second shape of either element type enters the JVM. Widening and narrowing lanes is for
 * {@link VectorShapes#CONVERTS} machines only (C2 does not intrinsify it on SSE); the max is
 * vectorised everywhere.
 */
final class ArenaRows {
    private static final VectorSpecies<Integer> I = VectorShapes.INT;
    private static final VectorSpecies<Byte> B = VectorShapes.HALF_BYTE;
    private static final VectorSpecies<Short> S = VectorShapes.HALF_SHORT;
    /** Ints per vector, and shorts per {@link #B} vector. */
    private static final int V = VectorShapes.LANES;
    /** Bytes per {@link #B} vector. */
    private static final int BV = B.length();

    private ArenaRows() {}

    /** {@code to[at + i] = } the int16 at byte {@code src + 2i}, for {@code i < n}. */
    static void widen16(byte[] a, int src, int[] to, int at, int n) {
        int i = 0;
        if (VectorShapes.CONVERTS) {
            for (; i + V <= n; i += V) {
                ((IntVector) ByteVector.fromArray(B, a, src + 2 * i).reinterpretAsShorts()
                        .convertShape(VectorOperators.S2I, I, 0)).intoArray(to, at + i);
            }
        }
        if (VectorShapes.WIDE && i < n) {
            // the last part-vector masked (masked byte loads and int stores are AVX-512's)
            VectorMask<Byte> mb = B.indexInRange(2 * i, 2 * n);
            VectorMask<Integer> mi = I.indexInRange(i, n);
            ((IntVector) ByteVector.fromArray(B, a, src + 2 * i, mb).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0)).intoArray(to, at + i, mi);
            return;
        }
        for (; i < n; i++) {
            to[at + i] = (short) Bytes.I16.get(a, src + 2 * i);
        }
    }

    /** {@code to[at + i] = a[src + i]} (int8), for {@code i < n}: a plain loop C2 vectorises. */
    static void widen8(byte[] a, int src, int[] to, int at, int n) {
        for (int i = 0; i < n; i++) {
            to[at + i] = a[src + i];
        }
    }

    /** Stores {@code from[at + i]} (already in int16 range) as int16 at byte {@code dst + 2i}, for {@code i < n}. */
    static void narrow16(int[] from, int at, byte[] a, int dst, int n) {
        int i = 0;
        if (VectorShapes.CONVERTS) {
            for (; i + V <= n; i += V) {
                ((ShortVector) IntVector.fromArray(I, from, at + i).convertShape(VectorOperators.I2S, S, 0))
                        .reinterpretAsBytes().intoArray(a, dst + 2 * i);
            }
        }
        for (; i < n; i++) {
            Bytes.I16.set(a, dst + 2 * i, (short) from[at + i]);
        }
    }

    /** Stores {@code from[at + i]} (already in int8 range) as int8 at byte {@code dst + i}, for {@code i < n}. */
    static void narrow8(int[] from, int at, byte[] a, int dst, int n) {
        for (int i = 0; i < n; i++) {
            a[dst + i] = (byte) from[at + i];
        }
    }

    /** {@code n} int16 values at byte {@code dst} become their max with those at byte {@code src}. */
    static void max16(byte[] a, int src, int dst, int n) {
        int i = 0;
        for (; i + BV <= 2 * n; i += BV) {
            ByteVector.fromArray(B, a, src + i).reinterpretAsShorts()
                    .max(ByteVector.fromArray(B, a, dst + i).reinterpretAsShorts()).reinterpretAsBytes().intoArray(a, dst + i);
        }
        for (; i < 2 * n; i += 2) {
            Bytes.I16.set(a, dst + i, (short) Math.max((short) Bytes.I16.get(a, src + i), (short) Bytes.I16.get(a, dst + i)));
        }
    }

    /** {@code n} int8 values at byte {@code dst} become their max with those at byte {@code src}. */
    static void max8(byte[] a, int src, int dst, int n) {
        int i = 0;
        for (; i + BV <= n; i += BV) {
            ByteVector.fromArray(B, a, src + i).max(ByteVector.fromArray(B, a, dst + i)).intoArray(a, dst + i);
        }
        for (; i < n; i++) {
            a[dst + i] = (byte) Math.max(a[src + i], a[dst + i]);
        }
    }
}
