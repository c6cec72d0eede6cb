package io.tinyreid.nn.runtime;

/**
 * A streamed tensor: rows exist only in a ring, produced on demand by the ops that write it.
 * Checks that a consumer never asks for a row the ring has already overwritten.
 */
final class RowStream {
    private final String name;
    private final int ring;
    private ConvStage[] producers = new ConvStage[0];
    private int produced;

    RowStream(String name, int ring) {
        this.name = name;
        this.ring = ring;
    }

    void addProducer(ConvStage s) {
        ConvStage[] p = java.util.Arrays.copyOf(producers, producers.length + 1);
        p[producers.length] = s;
        producers = p;
    }

    void reset() {
        produced = -1;
    }

    /** Makes rows {@code lo..hi} available. */
    void ensure(int lo, int hi) {
        for (ConvStage p : producers) {
            p.ensure(hi);
        }
        if (hi > produced) {
            produced = hi;
        }
        if (lo <= produced - ring) {
            throw new IllegalStateException("ring of " + ring + " rows for " + name + " is too small: row " + lo
                    + " wanted after row " + produced + " was written");
        }
    }
}
