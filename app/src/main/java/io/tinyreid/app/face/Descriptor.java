package io.tinyreid.app.face;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A face descriptor produced by one model: int16 (fixed point, like the device) or float32 values. */
public sealed interface Descriptor permits Descriptor.Int16, Descriptor.Float32 {

    /** Number of components. */
    int dimension();

    /** The storage format of the values. */
    DescriptorFormat format();

    /** Component {@code i} as a double (int16 values are returned as their raw integer). */
    double component(int i);

    /** The values as little-endian bytes, the form kept in the database. */
    byte[] toBytes();

    /** Decodes {@link #toBytes()} output; refuses a byte count that does not match the format. */
    static Descriptor fromBytes(DescriptorFormat format, byte[] bytes) {
        if (bytes.length % format.bytesPerValue() != 0 || bytes.length == 0) {
            throw new IllegalArgumentException("descriptor of " + bytes.length + " bytes is not a whole number of "
                    + format + " values");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return switch (format) {
            case INT16 -> {
                short[] v = new short[bytes.length / 2];
                b.asShortBuffer().get(v);
                yield new Int16(v);
            }
            case FLOAT32 -> {
                float[] v = new float[bytes.length / 4];
                b.asFloatBuffer().get(v);
                yield new Float32(v);
            }
        };
    }

    /** Fixed-point descriptor, e.g. FaceReID's 512 x int16 Q10. */
    record Int16(short[] values) implements Descriptor {
        public Int16 {
            values = values.clone();
        }

        @Override public int dimension() { return values.length; }
        @Override public DescriptorFormat format() { return DescriptorFormat.INT16; }
        @Override public double component(int i) { return values[i]; }

        @Override public short[] values() { return values.clone(); }

        @Override
        public byte[] toBytes() {
            ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.asShortBuffer().put(values);
            return b.array();
        }

        @Override public boolean equals(Object o) { return o instanceof Int16 other && Arrays.equals(values, other.values); }
        @Override public int hashCode() { return Arrays.hashCode(values); }
        @Override public String toString() { return "Int16[" + values.length + "]"; }
    }

    /** Floating-point descriptor, e.g. dlib ResNet's 128 floats. */
    record Float32(float[] values) implements Descriptor {
        public Float32 {
            values = values.clone();
        }

        @Override public int dimension() { return values.length; }
        @Override public DescriptorFormat format() { return DescriptorFormat.FLOAT32; }
        @Override public double component(int i) { return values[i]; }

        @Override public float[] values() { return values.clone(); }

        @Override
        public byte[] toBytes() {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return b.array();
        }

        @Override public boolean equals(Object o) { return o instanceof Float32 other && Arrays.equals(values, other.values); }
        @Override public int hashCode() { return Arrays.hashCode(values); }
        @Override public String toString() { return "Float32[" + values.length + "]"; }
    }
}
