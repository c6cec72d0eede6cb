package io.tinyreid.nn.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.L2Normalize;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * Fuses a quantised graph into runtime ops ({@link FusedOp}) and decides which tensors share
 * storage:
 * <ul>
 * <li>conv + ReLU + max pool become one op (pooling is per channel, so a pool after a concat is
 * pushed into each part), and a concat whose parts are all convs disappears because each part
 * writes its channel slice of the concat in place;</li>
 * <li>fully connected and scale layers become convolutions (a kernel as large as the input; a 1x1
 * conv with one group per channel), so their weights are tiled and streamed like any conv's;</li>
 * <li>a residual block's last conv absorbs the add after it (with the zero rows/columns padding its
 * branch, and the ReLU after the add) and writes over the shortcut, which dies there: the add
 * costs no buffer;</li>
 * <li>other adds and ReLUs are written in place over an operand that dies at them; pools, zero
 * padding and copied concats get a new buffer.</li>
 * </ul>
 * Which runtime can run the result is checked by the planner ({@link PlanOptions.Kernels}).
 */
public final class Lowering {
    /** The fused ops and the tensors that need memory. */
    public record Result(Graph graph, List<FusedOp> ops, List<Tensor> storages) {}

    /** A conv whose residual add is fused, emitted at layer {@code at} (the last layer it absorbs). */
    private record Fusion(Conv2d conv, FusedOp.Residual residual, int at, List<Layer> absorbed) {}

    private final Graph g;
    private final List<Layer> layers;
    private final Map<Tensor, List<Integer>> readers = new HashMap<>();

    private Lowering(Graph g) {
        this.g = g;
        List<Layer> ls = new ArrayList<>();
        for (Layer l : g.layers()) {
            ls.add(asConv(l));
        }
        this.layers = ls;
        for (int i = 0; i < ls.size(); i++) {
            for (Tensor t : ls.get(i).inputs()) {
                readers.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
            }
        }
    }

    /** Lowers {@code g}; fails clearly on an unquantised graph or an op no runtime has (L2 normalisation). */
    public static Result lower(Graph g) {
        for (Tensor t : g.tensors()) {
            if (!t.quantised()) {
                throw new UnsupportedOperationException("the fixed-point runtime needs a quantised graph; " + t
                        + " has no Q format (quantise the model first, or use the float mode)");
            }
        }
        return new Lowering(g).run();
    }

    /** A fully connected or scale layer as the equivalent convolution (same weights, same arithmetic). */
    static Layer asConv(Layer l) {
        return switch (l) {
            case FullyConnected f -> {
                var s = f.input().shape();
                yield new Conv2d(f.name(), f.input(), f.output(), s.height(), s.width(), 1, 1, Padding.NONE, 1,
                        f.weight(), f.bias(), Activation.NONE);
            }
            case Scale s -> new Conv2d(s.name(), s.input(), s.output(), 1, 1, 1, 1, Padding.NONE,
                    s.input().shape().channels(), s.scale(), s.bias(), Activation.NONE);
            default -> l;
        };
    }

    private Result run() {
        // Residual fusions: found structurally, then kept only where the shortcut dies at the add
        // (reads by a fused conv count at the position where it is emitted).
        Map<Conv2d, Fusion> fusions = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Conv2d c) {
                Fusion f = residualAfter(c, i);
                if (f != null) {
                    fusions.put(c, f);
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            int[] at = positions(fusions);
            for (var it = fusions.values().iterator(); it.hasNext(); ) {
                Fusion f = it.next();
                if (lastRead(f.residual().shortcut(), at) > f.at()) {
                    it.remove();
                    changed = true;
                }
            }
        }
        int[] at = positions(fusions);
        Map<Integer, Fusion> emitAt = new HashMap<>();
        Set<Layer> absorbed = new HashSet<>();
        for (Fusion f : fusions.values()) {
            emitAt.put(f.at(), f);
            absorbed.addAll(f.absorbed());
            absorbed.add(f.conv());
        }
        Map<Tensor, Tensor> storageOf = new LinkedHashMap<>();
        Map<Tensor, List<Tensor>> aliases = new HashMap<>();
        storageOf.put(g.input(), g.input());
        aliases.computeIfAbsent(g.input(), k -> new ArrayList<>()).add(g.input());
        List<FusedOp> ops = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Fusion due = emitAt.get(i);
            if (due != null) {
                Conv2d c = due.conv();
                Tensor store = whole(storageOf, due.residual().shortcut(), c.name());
                map(storageOf, aliases, due.residual().result(), store);
                ops.add(new FusedOp.ConvPool(ops.size(), c, null, whole(storageOf, c.input(), c.name()), store, 0, due.residual()));
                continue;
            }
            if (absorbed.contains(l)) {
                continue;
            }
            switch (l) {
                case Conv2d c -> convPool(c, storageOf, aliases, absorbed, ops);
                case GlobalAvgPool a -> {
                    Tensor in = whole(storageOf, a.input(), a.name());
                    map(storageOf, aliases, a.output(), a.output());
                    ops.add(new FusedOp.Average(ops.size(), a, in, a.output()));
                }
                case MaxPool p -> {
                    Tensor in = whole(storageOf, p.input(), p.name());
                    map(storageOf, aliases, p.output(), p.output());
                    ops.add(new FusedOp.Pool(ops.size(), p, in, p.output()));
                }
                case AvgPool p -> {
                    Tensor in = whole(storageOf, p.input(), p.name());
                    map(storageOf, aliases, p.output(), p.output());
                    ops.add(new FusedOp.Pool(ops.size(), p, in, p.output()));
                }
                case ZeroPad z -> {
                    Tensor in = whole(storageOf, z.input(), z.name());
                    map(storageOf, aliases, z.output(), z.output());
                    ops.add(new FusedOp.Pad(ops.size(), z, in, z.output()));
                }
                case Add a -> {
                    Relu relu = null;
                    if (readers(a.output()).size() == 1 && layers.get(readers(a.output()).getFirst()) instanceof Relu r) {
                        relu = r;
                        absorbed.add(r);
                    }
                    Tensor result = relu != null ? relu.output() : a.output();
                    int pos = relu != null ? layers.indexOf(relu) : i;
                    Tensor x = whole(storageOf, a.a(), a.name());
                    Tensor y = whole(storageOf, a.b(), a.name());
                    Tensor store = result;
                    if (inPlace(x, result, pos, aliases, at)) {
                        store = x;
                    } else if (inPlace(y, result, pos, aliases, at)) {
                        store = y;
                    }
                    map(storageOf, aliases, result, store);
                    ops.add(new FusedOp.Sum(ops.size(), a, relu, x, y, store));
                }
                case Relu r -> {
                    Tensor in = whole(storageOf, r.input(), r.name());
                    Tensor store = inPlace(in, r.output(), i, aliases, at) ? in : r.output();
                    map(storageOf, aliases, r.output(), store);
                    ops.add(new FusedOp.Rectify(ops.size(), r, in, store));
                }
                case Concat k -> {
                    List<Tensor> parts = new ArrayList<>();
                    for (Tensor p : k.inputs()) {
                        parts.add(whole(storageOf, p, k.name()));
                    }
                    map(storageOf, aliases, k.output(), k.output());
                    ops.add(new FusedOp.Join(ops.size(), k, List.copyOf(parts), k.output()));
                }
                case L2Normalize n -> throw new UnsupportedOperationException("layer " + n.name()
                        + ": L2 normalisation has no fixed-point kernel; normalise the real-valued output");
                case FullyConnected f -> throw new IllegalStateException("unreachable: " + f.name());
                case Scale s -> throw new IllegalStateException("unreachable: " + s.name());
            }
        }
        List<Tensor> storages = storageOf.values().stream().distinct().toList();
        return new Result(g, List.copyOf(ops), storages);
    }

    /** The existing conv fusion: conv (+max pool) (+ concat in place, + a pool after the concat). */
    private void convPool(Conv2d c, Map<Tensor, Tensor> storageOf, Map<Tensor, List<Tensor>> aliases, Set<Layer> absorbed,
                          List<FusedOp> ops) {
        MaxPool pool = null;
        Tensor dest = c.output();
        Layer next = only(dest);
        if (next instanceof MaxPool m) {
            pool = m;
            absorbed.add(m);
            dest = m.output();
            next = only(dest);
        }
        Tensor storage = dest;
        int offset = 0;
        if (next instanceof Concat k && partsAreConvs(k)) {
            absorbed.add(k);
            storage = k.output();
            for (Tensor part : k.inputs()) {
                if (part.equals(dest)) {
                    break;
                }
                offset += part.shape().channels();
            }
            if (pool == null && only(k.output()) instanceof MaxPool m2 && samePoolable(k)) {
                pool = m2;
                absorbed.add(m2);
                storage = m2.output();
            }
        }
        Tensor in = whole(storageOf, c.input(), c.name());
        map(storageOf, aliases, dest, storage);
        if (!storageOf.containsKey(storage)) {
            map(storageOf, aliases, storage, storage);
        }
        ops.add(new FusedOp.ConvPool(ops.size(), c, pool, in, storage, offset));
    }

    /**
     * conv -> [zero rows/columns after it] -> add(shortcut) -> [ReLU], each read only by the next:
     * the fusion, or null. The shortcut must be another tensor than the conv's input, not the graph
     * input or output, and as wide as the result (it is overwritten by it).
     */
    private Fusion residualAfter(Conv2d c, int i) {
        List<Layer> chain = new ArrayList<>();
        Tensor side = c.output();
        Layer next = only(side);
        ZeroPad pad = null;
        if (next instanceof ZeroPad z && z.extraChannels() == 0 && z.padding().top() == 0 && z.padding().left() == 0) {
            pad = z;
            chain.add(z);
            side = z.output();
            next = only(side);
        }
        if (!(next instanceof Add a) || a.a().equals(a.b())) {
            return null;
        }
        chain.add(a);
        Tensor shortcut = a.a().equals(side) ? a.b() : a.a();
        Relu relu = null;
        if (only(a.output()) instanceof Relu r) {
            relu = r;
            chain.add(r);
        }
        FusedOp.Residual res = new FusedOp.Residual(shortcut, pad, a, relu);
        if (shortcut.equals(g.input()) || shortcut.equals(c.input()) || shortcut.equals(g.output())
                || res.result().equals(g.output()) || res.result().q().bits() != shortcut.q().bits()) {
            return null;
        }
        int at = layers.indexOf(chain.getLast());
        return new Fusion(c, res, at, List.copyOf(chain));
    }

    /** Where each layer runs: its own index, or for a fused conv the layer it is emitted at. */
    private int[] positions(Map<Conv2d, Fusion> fusions) {
        int[] at = new int[layers.size()];
        for (int i = 0; i < at.length; i++) {
            Fusion f = layers.get(i) instanceof Conv2d c ? fusions.get(c) : null;
            at[i] = f != null ? f.at() : i;
        }
        return at;
    }

    private int lastRead(Tensor t, int[] at) {
        int last = -1;
        for (int r : readers(t)) {
            last = Math.max(last, at[r]);
        }
        return t.equals(g.output()) ? Integer.MAX_VALUE : last;
    }

    /**
     * True when {@code result} may be written over storage {@code s} at position {@code pos}: every
     * tensor held there dies by then, it is not the graph input, and it has the same shape and width.
     */
    private boolean inPlace(Tensor s, Tensor result, int pos, Map<Tensor, List<Tensor>> aliases, int[] at) {
        if (s.equals(g.input()) || result.equals(g.output()) || !s.shape().equals(result.shape())
                || s.q().bits() != result.q().bits()) {
            return false;
        }
        for (Tensor t : aliases.getOrDefault(s, List.of())) {
            if (lastRead(t, at) > pos) {
                return false;
            }
        }
        return true;
    }

    private static void map(Map<Tensor, Tensor> storageOf, Map<Tensor, List<Tensor>> aliases, Tensor t, Tensor storage) {
        storageOf.put(t, storage);
        aliases.computeIfAbsent(storage, k -> new ArrayList<>()).add(t);
    }

    /** The storage of a tensor an op reads whole. */
    private static Tensor whole(Map<Tensor, Tensor> storageOf, Tensor t, String layer) {
        Tensor in = storageOf.get(t);
        if (in == null || !in.equals(t) && !in.shape().equals(t.shape())) {
            throw new UnsupportedOperationException("layer " + layer + " reads a slice of a tensor");
        }
        return in;
    }

    private List<Integer> readers(Tensor t) {
        return readers.getOrDefault(t, List.of());
    }

    private Layer only(Tensor t) {
        List<Integer> r = readers(t);
        return r.size() == 1 ? layers.get(r.getFirst()) : null;
    }

    private boolean partsAreConvs(Concat k) {
        for (Tensor part : k.inputs()) {
            Layer p = producer(part);
            if (p instanceof MaxPool m) {
                p = producer(m.input());
            }
            if (!(p instanceof Conv2d) || readers(part).size() != 1) {
                return false;
            }
        }
        return true;
    }

    /** A pool after the concat can be pushed into the parts only if no part is pooled already. */
    private boolean samePoolable(Concat k) {
        for (Tensor part : k.inputs()) {
            if (!(producer(part) instanceof Conv2d)) {
                return false;
            }
        }
        return true;
    }

    private Layer producer(Tensor t) {
        for (Layer l : layers) {
            if (l.output().equals(t)) {
                return l;
            }
        }
        return null;
    }
}
