package io.tinyreid.nn.ir;

import java.util.List;

/** Dense layer over the flattened input (CHW order); weights are {@code [out][in]}. */
public record FullyConnected(String name, Tensor input, Tensor output, Weights weight, Weights bias)
        implements Layer {
    public FullyConnected {
        int in = input.shape().size();
        int out = output.shape().size();
        Layer.checkShape(name, output, Shape.vector(out));
        if (weight.length() != in * out || bias.length() != out) {
            throw new IllegalArgumentException("layer " + name + ": weight/bias sizes do not match " + in + "->" + out);
        }
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }

    @Override
    public long macs() {
        return (long) input.shape().size() * output.shape().size();
    }
}
