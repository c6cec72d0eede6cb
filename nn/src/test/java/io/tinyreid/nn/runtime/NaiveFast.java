package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Shape;

/**
 * Fast mode's definition written the obvious way, one output value at a time: the whole dot
 * product (all input channels and taps) summed exactly in 64 bits, then {@code (sum + 2^(norm-1)) >>
 * norm}, plus the bias, saturated to int16, ReLU. The fast kernel sums in float32, so it may differ
 * from this by one unit near a rounding tie.
 */
final class NaiveFast {
    private NaiveFast() {}

    static short[] conv(Conv2d c, short[] in) {
        Shape is = c.input().shape();
        Shape os = c.output().shape();
        int norm = c.norm();
        long half = norm > 0 ? 1L << (norm - 1) : 0;
        short[] out = new short[os.size()];
        for (int oc = 0; oc < os.channels(); oc++) {
            for (int oy = 0; oy < os.height(); oy++) {
                for (int ox = 0; ox < os.width(); ox++) {
                    long sum = 0;
                    for (int ic = 0; ic < is.channels(); ic++) {
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                int v = NaiveExact.at(in, is, ic, oy * c.strideH() - c.padding().top() + ky,
                                        ox * c.strideW() - c.padding().left() + kx);
                                sum += (long) v * c.weight().raw(((oc * is.channels() + ic) * c.kernelH() + ky) * c.kernelW() + kx);
                            }
                        }
                    }
                    long o = ((sum + half) >> norm) + c.bias().raw(oc);
                    o = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, o));
                    if (c.activation() == Activation.RELU && o < 0) {
                        o = 0;
                    }
                    out[(oc * os.height() + oy) * os.width() + ox] = (short) o;
                }
            }
        }
        return out;
    }

    /** The conv, then the fused pool if any (a pool after a concat is applied to this part's channels). */
    static short[] convPool(Conv2d c, MaxPool p, short[] in) {
        short[] y = conv(c, in);
        if (p == null) {
            return y;
        }
        Shape cs = c.output().shape();
        Shape ps = p.output().shape();
        short[] out = new short[cs.channels() * ps.plane()];
        for (int ch = 0; ch < cs.channels(); ch++) {
            for (int oy = 0; oy < ps.height(); oy++) {
                for (int ox = 0; ox < ps.width(); ox++) {
                    int m = Short.MIN_VALUE;
                    for (int ky = 0; ky < p.kernel(); ky++) {
                        for (int kx = 0; kx < p.kernel(); kx++) {
                            int yy = oy * p.stride() - p.padding().top() + ky;
                            int xx = ox * p.stride() - p.padding().left() + kx;
                            if (yy >= 0 && yy < cs.height() && xx >= 0 && xx < cs.width()) {
                                m = Math.max(m, y[(ch * cs.height() + yy) * cs.width() + xx]);
                            }
                        }
                    }
                    out[(ch * ps.height() + oy) * ps.width() + ox] = (short) m;
                }
            }
        }
        return out;
    }
}
