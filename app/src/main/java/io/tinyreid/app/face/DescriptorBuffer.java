package io.tinyreid.app.face;

import java.util.Objects;

/**
 * A reusable, mutable descriptor of one model: the frame loop writes each face's descriptor here
 * and matches it without allocating ({@link Descriptor} values are immutable and copied).
 */
public final class DescriptorBuffer {
    private final FaceModel model;
    private final short[] int16;
    private final float[] float32;

    /** A zeroed descriptor of {@code model}'s dimension and format. */
    public DescriptorBuffer(FaceModel model) {
        this.model = Objects.requireNonNull(model);
        this.int16 = model.format() == DescriptorFormat.INT16 ? new short[model.dimension()] : null;
        this.float32 = model.format() == DescriptorFormat.FLOAT32 ? new float[model.dimension()] : null;
    }

    /** The model whose descriptor this holds. */
    public FaceModel model() {
        return model;
    }

    /** The values of an int16 model (written in place); throws for a float model. */
    public short[] int16() {
        if (int16 == null) {
            throw new IllegalStateException(model.id() + " descriptors are " + model.format());
        }
        return int16;
    }

    /** The values of a float32 model (written in place); throws for an int16 model. */
    public float[] float32() {
        if (float32 == null) {
            throw new IllegalStateException(model.id() + " descriptors are " + model.format());
        }
        return float32;
    }

    /** Bytes of the values (the stored width). */
    public int sizeBytes() {
        return model.dimension() * model.format().bytesPerValue();
    }

    /** Copies {@code d}'s values in (same dimension and format), without allocating. */
    public void set(Descriptor d) {
        if (!model.accepts(d)) {
            throw new IllegalArgumentException(d + " is not a " + model.id() + " descriptor");
        }
        for (int i = 0; i < model.dimension(); i++) {
            if (int16 != null) {
                int16[i] = (short) d.component(i);
            } else {
                float32[i] = (float) d.component(i);
            }
        }
    }

    /** Copies another buffer of the same model. */
    public void copyFrom(DescriptorBuffer other) {
        if (!other.model.equals(model)) {
            throw new IllegalArgumentException("cannot copy a " + other.model.id() + " descriptor into a " + model.id() + " one");
        }
        if (int16 != null) {
            System.arraycopy(other.int16, 0, int16, 0, int16.length);
        } else {
            System.arraycopy(other.float32, 0, float32, 0, float32.length);
        }
    }

    /** An immutable copy (allocates: for what is stored, e.g. a stranger's descriptor). */
    public Descriptor toDescriptor() {
        return int16 != null ? new Descriptor.Int16(int16) : new Descriptor.Float32(float32);
    }
}
