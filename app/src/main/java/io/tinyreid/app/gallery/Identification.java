package io.tinyreid.app.gallery;

/** The gallery's answer for one descriptor. */
public sealed interface Identification permits Identification.Known, Identification.Unknown {
    /** Distance to the nearest enrolled descriptor (infinite when nobody is enrolled). */
    double distance();

    /** The accept threshold in force (a match needs {@code distance < threshold}). */
    double threshold();

    /** A household member. */
    record Known(long personId, String name, double distance, double threshold) implements Identification {}

    /** Nobody enrolled is near enough. */
    record Unknown(double distance, double threshold) implements Identification {}
}
