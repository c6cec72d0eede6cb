package io.tinyreid.nn.runtime;

/**
 * One precision family's convolution. {@link #prepare} runs once per weight tile (weights of the
 * tile are at {@code s.wBase} as {@code [oc - c0][ic][ky][kx]}, biases at {@code s.bBase});
 * {@link #convRows} computes pre-pool rows {@code [r, r + n)} of channels {@code [s.c0, s.c1)}: row
 * {@code r + k} of channel {@code oc} goes to {@code a[s.rowDst[k] + (oc - s.c0) * dstCs + x]}.
 * Scratch beyond the arena is sized by {@link io.tinyreid.nn.plan.KernelScratch} so the plan counts it.
 *
 * <p>A new family (int8, issue 4) is a new implementation here and a new {@link Mode}.
 */
sealed interface ConvKernel permits ExactConv, FastConv {
    /** Starts an inference: nothing computed from the previous input may be reused. */
    void newRun();

    void prepare(short[] a, ConvStage s);

    void convRows(short[] a, ConvStage s, int r, int n, int dstCs);
}
