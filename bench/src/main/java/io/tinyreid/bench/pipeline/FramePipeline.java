package io.tinyreid.bench.pipeline;

/** One way of processing a doorbell frame end to end (ours or the peer), timed per frame. */
public interface FramePipeline extends AutoCloseable {
    /** Processes frame {@code i}; returns a value derived from the result (so nothing is optimised away). */
    long process(int i);

    /** The descriptor computed for the last frame (null for detection only). */
    float[] lastDescriptor();

    @Override
    void close();
}
