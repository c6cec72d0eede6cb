package io.tinyreid.app.gallery;

import java.util.List;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DistanceMetric;

/**
 * An immutable in-memory list of descriptors of one model with their owners, searched linearly
 * (a household has tens of people; the device did the same over 10-20).
 */
final class DescriptorIndex {
    /** One stored descriptor: owner is a person or a stranger. */
    record Entry(long photoId, Long personId, Long strangerId, Descriptor descriptor) {}

    /** The nearest entry and its distance. */
    record Nearest(Entry entry, double distance) {}

    private final DistanceMetric metric;
    private final List<Entry> people;
    private final List<Entry> strangers;

    DescriptorIndex(DistanceMetric metric, List<Entry> entries) {
        this.metric = metric;
        this.people = entries.stream().filter(e -> e.personId() != null).toList();
        this.strangers = entries.stream().filter(e -> e.strangerId() != null).toList();
    }

    /** Nearest person descriptor, or null when nobody is enrolled. */
    Nearest nearestPerson(Descriptor q) {
        return nearest(people, q);
    }

    /** Every stranger descriptor closer than {@code threshold}, nearest first. */
    List<Nearest> strangersWithin(Descriptor q, Threshold threshold) {
        return strangers.stream()
                .map(e -> new Nearest(e, metric.distance(q, e.descriptor())))
                .filter(n -> threshold.accepts(n.distance()))
                .sorted((a, b) -> Double.compare(a.distance(), b.distance()))
                .toList();
    }

    int personEntries() {
        return people.size();
    }

    private Nearest nearest(List<Entry> entries, Descriptor q) {
        Nearest best = null;
        for (Entry e : entries) {
            double d = metric.distance(q, e.descriptor());
            if (best == null || d < best.distance()) {
                best = new Nearest(e, d);
            }
        }
        return best;
    }
}
