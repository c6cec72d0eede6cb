package io.tinyreid.nn.ir;

import java.util.List;

/** Scales the whole tensor to unit Euclidean length (a zero vector stays zero). */
public record L2Normalize(String name, Tensor input, Tensor output) implements Layer {
    public L2Normalize {
        Layer.checkShape(name, output, input.shape());
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }
}
