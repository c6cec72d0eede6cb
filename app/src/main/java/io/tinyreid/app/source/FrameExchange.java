package io.tinyreid.app.source;

/**
 * Hands frames from the capture thread to the processing thread through three reused buffers.
 *
 * <p>The producer fills {@link #back()} and publishes it; the consumer takes the newest published
 * frame. When the producer publishes again before the consumer took the previous frame, that
 * frame is dropped and counted: frames that arrive faster than they are processed never queue.
 * In lossless mode (offline processing of files) the producer waits for the consumer instead.
 */
public final class FrameExchange {
    private final boolean lossless;
    private Frame back = new Frame();
    private Frame ready = new Frame();
    private Frame front = new Frame();
    private boolean fresh;
    private boolean closed;
    private long published;
    private long dropped;

    /** @param lossless true to make the producer wait rather than drop (files processed offline) */
    public FrameExchange(boolean lossless) {
        this.lossless = lossless;
    }

    /** The producer's buffer to fill next. Only the producer thread may touch it. */
    public Frame back() {
        return back;
    }

    /**
     * Publishes the filled back buffer as the newest frame.
     *
     * @return false when the exchange was closed (the producer should stop)
     */
    public synchronized boolean publish() throws InterruptedException {
        if (lossless) {
            while (fresh && !closed) {
                wait();
            }
        }
        if (closed) {
            return false;
        }
        if (fresh) {
            dropped++;
        }
        Frame t = ready;
        ready = back;
        back = t;
        fresh = true;
        published++;
        notifyAll();
        return true;
    }

    /**
     * Waits up to {@code timeoutMillis} for a frame newer than the last one taken.
     *
     * @return the frame (owned by the consumer until its next call), or null on time-out or when
     *     closed with nothing left
     */
    public synchronized Frame take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!fresh && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        if (!fresh) {
            return null;
        }
        Frame t = front;
        front = ready;
        ready = t;
        fresh = false;
        notifyAll();
        return front;
    }

    /** Wakes both sides; no more frames will be published. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** True once closed and every published frame was taken. */
    public synchronized boolean drained() {
        return closed && !fresh;
    }

    public synchronized long published() {
        return published;
    }

    /** Frames overwritten before the consumer took them. */
    public synchronized long dropped() {
        return dropped;
    }
}
