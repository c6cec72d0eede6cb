package io.tinyreid.app.source;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The capture thread: opens a source, reads frames into a {@link FrameExchange}, and keeps going
 * when the source fails.
 *
 * <p>A camera that disappears or a stream that stalls is reported and reopened after an
 * exponential backoff; it is never fatal. Only a source that cannot work at all on the first try
 * (no such camera, file or folder) ends the capture with {@link State#FAILED} and a clear message.
 * Files and folders play at their own frame rate when {@code realtime} (as a camera would), or as
 * fast as the consumer takes them otherwise.
 */
public final class Capture implements AutoCloseable {
    /** What the capture is doing. */
    public enum State { STARTING, LIVE, RETRYING, ENDED, FAILED, STOPPED }

    /** A snapshot of the capture for status lines and the UI. */
    public record Status(State state, String source, String message, int failures, long frames,
                         long dropped, long millisSinceLastFrame) {
        /** One line for a console or a status bar. */
        public String line() {
            StringBuilder sb = new StringBuilder(source).append(": ").append(state.name().toLowerCase(java.util.Locale.ROOT));
            if (!message.isEmpty()) {
                sb.append(" - ").append(message);
            }
            if (state == State.LIVE && millisSinceLastFrame > 2000) {
                sb.append(" (no frame for ").append(millisSinceLastFrame / 1000).append(" s)");
            }
            return sb.append(" [").append(frames).append(" frames, ").append(dropped).append(" dropped]").toString();
        }
    }

    private final SourceSpec spec;
    private final SourceOpener opener;
    private final FrameExchange exchange;
    private final Backoff backoff;
    private final boolean realtime;
    private final Consumer<Status> listener;
    private final Thread thread;

    private volatile State state = State.STARTING;
    private volatile String message = "";
    private volatile int failures;
    private volatile long frames;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile boolean running = true;

    /**
     * @param realtime play files and folders at their frame rate (otherwise as fast as taken)
     * @param listener told about every state change (on the capture thread); may be null
     */
    public Capture(SourceSpec spec, SourceOpener opener, FrameExchange exchange, Backoff backoff,
                   boolean realtime, Consumer<Status> listener) {
        this.spec = Objects.requireNonNull(spec);
        this.opener = Objects.requireNonNull(opener);
        this.exchange = Objects.requireNonNull(exchange);
        this.backoff = Objects.requireNonNull(backoff);
        this.realtime = realtime;
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("capture").daemon().unstarted(this::run);
    }

    /** Starts the capture thread. */
    public Capture start() {
        thread.start();
        return this;
    }

    /** The source being captured. */
    public SourceSpec spec() {
        return spec;
    }

    /** Where the frames go. */
    public FrameExchange exchange() {
        return exchange;
    }

    /** Current status (cheap; safe from any thread). */
    public Status status() {
        return new Status(state, spec.describe(), message, failures, frames, exchange.dropped(),
                (System.nanoTime() - lastFrameNanos) / 1_000_000);
    }

    private void report(State newState, String newMessage) {
        state = newState;
        message = newMessage;
        if (listener != null) {
            listener.accept(status());
        }
    }

    private void run() {
        long sequence = 0;
        boolean everOpened = false;
        try {
            while (running) {
                try (FrameSource source = opener.open(spec)) {
                    everOpened = true;
                    long t0Nanos = 0;
                    long ts0 = 0;
                    boolean first = true;
                    while (running) {
                        Frame frame = exchange.back();
                        if (!source.read(frame)) {
                            report(State.ENDED, "end of " + spec.describe());
                            return;
                        }
                        frame.stamp(sequence++, frame.timestampMicros());
                        if (realtime && !source.live()) {
                            if (first) {
                                t0Nanos = System.nanoTime();
                                ts0 = frame.timestampMicros();
                            } else {
                                pace(t0Nanos, frame.timestampMicros() - ts0);
                            }
                        }
                        frames++;
                        lastFrameNanos = System.nanoTime();
                        if (first) {
                            first = false;
                            if (failures > 0) {
                                report(State.LIVE, "recovered after " + failures + (failures == 1 ? " retry" : " retries"));
                            } else {
                                report(State.LIVE, "");
                            }
                            failures = 0;
                        }
                        if (!exchange.publish()) {
                            return;
                        }
                    }
                } catch (SourceException e) {
                    if (!running) {
                        return;
                    }
                    if (e.permanent() && !everOpened) {
                        report(State.FAILED, e.getMessage());
                        return;
                    }
                    failures++;
                    long delay = backoff.delayMillis(failures);
                    report(State.RETRYING, e.getMessage() + "; retry " + failures + " in "
                            + (delay >= 1000 ? delay / 1000 + " s" : delay + " ms"));
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            report(State.FAILED, "capture stopped by an internal error: " + e);
        } finally {
            if (state != State.FAILED && state != State.ENDED) {
                state = State.STOPPED;
            }
            exchange.close();
        }
    }

    private static void pace(long t0Nanos, long offsetMicros) throws InterruptedException {
        long waitNanos = t0Nanos + offsetMicros * 1000 - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    /** Waits for the capture thread to finish (end of a finite source, failure, or close). */
    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** Stops capturing and releases the source. */
    @Override
    public void close() {
        running = false;
        exchange.close();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
