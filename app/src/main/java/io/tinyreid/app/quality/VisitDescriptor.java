package io.tinyreid.app.quality;

/**
 * One visit's descriptor: the quality-weighted running mean of the unit descriptors of a track's
 * frames, renormalised when read. Holds one float per dimension and is reset and reused per track:
 * adding a frame allocates nothing.
 */
public final class VisitDescriptor {
    /** Sharpness at which a frame gets full weight (about the median LFW dev face's). */
    public static final double SHARP_REFERENCE = 0.03;
    /** Asymmetry at which a frame's weight reaches its floor (LFW dev faces: median 0.98, 99th percentile 1.64). */
    public static final double ASYMMETRY_LIMIT = 2.0;
    /** Smallest weight any described frame gets. */
    public static final double MIN_WEIGHT = 0.05;

    private final float[] sum;
    private double weight;
    private int frames;

    /** A visit descriptor of {@code dimension} components. */
    public VisitDescriptor(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension " + dimension);
        }
        sum = new float[dimension];
    }

    /**
     * Weight of a frame with these measures: proportional to sharpness up to {@link #SHARP_REFERENCE},
     * falling linearly with asymmetry to {@link #MIN_WEIGHT} at {@link #ASYMMETRY_LIMIT}; size does not
     * weigh (the gate's minimum side handles tiny faces).
     */
    public static double weight(int side, double sharpness, double asymmetry) {
        double s = Math.min(1, sharpness / SHARP_REFERENCE);
        double a = Math.max(0, 1 - asymmetry / ASYMMETRY_LIMIT);
        return Math.max(MIN_WEIGHT, s * a);
    }

    /** Forgets every frame (a new track). */
    public void reset() {
        java.util.Arrays.fill(sum, 0f);
        weight = 0;
        frames = 0;
    }

    /** Adds a frame's unit descriptor (Q14, see {@code UnitVectors}) with weight {@code w > 0}. */
    public void add(short[] unit, double w) {
        if (unit.length != sum.length || !(w > 0)) {
            throw new IllegalArgumentException("unit of " + unit.length + " components, weight " + w);
        }
        float fw = (float) w;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += fw * unit[i];
        }
        weight += w;
        frames++;
    }

    /** Frames added since the last reset. */
    public int frames() { return frames; }

    /** Sum of the frames' weights. */
    public double totalWeight() { return weight; }

    /** Bytes held (the running sum). */
    public long sizeBytes() { return 4L * sum.length; }

    /** The renormalised mean as a Q14 unit vector into {@code out} (zeros before the first frame). */
    public void unitInto(short[] out) {
        io.tinyreid.app.gallery.UnitVectors.fromFloat(sum, out);
    }
}
