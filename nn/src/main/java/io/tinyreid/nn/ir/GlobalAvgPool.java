package io.tinyreid.nn.ir;

import java.util.List;

/** Mean of each channel plane, giving a {@code C x 1 x 1} vector. */
public record GlobalAvgPool(String name, Tensor input, Tensor output) implements Layer {
    public GlobalAvgPool {
        Layer.checkShape(name, output, Shape.vector(input.shape().channels()));
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }
}
