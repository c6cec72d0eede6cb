package io.tinyreid.app.gallery;

/** Receives progress of long work (enrolling many photos, re-embedding); called on the working thread. */
@FunctionalInterface
public interface Progress {
    /** {@code done} of {@code total} items finished; {@code item} names the last one. */
    void update(int done, int total, String item);

    /** Ignores progress. */
    Progress NONE = (done, total, item) -> {};
}
