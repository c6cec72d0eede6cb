package io.tinyreid.nn.exec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float convolution inner loop, vectorised over output channels: the input is copied once into
 * a zero-padded channels-last scratch, weights are laid out {@code [tile][ky][kx][ic][16]}, and each
 * step broadcasts one input value of four neighbouring output pixels against sixteen output
 * channels' weights (eight accumulator registers, fused multiply-add). The activation stays with
 * the caller.
 */
final class FloatConvKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int LANES = 8;
    /** Output channels per tile (two vectors). */
    static final int TILE = 16;
    /** Output pixels per step. */
    static final int PIX = 4;

    private FloatConvKernel() {}

    /** True when the kernel handles this conv (dense, output channels a multiple of 16). */
    static boolean handles(int groups, int outC) {
        return groups == 1 && outC % TILE == 0;
    }

    /** Rearranges {@code [oc][ic][kh][kw]} weights into {@code [tile][ky][kx][ic][16]}. */
    static float[] layout(float[] w, int outC, int inC, int kh, int kw) {
        float[] r = new float[w.length];
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
    static void toPaddedHwc(float[] x, int c, int h, int w, int top, int left, int ph, int pw, float[] pad) {
        java.util.Arrays.fill(pad, 0, ph * pw * c, 0f);
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
    static void run(float[] pad, int pw, int inC, float[] wl, float[] bias, int outC, int kh, int kw, int sh, int sw,
                    int oh, int ow, float[] acc) {
        int tiles = outC / TILE;
        int tapStride = inC * TILE;
        for (int t = 0; t < tiles; t++) {
            FloatVector b0 = FloatVector.fromArray(S, bias, t * TILE);
            FloatVector b1 = FloatVector.fromArray(S, bias, t * TILE + LANES);
            int wt = t * kh * kw * tapStride;
            for (int oy = 0; oy < oh; oy++) {
                int ox = 0;
                for (; ox + PIX <= ow; ox += PIX) {
                    FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                    for (int ky = 0; ky < kh; ky++) {
                        int rowBase = (oy * sh + ky) * pw;
                        for (int kx = 0; kx < kw; kx++) {
                            int p0 = (rowBase + ox * sw + kx) * inC;
                            int step = sw * inC;
                            int wk = wt + (ky * kw + kx) * tapStride;
                            for (int ic = 0; ic < inC; ic++) {
                                FloatVector w0 = FloatVector.fromArray(S, wl, wk + ic * TILE);
                                FloatVector w1 = FloatVector.fromArray(S, wl, wk + ic * TILE + LANES);
                                int q = p0 + ic;
                                FloatVector x0 = FloatVector.broadcast(S, pad[q]);
                                FloatVector x1 = FloatVector.broadcast(S, pad[q + step]);
                                FloatVector x2 = FloatVector.broadcast(S, pad[q + 2 * step]);
                                FloatVector x3 = FloatVector.broadcast(S, pad[q + 3 * step]);
                                a00 = w0.fma(x0, a00);
                                a01 = w1.fma(x0, a01);
                                a10 = w0.fma(x1, a10);
                                a11 = w1.fma(x1, a11);
                                a20 = w0.fma(x2, a20);
                                a21 = w1.fma(x2, a21);
                                a30 = w0.fma(x3, a30);
                                a31 = w1.fma(x3, a31);
                            }
                        }
                    }
                    int o = (oy * ow + ox) * outC + t * TILE;
                    a00.intoArray(acc, o);
                    a01.intoArray(acc, o + LANES);
                    a10.intoArray(acc, o + outC);
                    a11.intoArray(acc, o + outC + LANES);
                    a20.intoArray(acc, o + 2 * outC);
                    a21.intoArray(acc, o + 2 * outC + LANES);
                    a30.intoArray(acc, o + 3 * outC);
                    a31.intoArray(acc, o + 3 * outC + LANES);
                }
                for (; ox < ow; ox++) {
                    FloatVector a0 = b0, a1 = b1;
                    for (int ky = 0; ky < kh; ky++) {
                        int rowBase = (oy * sh + ky) * pw;
                        for (int kx = 0; kx < kw; kx++) {
                            int p0 = (rowBase + ox * sw + kx) * inC;
                            int wk = wt + (ky * kw + kx) * tapStride;
                            for (int ic = 0; ic < inC; ic++) {
                                FloatVector xv = FloatVector.broadcast(S, pad[p0 + ic]);
                                a0 = FloatVector.fromArray(S, wl, wk + ic * TILE).fma(xv, a0);
                                a1 = FloatVector.fromArray(S, wl, wk + ic * TILE + LANES).fma(xv, a1);
                            }
                        }
                    }
                    int o = (oy * ow + ox) * outC + t * TILE;
                    a0.intoArray(acc, o);
                    a1.intoArray(acc, o + LANES);
                }
            }
        }
    }
}
