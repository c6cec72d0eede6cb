package io.tinyreid.nn.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;

/**
 * Imports GreenWaves' FaceReID quantised SqueezeNet 1.1 ({@code quantized_model/*.json}, 26 files)
 * into the IR: 128x128 grey in, 512-d Q10 descriptor out (DESIGN.md section 1).
 *
 * <p>Each file holds one conv: {@code weight[out][in][kh][kw]}, {@code bias}, {@code norm},
 * {@code w_frac_bits}, {@code inp_frac_bits}. The output format is derived as
 * {@code inp_frac + w_frac - norm}; the files' {@code out_frac_bits}/{@code b_frac_bits} are stale for
 * some expand1x1 layers and are not trusted.
 */
public final class FaceReidImporter {
    /** Input side of the network. */
    public static final int INPUT_SIZE = 128;
    private static final int[] FIRES = {3, 4, 6, 7, 9, 10, 11, 12};

    private final Path dir;
    private final List<Layer> layers = new ArrayList<>();

    private FaceReidImporter(Path dir) {
        this.dir = dir;
    }

    /** Reads the 26 layer files under {@code dir} and returns the graph. */
    public static Graph load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelImportException("FaceReID model directory not found: " + dir);
        }
        return new FaceReidImporter(dir).build();
    }

    private Graph build() {
        Tensor x = new Tensor("input", new Shape(1, INPUT_SIZE, INPUT_SIZE), new QFormat(0));
        x = conv("conv1.0", x, 0, Activation.NONE);
        x = conv("features.0.0", x, 0, Activation.RELU);
        x = maxPool("features.2", x);
        for (int f : FIRES) {
            String p = "features." + f;
            Tensor s = conv(p + ".squeeze.0", x, 0, Activation.RELU);
            Tensor e1 = conv(p + ".expand1x1.0", s, 0, Activation.RELU);
            Tensor e3 = conv(p + ".expand3x3.0", s, 1, Activation.RELU);
            if (!e1.q().equals(e3.q())) {
                throw new ModelImportException(p + ".expand1x1.0.json and " + p + ".expand3x3.0.json: field norm gives "
                        + e1.q() + " and " + e3.q() + ", but a fire module's concat needs one format");
            }
            Tensor cat = new Tensor(p, new Shape(e1.shape().channels() + e3.shape().channels(),
                    e1.shape().height(), e1.shape().width()), e1.q());
            layers.add(new Concat(p + ".cat", List.of(e1, e3), cat));
            x = cat;
            if (f == 4 || f == 7) {
                x = maxPool("features." + (f + 1), x);
            }
        }
        Tensor descriptor = new Tensor("descriptor", Shape.vector(x.shape().channels()), x.q());
        layers.add(new GlobalAvgPool("pool", x, descriptor));
        return new Graph("facereid", Colour.GRAY, layers.getFirst().inputs().getFirst(), descriptor, layers);
    }

    private Tensor maxPool(String name, Tensor in) {
        Shape s = in.shape();
        Tensor out = new Tensor(name, new Shape(s.channels(), (s.height() - 3) / 2 + 1, (s.width() - 3) / 2 + 1), in.q());
        layers.add(new MaxPool(name, in, out, 3, 2, Padding.NONE));
        return out;
    }

    private Tensor conv(String stem, Tensor in, int pad, Activation act) {
        String file = stem + ".json";
        Map<?, ?> json = read(file);
        int norm = intField(json, file, "norm");
        int wFrac = intField(json, file, "w_frac_bits");
        int inFrac = intField(json, file, "inp_frac_bits");
        if (inFrac != in.q().fracBits()) {
            throw new ModelImportException(file + ": field inp_frac_bits is " + inFrac + " but its input "
                    + in.name() + " is " + in.q());
        }
        if (norm < 0 || norm > 31) {
            throw new ModelImportException(file + ": field norm " + norm + " is outside 0..31");
        }
        List<Integer> dims = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        flatten(field(json, file, "weight"), 0, dims, w, file, "weight");
        if (dims.size() != 4) {
            throw new ModelImportException(file + ": field weight must be 4-D [out][in][kh][kw], has " + dims.size() + " dimensions");
        }
        int outC = dims.get(0);
        int inC = dims.get(1);
        int k = dims.get(2);
        if (dims.get(3) != k || inC != in.shape().channels()) {
            throw new ModelImportException(file + ": field weight has shape " + dims + ", expected [?][" + in.shape().channels()
                    + "][k][k]");
        }
        List<Integer> bdims = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        flatten(field(json, file, "bias"), 0, bdims, b, file, "bias");
        if (bdims.size() != 1 || bdims.getFirst() != outC) {
            throw new ModelImportException(file + ": field bias has shape " + bdims + ", expected [" + outC + "]");
        }
        QFormat outQ = new QFormat(inFrac + wFrac - norm);
        int stride = stem.equals("features.0.0") ? 2 : 1;
        Shape s = in.shape();
        Shape outShape = new Shape(outC, (s.height() + 2 * pad - k) / stride + 1, (s.width() + 2 * pad - k) / stride + 1);
        Tensor out = new Tensor(stem, outShape, outQ);
        layers.add(new Conv2d(stem, in, out, k, k, stride, stride, Padding.same(pad), 1,
                Weights.ofRaw(toInt16(w, file, "weight"), new QFormat(wFrac)),
                Weights.ofRaw(toInt16(b, file, "bias"), outQ), act));
        return out;
    }

    private Map<?, ?> read(String file) {
        Path p = dir.resolve(file);
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelImportException("FaceReID layer file missing: " + p);
        } catch (IOException e) {
            throw new ModelImportException("cannot read " + p + ": " + e.getMessage(), e);
        }
        Object v;
        try {
            v = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ModelImportException(file + ": " + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ModelImportException(file + ": top level must be a JSON object");
        }
        return m;
    }

    private static Object field(Map<?, ?> json, String file, String name) {
        if (!json.containsKey(name)) {
            throw new ModelImportException(file + ": field " + name + " is missing");
        }
        return json.get(name);
    }

    /** Reads an integer field stored as a one-element array (or a bare number). */
    private static int intField(Map<?, ?> json, String file, String name) {
        Object v = field(json, file, name);
        if (v instanceof List<?> l && l.size() == 1) {
            v = l.getFirst();
        }
        if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > 1 << 20) {
            throw new ModelImportException(file + ": field " + name + " must be one integer, found " + v);
        }
        return d.intValue();
    }

    private static void flatten(Object v, int depth, List<Integer> dims, List<Double> out, String file, String field) {
        if (v instanceof List<?> l) {
            if (dims.size() == depth) {
                dims.add(l.size());
            } else if (dims.size() < depth || dims.get(depth) != l.size()) {
                throw new ModelImportException(file + ": field " + field + " is not a rectangular array");
            }
            for (Object e : l) {
                flatten(e, depth + 1, dims, out, file, field);
            }
        } else if (v instanceof Double d) {
            if (dims.size() != depth) {
                throw new ModelImportException(file + ": field " + field + " is not a rectangular array");
            }
            out.add(d);
        } else {
            throw new ModelImportException(file + ": field " + field + " holds " + v + " where a number was expected");
        }
    }

    private static short[] toInt16(List<Double> values, String file, String field) {
        short[] r = new short[values.size()];
        for (int i = 0; i < r.length; i++) {
            double d = values.get(i);
            if (d != Math.rint(d) || d < Short.MIN_VALUE || d > Short.MAX_VALUE) {
                throw new ModelImportException(file + ": field " + field + "[" + i + "] = " + d + " is not an int16");
            }
            r[i] = (short) d;
        }
        return r;
    }
}
