package io.tinyreid.nn.ir;

import java.util.List;

/** Per-channel affine map {@code y = x * scale[c] + bias[c]} (batch norm or input normalisation). */
public record Scale(String name, Tensor input, Tensor output, Weights scale, Weights bias) implements Layer {
    public Scale {
        int c = input.shape().channels();
        if (scale.length() != c || bias.length() != c) {
            throw new IllegalArgumentException("layer " + name + ": scale/bias need " + c + " values");
        }
        Layer.checkShape(name, output, input.shape());
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }

    @Override
    public long macs() {
        return input.shape().size();
    }
}
