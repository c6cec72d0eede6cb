package io.tinyreid.app.quality;

import java.util.Locale;

/**
 * Which faces are good enough to describe: at least {@code minSide} pixels (the detector's box in the
 * source image), {@link FaceQuality#sharpness} at least {@code minSharpness} and
 * {@link FaceQuality#asymmetry} at most {@code maxAsymmetry}; 0 / infinity turn a test off.
 */
public record QualityGate(int minSide, double minSharpness, double maxAsymmetry) {
    /** No gate at all. */
    public static final QualityGate OFF = new QualityGate(0, 0, Double.POSITIVE_INFINITY);

    public QualityGate {
        if (minSide < 0 || !(minSharpness >= 0) || !(maxAsymmetry > 0)) {
            throw new IllegalArgumentException("bad quality gate: min side " + minSide + ", min sharpness " + minSharpness
                    + ", max asymmetry " + maxAsymmetry);
        }
    }

    /** Why a face fails this gate, or null when it passes. */
    public String failure(int side, double sharpness, double asymmetry) {
        if (side < minSide) {
            return String.format(Locale.ROOT, "face too small (%d px, needs %d)", side, minSide);
        }
        if (sharpness < minSharpness) {
            return String.format(Locale.ROOT, "blurred (sharpness %.3f, needs %.3f)", sharpness, minSharpness);
        }
        if (asymmetry > maxAsymmetry) {
            return String.format(Locale.ROOT, "turned away (asymmetry %.2f, at most %.2f)", asymmetry, maxAsymmetry);
        }
        return null;
    }

    /** True when a face with these measures passes. */
    public boolean passes(int side, double sharpness, double asymmetry) {
        return side >= minSide && sharpness >= minSharpness && asymmetry <= maxAsymmetry;
    }

    /** Parses "SIDE,SHARPNESS,ASYMMETRY" (e.g. "24,0.05,0.6"; "off" for none). */
    public static QualityGate parse(String s) {
        if (s.trim().equalsIgnoreCase("off")) {
            return OFF;
        }
        String[] p = s.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("quality gate: expected MIN_SIDE,MIN_SHARPNESS,MAX_ASYMMETRY, got '" + s + "'");
        }
        try {
            double asym = Double.parseDouble(p[2].trim());
            return new QualityGate(Integer.parseInt(p[0].trim()), Double.parseDouble(p[1].trim()), asym <= 0 ? Double.POSITIVE_INFINITY : asym);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("quality gate: not numbers: '" + s + "'");
        }
    }

    /** "side>=24, sharpness>=0.05, asymmetry<=0.60". */
    public String describe() {
        return String.format(Locale.ROOT, "side>=%d, sharpness>=%.3f, asymmetry<=%.2f", minSide, minSharpness, maxAsymmetry);
    }
}
