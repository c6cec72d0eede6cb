package io.tinyreid.nn.runtime;

/**
 * One precision family's convolution: computes pre-pool output row {@code r} of channels
 * {@code [s.c0, s.c1)} into {@code a[dst + (oc - s.c0) * dstCs + x]}. Weights of the tile are at
 * {@code s.wBase} as {@code [oc - c0][ic][ky][kx]}, biases at {@code s.bBase}.
 *
 * <p>A new family (int8, issue 4) is a new implementation here and a new {@link Mode}.
 */
sealed interface ConvKernel permits ExactConv, FastConv {
    void convRow(short[] a, ConvStage s, int r, int dst, int dstCs);
}
