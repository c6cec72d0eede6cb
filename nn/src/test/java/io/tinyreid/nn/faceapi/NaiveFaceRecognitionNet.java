package io.tinyreid.nn.faceapi;

import java.util.Map;

/**
 * face-api's FaceRecognitionNet written out plainly from its TypeScript source
 * ({@code src/faceRecognitionNet/}), straight from the TF-layout weights, for tests: no IR, no
 * planner, no tiling. Activations are {@code [C][H][W]}; sums accumulate in double.
 */
final class NaiveFaceRecognitionNet {
    private final Map<String, FaceApiTensor> w;

    NaiveFaceRecognitionNet(Map<String, FaceApiTensor> weights) {
        this.w = weights;
    }

    /** A planar activation. */
    record Act(int c, int h, int wd, float[] v) {
        float at(int ch, int y, int x) {
            return v[(ch * h + y) * wd + x];
        }
    }

    /** The 128-d descriptor of a prepared {@code [3][150][150]} input. */
    float[] descriptor(float[] input) {
        Act x = new Act(3, 150, 150, input);
        Act out = convLayer(x, "conv32_down", 2, false, true);
        out = maxPool3s2(out);
        out = residual(out, "conv32_1");
        out = residual(out, "conv32_2");
        out = residual(out, "conv32_3");
        out = residualDown(out, "conv64_down");
        out = residual(out, "conv64_1");
        out = residual(out, "conv64_2");
        out = residual(out, "conv64_3");
        out = residualDown(out, "conv128_down");
        out = residual(out, "conv128_1");
        out = residual(out, "conv128_2");
        out = residualDown(out, "conv256_down");
        out = residual(out, "conv256_1");
        out = residual(out, "conv256_2");
        out = residualDown(out, "conv256_down_out");
        float[] avg = new float[out.c()];
        for (int c = 0; c < out.c(); c++) {
            double s = 0;
            for (int i = 0; i < out.h() * out.wd(); i++) {
                s += out.v()[c * out.h() * out.wd() + i];
            }
            avg[c] = (float) (s / (out.h() * out.wd()));
        }
        FaceApiTensor fc = w.get("fc");
        int in = fc.dim(0);
        int o = fc.dim(1);
        float[] d = new float[o];
        for (int j = 0; j < o; j++) {
            double s = 0;
            for (int i = 0; i < in; i++) {
                s += (double) avg[i] * fc.data()[i * o + j];
            }
            d[j] = (float) s;
        }
        return d;
    }

    private Act residual(Act x, String p) {
        Act out = convLayer(x, p + "/conv1", 1, true, true);
        out = convLayer(out, p + "/conv2", 1, true, false);
        float[] v = new float[out.v().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, out.v()[i] + x.v()[i]);
        }
        return new Act(out.c(), out.h(), out.wd(), v);
    }

    private Act residualDown(Act x, String p) {
        Act out = convLayer(x, p + "/conv1", 2, false, true);
        out = convLayer(out, p + "/conv2", 1, true, false);
        int ph = x.h() / 2;
        int pw = x.wd() / 2;
        float[] v = new float[out.c() * ph * pw];
        for (int c = 0; c < out.c(); c++) {
            for (int y = 0; y < ph; y++) {
                for (int xx = 0; xx < pw; xx++) {
                    float pooled = 0f;
                    if (c < x.c()) {
                        pooled = (x.at(c, 2 * y, 2 * xx) + x.at(c, 2 * y, 2 * xx + 1)
                                + x.at(c, 2 * y + 1, 2 * xx) + x.at(c, 2 * y + 1, 2 * xx + 1)) / 4f;
                    }
                    // The conv branch is padded with zeros at the bottom/right when it is smaller.
                    float conv = y < out.h() && xx < out.wd() ? out.at(c, y, xx) : 0f;
                    v[(c * ph + y) * pw + xx] = Math.max(0f, pooled + conv);
                }
            }
        }
        return new Act(out.c(), ph, pw, v);
    }

    /** conv (HWIO filters) + bias, then the scale layer, optional ReLU; 'same' (pad 1) or 'valid'. */
    private Act convLayer(Act x, String p, int stride, boolean same, boolean relu) {
        FaceApiTensor f = w.get(p + "/conv/filters");
        float[] bias = w.get(p + "/conv/bias").data();
        float[] sw = w.get(p + "/scale/weights").data();
        float[] sb = w.get(p + "/scale/biases").data();
        int k = f.dim(0);
        int ci = f.dim(2);
        int co = f.dim(3);
        if (ci != x.c()) {
            throw new IllegalStateException(p + ": expects " + ci + " channels, got " + x.c());
        }
        int pad = same ? (k - 1) / 2 : 0;
        int oh = same ? (x.h() + stride - 1) / stride : (x.h() - k) / stride + 1;
        int ow = same ? (x.wd() + stride - 1) / stride : (x.wd() - k) / stride + 1;
        float[] v = new float[co * oh * ow];
        float[] fd = f.data();
        for (int o = 0; o < co; o++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double s = 0;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = y * stride + ky - pad;
                        if (iy < 0 || iy >= x.h()) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = xx * stride + kx - pad;
                            if (ix < 0 || ix >= x.wd()) {
                                continue;
                            }
                            for (int c = 0; c < ci; c++) {
                                s += (double) x.at(c, iy, ix) * fd[((ky * k + kx) * ci + c) * co + o];
                            }
                        }
                    }
                    float r = (float) s + bias[o];
                    r = r * sw[o] + sb[o];
                    v[(o * oh + y) * ow + xx] = relu ? Math.max(0f, r) : r;
                }
            }
        }
        return new Act(co, oh, ow, v);
    }

    private static Act maxPool3s2(Act x) {
        int oh = (x.h() - 3) / 2 + 1;
        int ow = (x.wd() - 3) / 2 + 1;
        float[] v = new float[x.c() * oh * ow];
        for (int c = 0; c < x.c(); c++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            m = Math.max(m, x.at(c, 2 * y + ky, 2 * xx + kx));
                        }
                    }
                    v[(c * oh + y) * ow + xx] = m;
                }
            }
        }
        return new Act(x.c(), oh, ow, v);
    }
}
