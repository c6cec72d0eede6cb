package io.tinyreid.nn.ir;

import java.util.List;

/** max(0, x), element-wise; input and output share a format. */
public record Relu(String name, Tensor input, Tensor output) implements Layer {
    public Relu {
        Layer.checkShape(name, output, input.shape());
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }
}
