package io.tinyreid.nn.ir;

import java.util.List;

/**
 * 2-D convolution with stride, zero padding, groups, bias and a fused activation. Weights are
 * {@code [out][in/groups][kernelH][kernelW]}. When quantised, the bias is stored at the output's
 * fractional bits (in int16 even when the output is int8)
 * and the right shift applied to products is {@link #norm()}.
 */
public record Conv2d(String name, Tensor input, Tensor output, int kernelH, int kernelW, int strideH, int strideW,
                     Padding padding, int groups, Weights weight, Weights bias, Activation activation)
        implements Layer {
    public Conv2d {
        Shape in = input.shape();
        if (groups <= 0 || in.channels() % groups != 0 || output.shape().channels() % groups != 0) {
            throw new IllegalArgumentException("layer " + name + ": groups " + groups + " do not divide channels");
        }
        if (strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("layer " + name + ": stride must be positive");
        }
        int outC = output.shape().channels();
        Layer.checkShape(name, output, new Shape(outC,
                Padding.outExtent(in.height(), padding.top(), padding.bottom(), kernelH, strideH),
                Padding.outExtent(in.width(), padding.left(), padding.right(), kernelW, strideW)));
        int expected = outC * (in.channels() / groups) * kernelH * kernelW;
        if (weight.length() != expected) {
            throw new IllegalArgumentException("layer " + name + ": weight has " + weight.length()
                    + " values, expected " + expected);
        }
        if (bias.length() != outC) {
            throw new IllegalArgumentException("layer " + name + ": bias has " + bias.length() + " values, expected " + outC);
        }
        if (input.quantised() != output.quantised() || input.quantised() != weight.quantised()) {
            throw new IllegalArgumentException("layer " + name + ": mixes float and fixed-point tensors");
        }
        if (weight.quantised() && (bias.q() == null || bias.q().fracBits() != output.q().fracBits())) {
            throw new IllegalArgumentException("layer " + name + ": bias " + bias.q() + " must be at the output's "
                    + output.q());
        }
    }

    /** Input channels per group. */
    public int inPerGroup() {
        return input.shape().channels() / groups;
    }

    /** Output channels. */
    public int outChannels() {
        return output.shape().channels();
    }

    /** Right shift of the products: {@code inFrac + wFrac - outFrac} (quantised, per-tensor weights). */
    public int norm() {
        if (weight.perChannel()) {
            throw new IllegalStateException("layer " + name + " has per-channel weight formats: use norm(channel)");
        }
        return input.q().fracBits() + weight.q().fracBits() - output.q().fracBits();
    }

    /** Right shift of output channel {@code o}'s products (per-tensor or per-channel weights). */
    public int norm(int o) {
        return input.q().fracBits() + weight.channelQ(o).fracBits() - output.q().fracBits();
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }

    @Override
    public long macs() {
        return (long) output.shape().size() * inPerGroup() * kernelH * kernelW;
    }
}
