package io.tinyreid.nn.simd;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API shapes of every kernel, chosen once per JVM from the hardware's preferred shape:
 * 512 bits on AVX-512, 256 on AVX2, 128 on SSE and NEON. A shape the CPU lacks runs in the Vector
 * API's Java fallback (100x slower, allocating), and C2 stops intrinsifying kernels once it has
 * compiled two shapes of one element type, so every kernel takes its species from here.
 *
 * <p>The plan's geometry stays in 16-lane blocks (scratch and plan peaks do not depend on the
 * machine); a kernel covers a block with {@code 16 / LANES} vectors. {@link #WIDE} kernels may use
 * what only pays (or only exists) at 512 bits: compress, 32-lane short permutes, masked short
 * loads and stores. {@link #CONVERTS} kernels may use lane conversions (short, int, float), fused
 * multiply-add and masks, which C2 does not intrinsify on SSE (checked per operation with
 * {@code -XX:UseAVX=0}): the 128-bit shape converts and stores with plain scalar loops and
 * multiplies and adds with separate vector operations.
 */
public final class VectorShapes {
    /** System property forcing a narrower width in bits (128 or 256; 512 only where preferred), for tests. */
    public static final String PROPERTY = "tinyreid.vector.bits";
    /** The chosen width in bits. */
    public static final int BITS = choose(System.getProperty(PROPERTY), VectorShape.preferredShape().vectorBitSize());
    private static final VectorShape SHAPE = VectorShape.forBitSize(BITS);
    /** Floats, {@link #BITS} wide. */
    public static final VectorSpecies<Float> FLOAT = VectorSpecies.of(float.class, SHAPE);
    /** Ints, {@link #BITS} wide. */
    public static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, SHAPE);
    /** Shorts, {@link #BITS} wide (max pooling, permutes). */
    public static final VectorSpecies<Short> SHORT = VectorSpecies.of(short.class, SHAPE);
    /** As many shorts as {@link #FLOAT} has lanes: the source of a widening conversion. */
    public static final VectorSpecies<Short> HALF_SHORT = VectorSpecies.of(short.class, VectorShape.forBitSize(BITS / 2));
    /** Half the width of {@link #INT} in bytes: int8/int16 runs of the byte arena, reinterpreted as {@link #HALF_SHORT}. */
    public static final VectorSpecies<Byte> HALF_BYTE = VectorSpecies.of(byte.class, VectorShape.forBitSize(BITS / 2));
    /** Lanes of a float or int vector. */
    public static final int LANES = FLOAT.length();
    /** 512 bits: compress, 32-lane short permutes, masked short loads and stores. */
    public static final boolean WIDE = BITS == 512;
    /** At least 256 bits: lane conversions, fused multiply-add, masked int and float loads and stores. */
    public static final boolean CONVERTS = BITS >= 256;

    private VectorShapes() {}

    /** The width for a requested one (null: the preferred) on hardware preferring {@code preferred} bits. */
    static int choose(String requested, int preferred) {
        int widest = Math.min(512, preferred);
        if (widest < 128) {
            throw new IllegalStateException("vectors of " + preferred + " bits: the kernels need at least 128");
        }
        if (requested == null || requested.isBlank()) {
            return widest;
        }
        int bits;
        try {
            bits = Integer.parseInt(requested.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + "=" + requested + ": expected 128, 256 or 512");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException(PROPERTY + "=" + requested + ": expected 128, 256 or 512");
        }
        if (bits > widest) {
            throw new IllegalArgumentException(PROPERTY + "=" + bits + " but this JVM's vectors are " + widest
                    + " bits wide (wider shapes run in the Vector API's slow Java fallback)");
        }
        return bits;
    }
}
