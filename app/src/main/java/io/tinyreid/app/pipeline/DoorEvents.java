package io.tinyreid.app.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;


import io.tinyreid.app.events.EventStore;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Identification;
import io.tinyreid.app.gallery.StrangerSighting;

/**
 * Writes the pipeline's verdicts to the household on its own thread, so a slow disk never stalls
 * the frame loop: strangers are recorded in the gallery (which merges repeat visitors), then
 * "known person" and "stranger" events are appended, at most one per person (or stranger) per
 * debounce interval. The hand-off queue is bounded; verdicts beyond it are dropped and counted.
 */
public final class DoorEvents implements AutoCloseable {
    /** A track's verdict, from the pipeline. */
    sealed interface Verdict {
        Instant at();

        byte[] snapshot();
    }

    record KnownVerdict(Instant at, Identification.Known who, byte[] snapshot) implements Verdict {}

    record StrangerVerdict(Instant at, Descriptor descriptor, FacePhoto face, byte[] snapshot) implements Verdict {}

    private static final System.Logger LOG = System.getLogger("tinyreid.events");

    private final Gallery gallery;
    private final EventStore events;
    private final Duration debounce;
    private final Clock clock;
    private final BlockingQueue<Verdict> queue = new ArrayBlockingQueue<>(32);
    private final Map<Long, Instant> lastKnown = new HashMap<>();
    private final Map<Long, Instant> lastStranger = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError = "";

    public DoorEvents(Gallery gallery, EventStore events, Duration debounce, Clock clock) {
        this.gallery = gallery;
        this.events = events;
        this.debounce = debounce;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("door-events").daemon().start(this::run);
    }

    /** Hands a verdict over; returns false (and counts it) when the writer is behind. */
    boolean offer(Verdict v) {
        if (!queue.offer(v)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            Verdict v;
            try {
                v = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!running) {
                    continue;
                }
                Thread.currentThread().interrupt();
                return;
            }
            if (v == null) {
                checkGallery();
                continue;
            }
            try {
                write(v);
                lastError = "";
            } catch (RuntimeException e) {
                // Disk full, database busy...: the doorbell keeps running and says so.
                lastError = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "could not record an event: " + e.getMessage(), e);
            }
        }
    }

    // The frame loop matches against the gallery's in-memory index without touching the database;
    // this thread notices other processes' changes (e.g. 'tinyreid people add') instead.
    private void checkGallery() {
        try {
            gallery.checkForChanges();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not check the household for changes: " + e.getMessage(), e);
        }
    }

    private void write(Verdict v) {
        String model = gallery.model().id();
        switch (v) {
            case KnownVerdict k -> {
                if (recent(lastKnown, k.who().personId(), k.at())) {
                    suppressed.incrementAndGet();
                    return;
                }
                events.append(NewEvent.known(k.at(), k.who(), model, k.snapshot()));
            }
            case StrangerVerdict s -> {
                StrangerSighting sighting = gallery.recordStranger(s.descriptor(), s.face());
                if (recent(lastStranger, sighting.stranger().id(), s.at())) {
                    suppressed.incrementAndGet();
                    return;
                }
                events.append(NewEvent.stranger(s.at(), sighting, model, s.snapshot()));
            }
        }
        written.incrementAndGet();
    }

    private boolean recent(Map<Long, Instant> last, long id, Instant at) {
        Instant before = last.get(id);
        if (before != null && Duration.between(before, at).compareTo(debounce) < 0) {
            return true;
        }
        last.put(id, at);
        if (last.size() > 10_000) {
            last.clear(); // a pathological churn of ids; forgetting only risks one extra event
        }
        return false;
    }

    /** Events written so far. */
    public long written() { return written.get(); }

    /** Verdicts not written because the same person was announced within the debounce interval. */
    public long suppressed() { return suppressed.get(); }

    /** Verdicts dropped because the writer fell behind. */
    public long dropped() { return dropped.get(); }

    /** The last write failure ("" when the last write worked). */
    public String lastError() { return lastError; }

    /** Waits until every handed-over verdict is written (tests, shutdown). */
    public void flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long before = -1;
        while (System.nanoTime() < deadline) {
            if (queue.isEmpty()) {
                // one more poll period so an in-flight write finishes
                long w = written.get() + suppressed.get();
                Thread.sleep(250);
                if (queue.isEmpty() && w == written.get() + suppressed.get() && w == before) {
                    return;
                }
                before = w;
            } else {
                Thread.sleep(20);
            }
        }
    }

    Clock clock() { return clock; }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
