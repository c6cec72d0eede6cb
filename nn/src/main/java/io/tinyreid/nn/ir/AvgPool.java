package io.tinyreid.nn.ir;

import java.util.List;

/** Square average pooling without padding (the window always lies inside the input). */
public record AvgPool(String name, Tensor input, Tensor output, int kernel, int stride) implements Layer {
    public AvgPool {
        Shape in = input.shape();
        Layer.checkShape(name, output, new Shape(in.channels(),
                Padding.outExtent(in.height(), 0, 0, kernel, stride),
                Padding.outExtent(in.width(), 0, 0, kernel, stride)));
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }
}
