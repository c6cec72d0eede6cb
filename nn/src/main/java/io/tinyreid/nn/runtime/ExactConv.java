package io.tinyreid.nn.runtime;

/**
 * The GAP8 arithmetic, bit for bit: output starts at the bias; for each input channel the products
 * of its window are summed in a wrapping 32-bit int, shifted right by {@code norm} with rounding,
 * and added to the output with int16 saturation; then ReLU.
 */
final class ExactConv implements ConvKernel {
    private final int[] acc;
    private final int[] out;

    ExactConv(int width) {
        acc = new int[width];
        out = new int[width];
    }

    @Override
    public void convRow(short[] a, ConvStage s, int r, int dst, int dstCs) {
        final int[] acc = this.acc;
        final int[] out = this.out;
        final int ow = s.convW;
        final int norm = s.norm;
        final int rnd = norm > 0 ? 1 << (norm - 1) : 0;
        final int kh = s.kh;
        final int kw = s.kw;
        final int sw = s.sw;
        final View in = s.in;
        for (int oc = s.c0; oc < s.c1; oc++) {
            int rel = oc - s.c0;
            int w0 = s.wBase + rel * s.taps;
            java.util.Arrays.fill(out, 0, ow, a[s.bBase + rel]);
            for (int ic = 0; ic < s.cin; ic++) {
                java.util.Arrays.fill(acc, 0, ow, 0);
                for (int ky = 0; ky < kh; ky++) {
                    int iy = r * s.sh - s.pt + ky;
                    if (iy < 0 || iy >= s.inH) {
                        continue;
                    }
                    int row = in.addr(ic, iy) - s.pl;
                    int wk = w0 + (ic * kh + ky) * kw;
                    for (int kx = 0; kx < kw; kx++) {
                        int w = a[wk + kx];
                        if (w == 0) {
                            continue;
                        }
                        int src = row + kx;
                        int x1 = s.x1[kx];
                        if (sw == 1) {
                            for (int ox = s.x0[kx]; ox < x1; ox++) {
                                acc[ox] += w * a[src + ox];
                            }
                        } else {
                            for (int ox = s.x0[kx]; ox < x1; ox++) {
                                acc[ox] += w * a[src + ox * sw];
                            }
                        }
                    }
                }
                for (int ox = 0; ox < ow; ox++) {
                    int v = out[ox] + ((acc[ox] + rnd) >> norm);
                    out[ox] = v > 32767 ? 32767 : Math.max(v, -32768);
                }
            }
            int d = dst + rel * dstCs;
            boolean relu = s.relu;
            for (int ox = 0; ox < ow; ox++) {
                int v = out[ox];
                a[d + ox] = (short) (relu && v < 0 ? 0 : v);
            }
        }
    }
}
