package io.tinyreid.app.gallery;

/**
 * The gallery's answer for one descriptor, in a reusable holder so the frame loop can match every
 * identification without allocating ({@link Identification} is the immutable form).
 */
public final class Match {
    private boolean known;
    private long personId;
    private String name = "";
    private double distance = Double.POSITIVE_INFINITY;
    private double threshold;
    private short[] unit = new short[0];

    /** The query as a Q14 unit vector: scratch owned by this holder, grown once per model dimension. */
    short[] unitScratch(int dimension) {
        if (unit.length != dimension) {
            unit = new short[dimension];
        }
        return unit;
    }

    void set(boolean isKnown, long person, String personName, double dist, double accept) {
        known = isKnown;
        personId = person;
        name = personName;
        distance = dist;
        threshold = accept;
    }

    /** True when a household member is near enough. */
    public boolean known() {
        return known;
    }

    /** The person's id (meaningful when {@link #known()}). */
    public long personId() {
        return personId;
    }

    /** The person's name ("" when unknown). */
    public String name() {
        return name;
    }

    /**
     * Distance between unit descriptors to the nearest person's template, 0..2, less that template's
     * stranger-cohort shift when the model's calibration has a cohort (infinite when nobody is enrolled).
     */
    public double distance() {
        return distance;
    }

    /** The accept distance in force (for this household's size and stranger rate). */
    public double threshold() {
        return threshold;
    }

    /** The immutable form (allocates). */
    public Identification toIdentification() {
        return known ? new Identification.Known(personId, name, distance, threshold)
                : new Identification.Unknown(distance, threshold);
    }
}
