package io.tinyreid.app.gallery;

/**
 * The gallery's decision inputs for the frame loop: a query (as a Q14 unit vector) is the person owning
 * the nearest template when that template is closer than {@code accept} and the second-nearest person
 * is at least {@code margin} farther ({@link Gallery#identify(io.tinyreid.app.face.DescriptorBuffer, Match)}).
 *
 * @param dimension values per template
 * @param templates {@code owners.length x dimension} Q14 unit vectors, template after template
 * @param owners    the person id of each template
 * @param accept    the accept distance in force for this household
 * @param margin    the margin against the second-nearest person
 */
public record DecisionData(int dimension, short[] templates, long[] owners, double accept, double margin) {
    public DecisionData {
        if (templates.length != (long) owners.length * dimension) {
            throw new IllegalArgumentException(owners.length + " owners for " + templates.length + " template values of "
                    + dimension);
        }
    }

    /** Number of templates. */
    public int count() {
        return owners.length;
    }
}
