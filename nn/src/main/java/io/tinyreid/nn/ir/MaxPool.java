package io.tinyreid.nn.ir;

import java.util.List;

/** Square max pooling; padded cells never win (they count as the lowest value). */
public record MaxPool(String name, Tensor input, Tensor output, int kernel, int stride, Padding padding)
        implements Layer {
    public MaxPool {
        Shape in = input.shape();
        Layer.checkShape(name, output, new Shape(in.channels(),
                Padding.outExtent(in.height(), padding.top(), padding.bottom(), kernel, stride),
                Padding.outExtent(in.width(), padding.left(), padding.right(), kernel, stride)));
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }
}
