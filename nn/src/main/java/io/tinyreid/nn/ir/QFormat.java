package io.tinyreid.nn.ir;

/**
 * A power-of-two fixed-point format: {@code real = raw * 2^-fracBits}, stored in {@code bits}
 * (16, the reference's int16, or 8). The reference calls it "Q" + fracBits (Q10 for the descriptor).
 */
public record QFormat(int fracBits, int bits) {
    public QFormat {
        if (fracBits < -31 || fracBits > 31) {
            throw new IllegalArgumentException("fractional bits out of range: " + fracBits);
        }
        if (bits != 8 && bits != 16) {
            throw new IllegalArgumentException("storage width must be 8 or 16 bits, got " + bits);
        }
    }

    /** An int16 format. */
    public QFormat(int fracBits) {
        this(fracBits, 16);
    }

    /** An int8 format. */
    public static QFormat int8(int fracBits) {
        return new QFormat(fracBits, 8);
    }

    /** Bytes of one stored value. */
    public int bytes() {
        return bits / 8;
    }

    /** Largest raw value. */
    public int maxRaw() {
        return (1 << (bits - 1)) - 1;
    }

    /** Smallest raw value. */
    public int minRaw() {
        return -(1 << (bits - 1));
    }

    /** The real value of a raw fixed-point number. */
    public float toReal(int raw) {
        return (float) Math.scalb((double) raw, -fracBits);
    }

    /** The nearest raw value for a real number, saturated to this width. */
    public int toRaw(double real) {
        long r = Math.round(Math.scalb(real, fracBits));
        return (int) Math.max(minRaw(), Math.min(maxRaw(), r));
    }

    /** The nearest raw int16 value for a real number, saturated. */
    public short toRaw16(double real) {
        long r = Math.round(Math.scalb(real, fracBits));
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    @Override
    public String toString() {
        return bits == 16 ? "Q" + fracBits : "Q" + fracBits + "/i8";
    }
}
