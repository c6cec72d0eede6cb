package io.tinyreid.app.gallery;

import java.util.List;
import java.util.Map;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorBuffer;
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
    // The people's descriptors again as flat arrays, searched by the frame loop without allocating.
    private final int dimension;
    private final short[] peopleInt16;
    private final float[] peopleFloat;
    private final long[] peopleIds;
    private final String[] peopleNames;

    DescriptorIndex(DistanceMetric metric, List<Entry> entries, Map<Long, String> names) {
        this.metric = metric;
        this.people = entries.stream().filter(e -> e.personId() != null).toList();
        this.strangers = entries.stream().filter(e -> e.strangerId() != null).toList();
        this.dimension = people.isEmpty() ? 0 : people.getFirst().descriptor().dimension();
        boolean int16 = !people.isEmpty() && people.getFirst().descriptor() instanceof Descriptor.Int16;
        peopleInt16 = new short[int16 ? people.size() * dimension : 0];
        peopleFloat = new float[int16 ? 0 : people.size() * dimension];
        peopleIds = new long[people.size()];
        peopleNames = new String[people.size()];
        for (int e = 0; e < people.size(); e++) {
            Entry en = people.get(e);
            peopleIds[e] = en.personId();
            peopleNames[e] = names.getOrDefault(en.personId(), "?");
            for (int i = 0; i < dimension; i++) {
                if (int16) {
                    peopleInt16[e * dimension + i] = (short) en.descriptor().component(i);
                } else {
                    peopleFloat[e * dimension + i] = (float) en.descriptor().component(i);
                }
            }
        }
    }

    /**
     * The nearest person descriptor of {@code q} judged by {@code t}, into {@code out}; the same
     * distances as {@link #nearestPerson(Descriptor)}, without allocating.
     */
    void nearestPerson(DescriptorBuffer q, Threshold t, Match out) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int e = 0; e < peopleIds.length; e++) {
            double d = distance(q, e);
            if (best < 0 || d < bestDistance) {
                best = e;
                bestDistance = d;
            }
        }
        if (best >= 0 && t.accepts(bestDistance)) {
            out.set(true, peopleIds[best], peopleNames[best], bestDistance, t.accept());
        } else {
            out.set(false, 0, "", bestDistance, t.accept());
        }
    }

    private double distance(DescriptorBuffer q, int entry) {
        int base = entry * dimension;
        if (peopleInt16.length > 0) {
            short[] v = q.int16();
            long sum = 0;
            for (int i = 0; i < dimension; i++) {
                int d = v[i] - peopleInt16[base + i];
                sum += (long) d * d;
            }
            double squared = sum;
            return metric == DistanceMetric.SQUARED_L2 ? squared : Math.sqrt(squared);
        }
        float[] v = q.float32();
        double squared = 0;
        for (int i = 0; i < dimension; i++) {
            double d = (double) v[i] - peopleFloat[base + i];
            squared += d * d;
        }
        return metric == DistanceMetric.SQUARED_L2 ? squared : Math.sqrt(squared);
    }

    /** Descriptors held (people's and strangers'). */
    int size() {
        return people.size() + strangers.size();
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
