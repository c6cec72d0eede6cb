package io.tinyreid.nn.quant;

import io.tinyreid.nn.simd.VectorShapes;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The integer convolution inner loop, vectorised over output channels: the input is copied once
 * into a zero-padded channels-last scratch, weights are laid out {@code [tile][ky][kx][ic][16]}, and
 * each step broadcasts one input value of four neighbouring output pixels against sixteen output
 * channels' weights (one 512-bit vector, four accumulator registers; narrower vectors take the
 * tile's channels in 2 or 4 passes). The species is the runtime's ({@link VectorShapes#INT}, as
 * {@code ExactConv} and {@code IntegerConv}): a second IntVector
 * shape in the same JVM makes C2 stop intrinsifying those kernels, which then allocate on every call. The 32-bit sums wrap exactly as
 * {@link IntegerReference}'s do; rounding and saturation stay with the caller.
 */
final class IntConvKernel {
    static final VectorSpecies<Integer> S = VectorShapes.INT;
    /** Output channels per tile (one 512-bit vector of S, two 256-bit, four 128-bit). */
    static final int TILE = 16;
    /** Lanes of one vector of S. */
    private static final int V = S.length();
    /** Output pixels per step. */
    static final int PIX = 4;

    private IntConvKernel() {}

    /** True when the kernel handles this conv (dense, output channels a multiple of 16). */
    static boolean handles(int groups, int outC) {
        return groups == 1 && outC % TILE == 0;
    }

    /** Rearranges {@code [oc][ic][kh][kw]} weights into {@code [tile][ky][kx][ic][16]}. */
    static int[] layout(int[] w, int outC, int inC, int kh, int kw) {
        int[] r = new int[w.length];
        int i = 0;
        for (int t = 0; t < outC / TILE; t++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int ic = 0; ic < inC; ic++) {
                        for (int l = 0; l < TILE; l++) {
                            int oc = t * TILE + l;
                            r[i++] = w[((oc * inC + ic) * kh + ky) * kw + kx];
                        }
                    }
                }
            }
        }
        return r;
    }

    /** Copies planar {@code x} into a zero-padded channels-last {@code pad} of {@code (ph x pw x c)}. */
    static void toPaddedHwc(int[] x, int c, int h, int w, int top, int left, int ph, int pw, int[] pad) {
        java.util.Arrays.fill(pad, 0, ph * pw * c, 0);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int src = (ch * h + y) * w;
                int dst = ((y + top) * pw + left) * c + ch;
                for (int xx = 0; xx < w; xx++) {
                    pad[dst + xx * c] = x[src + xx];
                }
            }
        }
    }

    /**
     * Accumulates the conv into {@code acc} laid out {@code [oy][ox][oc]} (channels last), each
     * channel started at {@code bias[oc]}.
     */
    static void run(int[] pad, int pw, int inC, int[] wl, int[] bias, int outC, int kh, int kw, int sh, int sw,
                    int oh, int ow, int[] acc) {
        int tiles = outC / TILE;
        int tapStride = inC * TILE;
        for (int tv = 0; tv < tiles * TILE; tv += V) {
            int t = tv / TILE;
            int h = tv % TILE; // the tile's first channel in this pass
            IntVector b0 = IntVector.fromArray(S, bias, tv);
            int wt = t * kh * kw * tapStride + h;
            for (int oy = 0; oy < oh; oy++) {
                int ox = 0;
                for (; ox + PIX <= ow; ox += PIX) {
                    IntVector a0 = b0, a1 = b0, a2 = b0, a3 = b0;
                    for (int ky = 0; ky < kh; ky++) {
                        int rowBase = (oy * sh + ky) * pw;
                        for (int kx = 0; kx < kw; kx++) {
                            int p0 = (rowBase + ox * sw + kx) * inC;
                            int step = sw * inC;
                            int wk = wt + (ky * kw + kx) * tapStride;
                            for (int ic = 0; ic < inC; ic++) {
                                IntVector w0 = IntVector.fromArray(S, wl, wk + ic * TILE);
                                int q = p0 + ic;
                                a0 = a0.add(w0.mul(pad[q]));
                                a1 = a1.add(w0.mul(pad[q + step]));
                                a2 = a2.add(w0.mul(pad[q + 2 * step]));
                                a3 = a3.add(w0.mul(pad[q + 3 * step]));
                            }
                        }
                    }
                    int o = (oy * ow + ox) * outC + tv;
                    a0.intoArray(acc, o);
                    a1.intoArray(acc, o + outC);
                    a2.intoArray(acc, o + 2 * outC);
                    a3.intoArray(acc, o + 3 * outC);
                }
                for (; ox < ow; ox++) {
                    IntVector a0 = b0;
                    for (int ky = 0; ky < kh; ky++) {
                        int rowBase = (oy * sh + ky) * pw;
                        for (int kx = 0; kx < kw; kx++) {
                            int p0 = (rowBase + ox * sw + kx) * inC;
                            int wk = wt + (ky * kw + kx) * tapStride;
                            for (int ic = 0; ic < inC; ic++) {
                                int xv = pad[p0 + ic];
                                a0 = a0.add(IntVector.fromArray(S, wl, wk + ic * TILE).mul(xv));
                            }
                        }
                    }
                    int o = (oy * ow + ox) * outC + tv;
                    a0.intoArray(acc, o);
                }
            }
        }
    }
}
