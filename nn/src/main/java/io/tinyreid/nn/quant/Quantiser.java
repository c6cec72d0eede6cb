package io.tinyreid.nn.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * Post-training quantisation of any float graph, following the reference's recipe (DESIGN.md
 * section 1), per tensor and power of two:
 * <ol>
 * <li>fold scale/batch-norm layers (and the input normalisation) into convs ({@link Folding});</li>
 * <li>run calibration inputs through the float graph; {@code int_bits = ceil(log2(max|x|))} for every
 * activation and weight tensor;</li>
 * <li>{@code frac = bits - 1 - int_bits} (a layer's output also covers its bias, which is stored at
 * the output's format); when the 32-bit accumulator would not hold the layer's largest value
 * (output, pre-ReLU sum or bias, at {@code in_frac + w_frac}, with one bit to spare) bits are taken
 * from the weights, so the accumulator never wraps on the calibration data;
 * {@code norm = in_frac + w_frac - out_frac};</li>
 * <li>round to nearest and saturate;</li>
 * <li>tensors that must share a format share the widest one: the inputs and output of a concat (so
 * it copies nothing) and of a residual add (so it adds in place), and the tensors on either side
 * of ReLU, max pool and zero padding.</li>
 * </ol>
 * Int8 uses the same recipe with 8-bit activations and weights, plus a power-of-two format per
 * output channel for the weights of a layer where that lowers the weights' mean relative
 * quantisation error per channel by at least {@link Options#perChannelGain()} (a shift per channel
 * costs nothing at run time). In int8 the
 * graph input (pixels) and output (the descriptor) stay int16; biases are int16 at the output's
 * fractional bits.
 */
public final class Quantiser {
    /** Storage width of the activations and weights. */
    public enum Precision {
        INT16(16), INT8(8);

        private final int bits;

        Precision(int bits) {
            this.bits = bits;
        }

        /** Bits per value. */
        public int bits() {
            return bits;
        }

        /** Parses "int16"/"int8". */
        public static Precision parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "int16" -> INT16;
                case "int8" -> INT8;
                default -> throw new IllegalArgumentException("precision must be int16 or int8, got " + s);
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Options: the precision, and for int8 the gain in weight error (per-tensor error energy over
     * per-channel) above which a layer gets per-channel weight formats (0 disables them).
     */
    public record Options(Precision precision, double perChannelGain, boolean mseRanges) {
        /** Without range search. */
        public Options(Precision precision, double perChannelGain) {
            this(precision, perChannelGain, false);
        }

        /**
         * The reference recipe at this precision; for int8 also per-channel weights where they halve
         * the error and activation ranges searched for the least squared error.
         */
        public static Options of(Precision p) {
            return p == Precision.INT8 ? new Options(p, 2.0, true) : new Options(p, 0, false);
        }
    }

    /** The result: the folded float graph, the quantised graph, and the calibration maxima (of the unfused graph). */
    public record Result(Graph folded, Graph quantised, Map<String, Float> maxAbs, Options options) {}

    /**
     * Magnitudes seen by calibration, per tensor: exact zeros, and a log-scale histogram (16 bins
     * per octave) of the rest, enough to price each power-of-two range.
     */
    static final class Histogram {
        static final int PER_OCTAVE = 16;
        static final int MIN_EXP = -40;
        static final int BINS = 81 * PER_OCTAVE;
        final long[] counts = new long[BINS];
        long zeros;

        void add(float v) {
            double a = Math.abs(v);
            if (a == 0) {
                zeros++;
                return;
            }
            double l = Math.log(a) / Math.log(2);
            int b = (int) Math.floor((l - MIN_EXP) * PER_OCTAVE);
            counts[Math.max(0, Math.min(BINS - 1, b))]++;
        }

        /** Squared error of storing these values with {@code frac} fractional bits in {@code bits}. */
        double error(int frac, int bits) {
            double step = Math.scalb(1.0, -frac);
            double max = ((1 << (bits - 1)) - 1) * step;
            double e = 0;
            for (int b = 0; b < BINS; b++) {
                if (counts[b] == 0) {
                    continue;
                }
                double v = Math.pow(2, MIN_EXP + (b + 0.5) / PER_OCTAVE);
                double d = v > max ? (v - max) * (v - max) : Math.min(step * step / 12, v * v);
                e += counts[b] * d;
            }
            return e;
        }
    }

    private Quantiser() {}

    /** Folds, calibrates on {@code calibration} (graph-input values) and quantises. */
    public static Result quantise(Graph floatGraph, List<float[]> calibration, Options opt) {
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one input");
        }
        Folding.Folded f = Folding.foldAll(floatGraph);
        Map<String, Histogram> hist = opt.mseRanges() ? new HashMap<>() : null;
        Map<String, Float> maxAbs = calibrate(f.scalesFolded(), calibration, hist);
        Graph q = assign(f.fused(), maxAbs, hist, f.preActivation(), opt);
        return new Result(f.fused(), q, maxAbs, opt);
    }

    /** Largest magnitude of every tensor over the calibration inputs (ReLU outputs after the ReLU). */
    public static Map<String, Float> calibrate(Graph folded, List<float[]> calibration) {
        return calibrate(folded, calibration, null);
    }

    private static Map<String, Float> calibrate(Graph folded, List<float[]> calibration, Map<String, Histogram> hist) {
        FloatExecutor ex = new FloatExecutor(folded);
        float[] out = new float[folded.output().shape().size()];
        Map<String, Float> max = new LinkedHashMap<>();
        for (Tensor t : folded.tensors()) {
            max.put(t.name(), 0f);
            if (hist != null) {
                hist.put(t.name(), new Histogram());
            }
        }
        for (float[] in : calibration) {
            ex.run(in, out);
            for (Tensor t : folded.tensors()) {
                float m = max.get(t.name());
                Histogram h = hist == null ? null : hist.get(t.name());
                for (float v : ex.activation(t.name())) {
                    m = Math.max(m, Math.abs(v));
                    if (h != null) {
                        h.add(v);
                    }
                }
                max.put(t.name(), m);
            }
        }
        return max;
    }

    /** {@code ceil(log2(m))}, 0 for 0. */
    static int intBits(double m) {
        if (m <= 0 || !Double.isFinite(m)) {
            return 0;
        }
        int e = Math.getExponent(m);
        return m == Math.scalb(1.0, e) ? e : e + 1;
    }

    private static Graph assign(Graph g, Map<String, Float> maxAbs, Map<String, Histogram> hist,
                                Map<String, String> preActivation, Options opt) {
        int bits = opt.precision().bits();
        // Formats shared across ReLU, max pool, zero pad, add and concat: union-find over tensor names.
        Map<String, String> parent = new HashMap<>();
        for (Tensor t : g.tensors()) {
            parent.put(t.name(), t.name());
        }
        for (Layer l : g.layers()) {
            switch (l) {
                case Relu r -> union(parent, r.input().name(), r.output().name());
                case MaxPool p -> union(parent, p.input().name(), p.output().name());
                case ZeroPad z -> union(parent, z.input().name(), z.output().name());
                case Add a -> {
                    union(parent, a.a().name(), a.output().name());
                    union(parent, a.b().name(), a.output().name());
                }
                case Concat c -> {
                    for (Tensor t : c.inputs()) {
                        union(parent, t.name(), c.output().name());
                    }
                }
                default -> { }
            }
        }
        Map<String, Integer> classBits = new HashMap<>();
        for (Tensor t : g.tensors()) {
            classBits.merge(find(parent, t.name()), intBits(maxAbs.get(t.name())), Math::max);
        }
        // The bias is stored in int16 at the output's fractional bits: widen the format so the bias
        // fits (calibration sees the output after ReLU, where a large bias may be hidden by negative sums).
        Map<String, Integer> biasBits = new HashMap<>();
        for (Layer l : g.layers()) {
            float[] bias = switch (l) {
                case Conv2d c -> c.bias().realValues();
                case FullyConnected f -> f.bias().realValues();
                case Scale s -> s.bias().realValues();
                default -> new float[0];
            };
            double m = 0;
            for (float b : bias) {
                m = Math.max(m, Math.abs(b));
            }
            biasBits.merge(find(parent, l.output().name()), intBits(m), Math::max);
        }
        for (Map.Entry<String, Integer> e : biasBits.entrySet()) {
            // int16 storage holds 16 - bits more integer bits than the tensor's own width.
            classBits.merge(e.getKey(), e.getValue() - (16 - bits), Math::max);
        }
        if (hist != null) {
            searchRanges(g, parent, classBits, biasBits, hist, bits);
        }
        // What the 32-bit accumulator must hold: the larger of the output's range, the conv's value
        // before its fused ReLU, and the bias.
        Map<String, Integer> accBits = new HashMap<>();
        for (Layer l : g.layers()) {
            int b = classBits.get(find(parent, l.output().name()));
            if (l instanceof Conv2d c && preActivation.containsKey(c.name())) {
                b = Math.max(b, intBits(maxAbs.getOrDefault(preActivation.get(c.name()), 0f)));
            }
            accBits.put(l.name(), b);
        }
        Map<String, Tensor> qt = new HashMap<>();
        for (Tensor t : g.tensors()) {
            int width = t == g.input() || t.name().equals(g.output().name()) ? 16 : bits;
            int ib = classBits.get(find(parent, t.name()));
            if (t == g.input() && ib > 15) {
                throw new IllegalArgumentException("graph input reaches " + maxAbs.get(t.name()) + ", too large for int16");
            }
            qt.put(t.name(), new Tensor(t.name(), t.shape(), new QFormat(width - 1 - ib, width)));
        }
        List<Layer> layers = new ArrayList<>();
        for (Layer l : g.layers()) {
            layers.add(switch (l) {
                case Conv2d c -> {
                    Tensor in = qt.get(c.input().name());
                    Tensor out = qt.get(c.output().name());
                    Weights[] wb = quantiseWeights(c.weight().realValues(), c.bias().realValues(), c.outChannels(),
                            in.q(), out.q(), accBits.get(c.name()), bits, opt);
                    yield new Conv2d(c.name(), in, out, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                            c.padding(), c.groups(), wb[0], wb[1], c.activation());
                }
                case FullyConnected f -> {
                    Tensor in = qt.get(f.input().name());
                    Tensor out = qt.get(f.output().name());
                    Weights[] wb = quantiseWeights(f.weight().realValues(), f.bias().realValues(), f.output().shape().size(),
                            in.q(), out.q(), accBits.get(f.name()), bits, opt);
                    yield new FullyConnected(f.name(), in, out, wb[0], wb[1]);
                }
                case Scale s -> {
                    Tensor in = qt.get(s.input().name());
                    Tensor out = qt.get(s.output().name());
                    Weights[] wb = quantiseWeights(s.scale().realValues(), s.bias().realValues(), 1,
                            in.q(), out.q(), accBits.get(s.name()), bits, new Options(opt.precision(), 0));
                    yield new Scale(s.name(), in, out, wb[0], wb[1]);
                }
                default -> Rewire.layer(l, qt);
            });
        }
        return new Graph(g.name(), g.colour(), qt.get(g.input().name()), qt.get(g.output().name()), layers);
    }

    /**
     * Int8 range search: for each class of tensors sharing a format, the integer bits among the
     * max-based value and up to four fewer (clipping rare large values for finer steps) that give
     * the least squared error over the calibration values; never below what the bias needs.
     */
    private static void searchRanges(Graph g, Map<String, String> parent, Map<String, Integer> classBits,
                                     Map<String, Integer> biasBits, Map<String, Histogram> hist, int bits) {
        Map<String, List<String>> members = new HashMap<>();
        for (Tensor t : g.tensors()) {
            if (t != g.input() && !t.name().equals(g.output().name())) {
                members.computeIfAbsent(find(parent, t.name()), k -> new ArrayList<>()).add(t.name());
            }
        }
        for (Map.Entry<String, List<String>> e : members.entrySet()) {
            int top = classBits.get(e.getKey());
            int floor = biasBits.getOrDefault(e.getKey(), Integer.MIN_VALUE) - (16 - bits);
            int best = top;
            double bestErr = Double.MAX_VALUE;
            for (int ib = top; ib >= top - 4 && ib >= floor; ib--) {
                double err = 0;
                for (String name : e.getValue()) {
                    Histogram h = hist.get(name);
                    if (h != null) {
                        err += h.error(bits - 1 - ib, bits);
                    }
                }
                if (err < bestErr) {
                    bestErr = err;
                    best = ib;
                }
            }
            classBits.put(e.getKey(), best);
        }
    }

    /**
     * Weight format for values with largest magnitude {@code m}, limited so the 32-bit accumulator
     * holds values of {@code accInt} integer bits at {@code in_frac + w_frac} with a bit to spare.
     */
    private static QFormat weightFormat(double m, QFormat in, int accInt, int bits) {
        int frac = bits - 1 - intBits(m);
        int limit = 30 - accInt - in.fracBits();
        return new QFormat(Math.min(frac, limit), bits);
    }

    /** [weights, bias]; per-channel formats for int8 where they pay. */
    static Weights[] quantiseWeights(float[] w, float[] b, int outC, QFormat in, QFormat out, int accInt, int bits, Options opt) {
        int per = w.length / outC;
        double all = 0;
        double[] perMax = new double[outC];
        for (int o = 0; o < outC; o++) {
            for (int k = 0; k < per; k++) {
                perMax[o] = Math.max(perMax[o], Math.abs(w[o * per + k]));
            }
            all = Math.max(all, perMax[o]);
        }
        QFormat tq = weightFormat(all, in, accInt, bits);
        short[] tensorRaw = new short[w.length];
        double[] energy = new double[outC];
        double[] tensorErr = new double[outC];
        for (int i = 0; i < w.length; i++) {
            tensorRaw[i] = (short) tq.toRaw(w[i]);
            double d = w[i] - tq.toReal(tensorRaw[i]);
            tensorErr[i / per] += d * d;
            energy[i / per] += (double) w[i] * w[i];
        }
        Weights weights = Weights.ofRaw(tensorRaw, tq);
        if (opt.perChannelGain() > 0 && outC > 1) {
            QFormat[] cq = new QFormat[outC];
            short[] chRaw = new short[w.length];
            double[] chErr = new double[outC];
            for (int o = 0; o < outC; o++) {
                cq[o] = weightFormat(perMax[o], in, accInt, bits);
                for (int k = 0; k < per; k++) {
                    int i = o * per + k;
                    chRaw[i] = (short) cq[o].toRaw(w[i]);
                    double d = w[i] - cq[o].toReal(chRaw[i]);
                    chErr[o] += d * d;
                }
            }
            // Mean relative error per channel: a channel whose small weights a shared format rounds
            // away counts as much as a large one.
            double rt = 0;
            double rc = 0;
            for (int o = 0; o < outC; o++) {
                double e = Math.max(energy[o], 1e-30);
                rt += tensorErr[o] / e;
                rc += chErr[o] / e;
            }
            if (rc * opt.perChannelGain() <= rt && rc < rt) {
                weights = Weights.ofRawPerChannel(chRaw, cq);
            }
        }
        QFormat bq = new QFormat(out.fracBits(), 16);
        short[] braw = new short[b.length];
        for (int i = 0; i < b.length; i++) {
            braw[i] = (short) bq.toRaw(b[i]);
        }
        return new Weights[] {weights, Weights.ofRaw(braw, bq)};
    }

    private static String find(Map<String, String> p, String x) {
        String r = x;
        while (!p.get(r).equals(r)) {
            r = p.get(r);
        }
        p.put(x, r);
        return r;
    }

    private static void union(Map<String, String> p, String a, String b) {
        String ra = find(p, a);
        String rb = find(p, b);
        if (!ra.equals(rb)) {
            p.put(ra, rb);
        }
    }
}
