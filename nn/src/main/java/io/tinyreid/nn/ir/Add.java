package io.tinyreid.nn.ir;

import java.util.List;

/** Element-wise sum of two tensors of one shape (a residual connection). */
public record Add(String name, Tensor a, Tensor b, Tensor output) implements Layer {
    public Add {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("layer " + name + ": adds " + a + " and " + b + " of different shapes");
        }
        Layer.checkShape(name, output, a.shape());
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(a, b);
    }
}
