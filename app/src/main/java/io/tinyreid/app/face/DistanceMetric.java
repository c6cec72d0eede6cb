package io.tinyreid.app.face;

import java.util.Locale;

/** How two descriptors of one model are compared; smaller is more alike. */
public enum DistanceMetric {
    /** Sum of squared differences; over int16 it is accumulated exactly in 64 bits, as on the device. */
    SQUARED_L2("squared-l2"),
    /** Euclidean distance (face-api/dlib convention, threshold 0.6). */
    L2("l2");

    private final String id;

    DistanceMetric(String id) {
        this.id = id;
    }

    /** The name used in settings and threshold files. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; refuses anything else with the accepted names. */
    public static DistanceMetric parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DistanceMetric m : values()) {
            if (m.id.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown distance metric '" + text + "' (expected squared-l2 or l2)");
    }

    /** Distance between two descriptors of the same dimension and format. */
    public double distance(Descriptor a, Descriptor b) {
        if (a.dimension() != b.dimension() || a.format() != b.format()) {
            throw new IllegalArgumentException("cannot compare " + a + " with " + b);
        }
        double squared;
        if (a instanceof Descriptor.Int16 x && b instanceof Descriptor.Int16 y) {
            squared = squaredL2(x.values(), y.values());
        } else {
            squared = 0;
            for (int i = 0; i < a.dimension(); i++) {
                double d = a.component(i) - b.component(i);
                squared += d * d;
            }
        }
        return this == SQUARED_L2 ? squared : Math.sqrt(squared);
    }

    /** The device's identification distance: squared L2 over int16, accumulated in 64 bits. */
    public static long squaredL2(short[] a, short[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = a[i] - b[i];
            sum += (long) d * d;
        }
        return sum;
    }
}
