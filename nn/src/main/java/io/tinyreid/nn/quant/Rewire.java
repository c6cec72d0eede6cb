package io.tinyreid.nn.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.L2Normalize;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.ZeroPad;

/** Rebuilds a layer with some of its tensors replaced (by name), for graph rewrites. */
final class Rewire {
    private Rewire() {}

    static Tensor sub(Map<String, Tensor> m, Tensor t) {
        return m.getOrDefault(t.name(), t);
    }

    /** The layer with every input and its output looked up in {@code m} (missing names stay). */
    static Layer layer(Layer l, Map<String, Tensor> m) {
        return switch (l) {
            case Conv2d c -> new Conv2d(c.name(), sub(m, c.input()), sub(m, c.output()), c.kernelH(), c.kernelW(),
                    c.strideH(), c.strideW(), c.padding(), c.groups(), c.weight(), c.bias(), c.activation());
            case Relu r -> new Relu(r.name(), sub(m, r.input()), sub(m, r.output()));
            case MaxPool p -> new MaxPool(p.name(), sub(m, p.input()), sub(m, p.output()), p.kernel(), p.stride(), p.padding());
            case AvgPool p -> new AvgPool(p.name(), sub(m, p.input()), sub(m, p.output()), p.kernel(), p.stride());
            case GlobalAvgPool g -> new GlobalAvgPool(g.name(), sub(m, g.input()), sub(m, g.output()));
            case Concat c -> {
                List<Tensor> parts = new ArrayList<>();
                for (Tensor t : c.inputs()) {
                    parts.add(sub(m, t));
                }
                yield new Concat(c.name(), parts, sub(m, c.output()));
            }
            case Add a -> new Add(a.name(), sub(m, a.a()), sub(m, a.b()), sub(m, a.output()));
            case ZeroPad z -> new ZeroPad(z.name(), sub(m, z.input()), sub(m, z.output()), z.extraChannels(), z.padding());
            case Scale s -> new Scale(s.name(), sub(m, s.input()), sub(m, s.output()), s.scale(), s.bias());
            case FullyConnected f -> new FullyConnected(f.name(), sub(m, f.input()), sub(m, f.output()), f.weight(), f.bias());
            case L2Normalize n -> new L2Normalize(n.name(), sub(m, n.input()), sub(m, n.output()));
        };
    }
}
