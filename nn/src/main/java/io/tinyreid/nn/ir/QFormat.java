package io.tinyreid.nn.ir;

/**
 * A power-of-two fixed-point format for int16 (or int8) values: {@code real = raw * 2^-fracBits}.
 * The reference calls it "Q" + fracBits (Q10 for the descriptor).
 */
public record QFormat(int fracBits) {
    public QFormat {
        if (fracBits < -31 || fracBits > 31) {
            throw new IllegalArgumentException("fractional bits out of range: " + fracBits);
        }
    }

    /** The real value of a raw fixed-point number. */
    public float toReal(int raw) {
        return (float) Math.scalb((double) raw, -fracBits);
    }

    /** The nearest raw int16 value for a real number, saturated. */
    public short toRaw16(double real) {
        long r = Math.round(Math.scalb(real, fracBits));
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    @Override
    public String toString() {
        return "Q" + fracBits;
    }
}
