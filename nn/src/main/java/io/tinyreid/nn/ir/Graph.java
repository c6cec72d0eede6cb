package io.tinyreid.nn.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A network: one input tensor (planar pixels 0..255 of {@link #colour()}), layers in execution
 * order, one output tensor. Every tensor is written once and read only after it is written.
 */
public record Graph(String name, Colour colour, Tensor input, Tensor output, List<Layer> layers) {
    public Graph {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(colour, "colour");
        layers = List.copyOf(layers);
        int expectChannels = colour == Colour.GRAY ? 1 : 3;
        if (input.shape().channels() != expectChannels) {
            throw new IllegalArgumentException("a " + colour + " input needs " + expectChannels + " channel(s), "
                    + input + " has " + input.shape().channels());
        }
        Map<String, Tensor> written = new HashMap<>();
        written.put(input.name(), input);
        Set<String> names = new HashSet<>();
        for (Layer l : layers) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("duplicate layer name " + l.name());
            }
            for (Tensor t : l.inputs()) {
                Tensor known = written.get(t.name());
                if (known == null) {
                    throw new IllegalArgumentException("layer " + l.name() + " reads " + t.name()
                            + " before anything writes it");
                }
                if (!known.equals(t)) {
                    throw new IllegalArgumentException("layer " + l.name() + " reads " + t + " but it was written as " + known);
                }
            }
            if (written.put(l.output().name(), l.output()) != null) {
                throw new IllegalArgumentException("tensor " + l.output().name() + " is written twice");
            }
        }
        if (!output.equals(written.get(output.name()))) {
            throw new IllegalArgumentException("graph output " + output + " is not produced by any layer");
        }
    }

    /** Multiply-accumulates for one inference. */
    public long macs() {
        long sum = 0;
        for (Layer l : layers) {
            sum += l.macs();
        }
        return sum;
    }

    /** Every tensor, input first, in the order written. */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>();
        all.add(input);
        for (Layer l : layers) {
            all.add(l.output());
        }
        return Collections.unmodifiableList(all);
    }

    /** The layers that read {@code t}, in execution order. */
    public List<Layer> consumers(Tensor t) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l.inputs().contains(t)) {
                out.add(l);
            }
        }
        return out;
    }

    /** The layer that writes {@code t}, or {@code null} for the graph input. */
    public Layer producer(Tensor t) {
        for (Layer l : layers) {
            if (l.output().equals(t)) {
                return l;
            }
        }
        return null;
    }

    /** Number of parameters (weights, biases, scales). */
    public long parameters() {
        long n = 0;
        for (Layer l : layers) {
            n += switch (l) {
                case Conv2d c -> c.weight().length() + c.bias().length();
                case FullyConnected f -> f.weight().length() + f.bias().length();
                case Scale s -> s.scale().length() + s.bias().length();
                default -> 0;
            };
        }
        return n;
    }
}
