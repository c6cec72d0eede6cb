package io.tinyreid.nn.ir;

import java.util.List;

/** Concatenation along channels; all parts share height, width (and, when quantised, one format). */
public record Concat(String name, List<Tensor> inputs, Tensor output) implements Layer {
    public Concat {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("layer " + name + ": nothing to concatenate");
        }
        Shape first = inputs.getFirst().shape();
        int channels = 0;
        for (Tensor t : inputs) {
            if (t.shape().height() != first.height() || t.shape().width() != first.width()) {
                throw new IllegalArgumentException("layer " + name + ": " + t + " differs in height/width");
            }
            if (!java.util.Objects.equals(t.q(), output.q())) {
                throw new IllegalArgumentException("layer " + name + ": " + t + " is not at the output's format "
                        + output.q() + " (concat copies nothing, so parts share one Q)");
            }
            channels += t.shape().channels();
        }
        Layer.checkShape(name, output, new Shape(channels, first.height(), first.width()));
    }
}
