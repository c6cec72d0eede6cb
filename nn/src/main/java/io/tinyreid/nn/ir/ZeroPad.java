package io.tinyreid.nn.ir;

import java.util.List;

/**
 * Zero padding: {@code extraChannels} zero planes appended after the input's channels, and zero
 * rows/columns around each plane (dlib's down-sampling shortcuts).
 */
public record ZeroPad(String name, Tensor input, Tensor output, int extraChannels, Padding padding)
        implements Layer {
    public ZeroPad {
        if (extraChannels < 0) {
            throw new IllegalArgumentException("layer " + name + ": negative channel padding");
        }
        Shape in = input.shape();
        Layer.checkShape(name, output, new Shape(in.channels() + extraChannels,
                in.height() + padding.top() + padding.bottom(), in.width() + padding.left() + padding.right()));
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(input);
    }
}
