package io.tinyreid.nn.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;

/**
 * Float-graph rewrites before quantisation (step 1 of the reference recipe), each exact in real
 * arithmetic:
 * <ul>
 * <li>a {@link Scale} (batch norm, dlib's scale layers) right after a conv that nothing else reads is
 * folded into the conv's weights and bias;</li>
 * <li>a {@link Relu} right after a conv that nothing else reads becomes the conv's fused activation;</li>
 * <li>a {@link Scale} on the graph input (input normalisation) read only by an unpadded conv is folded
 * into that conv, as the reference folded its normalisation into its first 1x1 conv. (With
 * padding it stays: padded zeros would no longer be zeros of the normalised input.)</li>
 * </ul>
 */
public final class Folding {
    private Folding() {}

    /**
     * The result of folding: {@code scalesFolded} still has its ReLUs as separate layers (so
     * calibration sees each conv's output before the ReLU), {@code fused} has them fused;
     * {@code preActivation} maps each fused conv's name to its pre-ReLU tensor in {@code scalesFolded}.
     */
    public record Folded(Graph scalesFolded, Graph fused, Map<String, String> preActivation) {}

    /** The fully folded graph (a new graph; the input graph is unchanged). */
    public static Graph fold(Graph g) {
        return foldAll(g).fused();
    }

    /** Folds scales, then fuses ReLUs, keeping both stages. */
    public static Folded foldAll(Graph g) {
        if (g.input().quantised()) {
            throw new IllegalArgumentException("fold a float graph, not a quantised one");
        }
        List<Layer> layers = new ArrayList<>(g.layers());
        while (foldInputScale(g, layers) || foldPair(g, layers, false)) {
            // fold until nothing changes
        }
        Graph scales = new Graph(g.name(), g.colour(), g.input(), g.output(), layers);
        Map<String, String> pre = new HashMap<>();
        for (Layer l : layers) {
            if (l instanceof Conv2d c) {
                pre.put(c.name(), c.output().name());
            }
        }
        List<Layer> fused = new ArrayList<>(layers);
        while (foldPair(g, fused, true)) {
            // fuse until nothing changes
        }
        return new Folded(scales, new Graph(g.name(), g.colour(), g.input(), g.output(), fused), pre);
    }

    private static int readers(List<Layer> layers, Tensor t) {
        int n = 0;
        for (Layer l : layers) {
            for (Tensor i : l.inputs()) {
                if (i.name().equals(t.name())) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Folds one conv->Scale pair (or, with {@code relus}, conv->Relu); true when something changed. */
    private static boolean foldPair(Graph g, List<Layer> layers, boolean relus) {
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof Conv2d c) || c.activation() != Activation.NONE
                    || c.output().name().equals(g.output().name()) || readers(layers, c.output()) != 1) {
                continue;
            }
            Layer next = null;
            int j;
            for (j = i + 1; j < layers.size(); j++) {
                if (layers.get(j).inputs().stream().anyMatch(t -> t.name().equals(c.output().name()))) {
                    next = layers.get(j);
                    break;
                }
            }
            Conv2d folded = switch (next) {
                case Scale s when !relus -> scaleIntoConv(c, s);
                case Relu r when relus -> new Conv2d(c.name(), c.input(), r.output(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                        c.padding(), c.groups(), c.weight(), c.bias(), Activation.RELU);
                case null, default -> null;
            };
            if (folded != null) {
                layers.set(i, folded);
                layers.remove(j);
                return true;
            }
        }
        return false;
    }

    /** conv then y = x * s[o] + b[o]: w' = w * s[o], b' = b * s[o] + sb[o]; the conv writes the Scale's output. */
    private static Conv2d scaleIntoConv(Conv2d c, Scale s) {
        int outC = c.outChannels();
        float[] w = c.weight().realValues();
        float[] b = c.bias().realValues();
        float[] sc = s.scale().realValues();
        float[] sb = s.bias().realValues();
        int per = w.length / outC;
        for (int o = 0; o < outC; o++) {
            for (int k = 0; k < per; k++) {
                w[o * per + k] *= sc[o];
            }
            b[o] = b[o] * sc[o] + sb[o];
        }
        return new Conv2d(c.name(), c.input(), s.output(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                c.padding(), c.groups(), Weights.ofReal(w), Weights.ofReal(b), c.activation());
    }

    /** input -> Scale -> unpadded conv (only reader): the conv reads the input with folded weights. */
    private static boolean foldInputScale(Graph g, List<Layer> layers) {
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof Scale s) || !s.input().name().equals(g.input().name())
                    || readers(layers, s.output()) != 1) {
                continue;
            }
            for (int j = i + 1; j < layers.size(); j++) {
                if (layers.get(j) instanceof Conv2d c && c.input().name().equals(s.output().name())
                        && c.padding().equals(Padding.NONE) && c.groups() == 1) {
                    int outC = c.outChannels();
                    int inC = c.input().shape().channels();
                    int kk = c.kernelH() * c.kernelW();
                    float[] w = c.weight().realValues();
                    float[] b = c.bias().realValues();
                    float[] sc = s.scale().realValues();
                    float[] sb = s.bias().realValues();
                    for (int o = 0; o < outC; o++) {
                        double extra = 0;
                        for (int ci = 0; ci < inC; ci++) {
                            for (int k = 0; k < kk; k++) {
                                int idx = (o * inC + ci) * kk + k;
                                extra += (double) w[idx] * sb[ci];
                                w[idx] *= sc[ci];
                            }
                        }
                        b[o] = (float) (b[o] + extra);
                    }
                    Conv2d folded = new Conv2d(c.name(), g.input(), c.output(), c.kernelH(), c.kernelW(), c.strideH(),
                            c.strideW(), c.padding(), c.groups(), Weights.ofReal(w), Weights.ofReal(b), c.activation());
                    layers.set(j, folded);
                    layers.remove(i);
                    return true;
                }
                if (layers.get(j).inputs().stream().anyMatch(t -> t.name().equals(s.output().name()))) {
                    break;
                }
            }
        }
        return false;
    }

    /** Tensor names that exist in {@code g} (for checks). */
    static Set<String> names(Graph g) {
        Set<String> s = new HashSet<>();
        for (Tensor t : g.tensors()) {
            s.add(t.name());
        }
        return s;
    }

    /** Maps each tensor name of {@code g} to its tensor. */
    static Map<String, Tensor> byName(Graph g) {
        Map<String, Tensor> m = new HashMap<>();
        for (Tensor t : g.tensors()) {
            m.put(t.name(), t);
        }
        return m;
    }
}
