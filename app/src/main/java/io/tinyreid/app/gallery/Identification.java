package io.tinyreid.app.gallery;

/** The gallery's answer for one descriptor. */
public sealed interface Identification permits Identification.Known, Identification.Unknown {
    /** Distance between unit descriptors to the nearest person, 0..2 (infinite when nobody is enrolled). */
    double distance();

    /** The accept distance in force (a match needs {@code distance < threshold}). */
    double threshold();

    /** How alike the face and the nearest person are: cosine similarity, 1 = identical (NaN when nobody is enrolled). */
    default double similarity() {
        return Double.isFinite(distance()) ? UnitVectors.similarity(distance()) : Double.NaN;
    }

    /** A household member. */
    record Known(long personId, String name, double distance, double threshold) implements Identification {}

    /** Nobody enrolled is near enough. */
    record Unknown(double distance, double threshold) implements Identification {}
}
