package io.tinyreid.app.gallery;

import java.util.List;
import java.util.Map;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DistanceMetric;

/**
 * An immutable in-memory list of descriptors of one model with their owners, searched linearly
 * (a household has tens of people; the device did the same over 10-20). People are compared through
 * their templates ({@link TemplateRule}) in unit-vector space; strangers by their raw descriptors.
 */
final class DescriptorIndex {
    /** One stored descriptor: owner is a person or a stranger. */
    record Entry(long photoId, Long personId, Long strangerId, Descriptor descriptor) {}

    /** The nearest entry and its distance. */
    record Nearest(Entry entry, double distance) {}

    private final DistanceMetric metric;
    private final List<Entry> people;
    private final List<Entry> strangers;
    // The people's templates (TemplateRule over their photos' Q14 unit descriptors) as flat arrays,
    // searched by the frame loop without allocating.
    private final int dimension;
    private final short[] templates;
    private final long[] templateOwner;
    private final String[] templateName;
    private final int peopleCount;
    private final int mostPhotos;

    DescriptorIndex(DistanceMetric metric, List<Entry> entries, Map<Long, String> names, TemplateRule rule) {
        this.metric = metric;
        this.people = entries.stream().filter(e -> e.personId() != null).toList();
        this.strangers = entries.stream().filter(e -> e.strangerId() != null).toList();
        this.dimension = people.isEmpty() ? 0 : people.getFirst().descriptor().dimension();
        Map<Long, List<short[]>> byPerson = new java.util.TreeMap<>();
        for (Entry e : people) {
            byPerson.computeIfAbsent(e.personId(), k -> new java.util.ArrayList<>()).add(unit(e.descriptor()));
        }
        List<short[]> flat = new java.util.ArrayList<>();
        List<Long> owners = new java.util.ArrayList<>();
        byPerson.forEach((person, photos) -> rule.templates(photos).forEach(t -> {
            flat.add(t);
            owners.add(person);
        }));
        peopleCount = byPerson.size();
        mostPhotos = byPerson.values().stream().mapToInt(List::size).max().orElse(0);
        templates = new short[flat.size() * dimension];
        templateOwner = new long[flat.size()];
        templateName = new String[flat.size()];
        for (int t = 0; t < flat.size(); t++) {
            System.arraycopy(flat.get(t), 0, templates, t * dimension, dimension);
            templateOwner[t] = owners.get(t);
            templateName[t] = names.getOrDefault(owners.get(t), "?");
        }
    }

    /** {@code d} as a Q14 unit vector. */
    static short[] unit(Descriptor d) {
        short[] u = new short[d.dimension()];
        switch (d) {
            case Descriptor.Int16 x -> UnitVectors.fromInt16(x.values(), u);
            case Descriptor.Float32 x -> UnitVectors.fromFloat(x.values(), u);
        }
        return u;
    }

    /**
     * Judges {@code q} (a Q14 unit vector) against the people's templates into {@code out}: the nearest
     * person is named when closer than {@code accept} and, with a {@code margin}, the second-nearest
     * person is at least that much farther. Allocates nothing.
     */
    void nearestPerson(short[] q, double accept, double margin, Match out) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        for (int t = 0; t < templateOwner.length; t++) {
            double d = UnitVectors.distance(q, 0, templates, t * dimension, dimension);
            if (d < bestDistance) {
                if (best >= 0 && templateOwner[best] != templateOwner[t]) {
                    second = bestDistance;
                }
                best = t;
                bestDistance = d;
            } else if (d < second && templateOwner[t] != templateOwner[best]) {
                second = d;
            }
        }
        if (best >= 0 && bestDistance < accept && second - bestDistance >= margin) {
            out.set(true, templateOwner[best], templateName[best], bestDistance, accept);
        } else {
            out.set(false, 0, "", bestDistance, accept);
        }
    }

    /** The people's templates as identification compares them (copies). */
    DecisionData decisionData(double accept, double margin) {
        return new DecisionData(dimension, templates.clone(), templateOwner.clone(), accept, margin);
    }

    /** Templates the people's side holds (what identification compares and the budget keeps). */
    int templateCount() {
        return templateOwner.length;
    }

    /** The most photos any one person has under this model. */
    int mostPhotos() {
        return mostPhotos;
    }

    /** People enrolled under this model. */
    int peopleCount() {
        return peopleCount;
    }

    /** Descriptors held: the people's templates and the strangers' descriptors. */
    int size() {
        return templateOwner.length + strangers.size();
    }

    /** Every stranger descriptor closer than {@code threshold}, nearest first. */
    List<Nearest> strangersWithin(Descriptor q, Threshold threshold) {
        return strangers.stream()
                .map(e -> new Nearest(e, metric.distance(q, e.descriptor())))
                .filter(n -> threshold.accepts(n.distance()))
                .sorted((a, b) -> Double.compare(a.distance(), b.distance()))
                .toList();
    }

}
