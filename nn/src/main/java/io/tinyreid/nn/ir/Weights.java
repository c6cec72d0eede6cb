package io.tinyreid.nn.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * A constant parameter tensor: real values always, plus raw int16 values and their format when the
 * model is quantised. Layout is given by the owning layer (conv: {@code [out][in/groups][kh][kw]}).
 */
public final class Weights {
    private final float[] real;
    private final short[] raw;
    private final QFormat q;

    private Weights(float[] real, short[] raw, QFormat q) {
        this.real = real;
        this.raw = raw;
        this.q = q;
    }

    /** Float-only weights. */
    public static Weights ofReal(float[] values) {
        return new Weights(values.clone(), null, null);
    }

    /** Quantised weights; the real values are derived exactly from the raw ones. */
    public static Weights ofRaw(short[] raw, QFormat q) {
        Objects.requireNonNull(q, "q");
        float[] real = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            real[i] = q.toReal(raw[i]);
        }
        return new Weights(real, raw.clone(), q);
    }

    /** Number of values. */
    public int length() {
        return real.length;
    }

    /** Real value {@code i}. */
    public float real(int i) {
        return real[i];
    }

    /** A copy of the real values. */
    public float[] realValues() {
        return real.clone();
    }

    /** True when raw int16 values are present. */
    public boolean quantised() {
        return raw != null;
    }

    /** The fixed-point format of the raw values ({@code null} when float-only). */
    public QFormat q() {
        return q;
    }

    /** Raw int16 value {@code i} (only when quantised). */
    public short raw(int i) {
        return raw[i];
    }

    /** A copy of the raw int16 values (only when quantised). */
    public short[] rawValues() {
        if (raw == null) {
            throw new IllegalStateException("weights are not quantised");
        }
        return raw.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Weights w && Arrays.equals(real, w.real) && Arrays.equals(raw, w.raw)
                && Objects.equals(q, w.q);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(real) * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Weights[" + real.length + (q == null ? " float" : " int16 " + q) + "]";
    }
}
