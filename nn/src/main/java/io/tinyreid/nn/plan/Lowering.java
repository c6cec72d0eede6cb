package io.tinyreid.nn.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Tensor;

/**
 * Fuses a quantised graph into runtime ops: conv + ReLU + max pool become one op (pooling is per
 * channel, so a pool after a concat is pushed into each part), and a concat whose parts are all
 * convs disappears because each part writes its channel slice of the concat in place.
 */
public final class Lowering {
    /** The fused ops and the tensors that need memory. */
    public record Result(Graph graph, List<FusedOp> ops, List<Tensor> storages) {}

    private Lowering() {}

    /** Lowers {@code g}; fails clearly on ops the int16 runtime has no kernel for. */
    public static Result lower(Graph g) {
        for (Tensor t : g.tensors()) {
            if (!t.quantised()) {
                throw new UnsupportedOperationException("the fixed-point runtime needs a quantised graph; " + t
                        + " has no Q format (quantise the model first, or use the float mode)");
            }
            if (t.q().bits() != 16) {
                throw new UnsupportedOperationException("the planned runtime has int16 kernels only; " + t
                        + " is " + t.q().bits() + "-bit (see nn/README.md, 'Adding a kernel')");
            }
        }
        for (Layer l : g.layers()) {
            if (l instanceof Conv2d c && (c.weight().perChannel() || c.weight().q().bits() != 16)) {
                throw new UnsupportedOperationException("the planned runtime has int16 kernels only; layer " + c.name()
                        + " has " + c.weight() + " (see nn/README.md, 'Adding a kernel')");
            }
        }
        Set<Layer> absorbed = new HashSet<>();
        Map<Tensor, Tensor> storageOf = new LinkedHashMap<>();
        storageOf.put(g.input(), g.input());
        List<FusedOp> ops = new ArrayList<>();
        for (Layer l : g.layers()) {
            if (absorbed.contains(l)) {
                continue;
            }
            switch (l) {
                case Conv2d c -> {
                    MaxPool pool = null;
                    Tensor dest = c.output();
                    Layer next = only(g, dest);
                    if (next instanceof MaxPool m) {
                        pool = m;
                        absorbed.add(m);
                        dest = m.output();
                        next = only(g, dest);
                    }
                    Tensor storage = dest;
                    int offset = 0;
                    if (next instanceof Concat k && partsAreConvs(g, k)) {
                        absorbed.add(k);
                        storage = k.output();
                        for (Tensor part : k.inputs()) {
                            if (part.equals(dest)) {
                                break;
                            }
                            offset += part.shape().channels();
                        }
                        if (pool == null && only(g, k.output()) instanceof MaxPool m2 && samePoolable(g, k)) {
                            pool = m2;
                            absorbed.add(m2);
                            storage = m2.output();
                        }
                    }
                    Tensor in = storageOf.get(c.input());
                    if (in == null || !in.equals(c.input()) && in.shape().channels() != c.input().shape().channels()) {
                        throw new UnsupportedOperationException("layer " + c.name() + " reads a slice of a tensor");
                    }
                    storageOf.put(dest, storage);
                    storageOf.put(storage, storage);
                    ops.add(new FusedOp.ConvPool(ops.size(), c, pool, in, storage, offset));
                }
                case GlobalAvgPool a -> {
                    Tensor in = storageOf.get(a.input());
                    storageOf.put(a.output(), a.output());
                    ops.add(new FusedOp.Average(ops.size(), a, in, a.output()));
                }
                default -> throw new UnsupportedOperationException("the int16 runtime has no kernel for layer "
                        + l.name() + " (" + l.getClass().getSimpleName() + ") yet; see nn/README.md, 'Adding a kernel'");
            }
        }
        return new Result(g, List.copyOf(ops), storageOf.values().stream().distinct().toList());
    }

    private static Layer only(Graph g, Tensor t) {
        List<Layer> c = g.consumers(t);
        return c.size() == 1 ? c.getFirst() : null;
    }

    private static boolean partsAreConvs(Graph g, Concat k) {
        for (Tensor part : k.inputs()) {
            Layer p = g.producer(part);
            if (p instanceof MaxPool m) {
                p = g.producer(m.input());
            }
            if (!(p instanceof Conv2d) || g.consumers(part).size() != 1) {
                return false;
            }
        }
        return true;
    }

    /** A pool after the concat can be pushed into the parts only if no part is pooled already. */
    private static boolean samePoolable(Graph g, Concat k) {
        for (Tensor part : k.inputs()) {
            if (!(g.producer(part) instanceof Conv2d)) {
                return false;
            }
        }
        return true;
    }
}
