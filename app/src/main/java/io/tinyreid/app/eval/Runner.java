package io.tinyreid.app.eval;

/** One network in one precision, per thread: graph input in, real-valued output out. */
@FunctionalInterface
interface Runner {
    void run(float[] input, float[] output);
}
