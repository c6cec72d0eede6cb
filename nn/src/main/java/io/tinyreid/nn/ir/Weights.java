package io.tinyreid.nn.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * A constant parameter tensor: real values always, plus raw values (int16, or int8 held in shorts)
 * and their format when the model is quantised. Layout is given by the owning layer (conv:
 * {@code [out][in/groups][kh][kw]}). Int8 weights may carry one format per output channel
 * ({@link #ofRawPerChannel}): each block of {@code length / channels} consecutive values shares one.
 */
public final class Weights {
    private final float[] real;
    private final short[] raw;
    private final QFormat q;
    private final QFormat[] channelQ;

    private Weights(float[] real, short[] raw, QFormat q, QFormat[] channelQ) {
        this.real = real;
        this.raw = raw;
        this.q = q;
        this.channelQ = channelQ;
    }

    private Weights(float[] real, short[] raw, QFormat q) {
        this(real, raw, q, null);
    }

    /**
     * Quantised weights with one format per output channel (consecutive equal blocks); the real
     * values are derived exactly from the raw ones.
     */
    public static Weights ofRawPerChannel(short[] raw, QFormat[] perChannel) {
        if (perChannel.length == 0 || raw.length % perChannel.length != 0) {
            throw new IllegalArgumentException(raw.length + " values do not split into " + perChannel.length + " channels");
        }
        int block = raw.length / perChannel.length;
        float[] real = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            QFormat f = perChannel[i / block];
            if (raw[i] < f.minRaw() || raw[i] > f.maxRaw()) {
                throw new IllegalArgumentException("raw value " + raw[i] + " does not fit " + f);
            }
            real[i] = f.toReal(raw[i]);
        }
        return new Weights(real, raw.clone(), null, perChannel.clone());
    }

    /** True when each output channel has its own format. */
    public boolean perChannel() {
        return channelQ != null;
    }

    /** The format of output channel {@code c} (the tensor's format unless per-channel). */
    public QFormat channelQ(int c) {
        return channelQ != null ? channelQ[c] : q;
    }

    /** Number of per-channel formats (1 for a per-tensor format). */
    public int channels() {
        return channelQ != null ? channelQ.length : 1;
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

    /** True when raw fixed-point values are present. */
    public boolean quantised() {
        return raw != null;
    }

    /** The fixed-point format of the raw values ({@code null} when float-only or per-channel). */
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
                && Objects.equals(q, w.q) && Arrays.equals(channelQ, w.channelQ);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(real) * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        if (channelQ != null) {
            return "Weights[" + real.length + " per-channel " + channelQ.length + "x " + channelQ[0] + "..]";
        }
        return "Weights[" + real.length + (q == null ? " float" : " " + q) + "]";
    }
}
