package io.tinyreid.nn.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;

/** A quantised graph as a float graph (real weights, no formats), so it can be quantised again. */
public final class Dequantise {
    private Dequantise() {}

    /** The float twin of {@code g} (returns {@code g} itself when it is float already). */
    public static Graph toFloat(Graph g) {
        if (!g.input().quantised()) {
            return g;
        }
        Map<String, Tensor> m = new HashMap<>();
        for (Tensor t : g.tensors()) {
            m.put(t.name(), new Tensor(t.name(), t.shape(), null));
        }
        List<Layer> layers = new ArrayList<>();
        for (Layer l : g.layers()) {
            layers.add(switch (l) {
                case Conv2d c -> new Conv2d(c.name(), m.get(c.input().name()), m.get(c.output().name()), c.kernelH(), c.kernelW(),
                        c.strideH(), c.strideW(), c.padding(), c.groups(), real(c.weight()), real(c.bias()), c.activation());
                case FullyConnected f -> new FullyConnected(f.name(), m.get(f.input().name()), m.get(f.output().name()),
                        real(f.weight()), real(f.bias()));
                case Scale s -> new Scale(s.name(), m.get(s.input().name()), m.get(s.output().name()), real(s.scale()), real(s.bias()));
                default -> Rewire.layer(l, m);
            });
        }
        return new Graph(g.name(), g.colour(), m.get(g.input().name()), m.get(g.output().name()), layers);
    }

    private static Weights real(Weights w) {
        return Weights.ofReal(w.realValues());
    }
}
