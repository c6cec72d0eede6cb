package io.tinyreid.bench.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * Writes the float network of a graph (real weights) as an ONNX model (opset 13), encoding the
 * protobuf by hand, so ONNX Runtime can run the same net as a peer. Input {@code input}
 * [1, C, H, W] float32 pixels 0..255; output {@code output} [1, N] (the flattened graph output).
 */
public final class OnnxExport {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private OnnxExport() {}

    /** {@code OnnxExport MODEL.tinyreid OUT.onnx}: exports a model file's float network. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: OnnxExport MODEL.tinyreid OUT.onnx");
            System.exit(2);
        }
        Graph g = io.tinyreid.nn.store.ModelFile.open(Path.of(args[0])).graph();
        write(g, Path.of(args[1]));
        System.out.println("wrote " + args[1] + ": " + g.name() + ", " + g.layers().size() + " layers, float32");
    }

    /** Writes {@code g} to {@code file}. */
    public static void write(Graph g, Path file) {
        try {
            Files.write(file, encode(g));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The ONNX ModelProto bytes of {@code g}. */
    public static byte[] encode(Graph g) {
        Pb graph = new Pb();
        for (Layer l : g.layers()) {
            String out = l.output().name();
            switch (l) {
                case Conv2d c -> {
                    String w = c.name() + ".weight";
                    String b = c.name() + ".bias";
                    graph.msg(5, initializer(w, c.weight(), c.outChannels(), c.inPerGroup(), c.kernelH(), c.kernelW()));
                    graph.msg(5, initializer(b, c.bias(), c.outChannels()));
                    String convOut = c.activation() == Activation.RELU ? out + ".pre" : out;
                    graph.msg(1, node(c.name(), "Conv", List.of(c.input().name(), w, b), convOut,
                            ints("kernel_shape", c.kernelH(), c.kernelW()), ints("strides", c.strideH(), c.strideW()),
                            ints("pads", pads(c.padding())), intAttr("group", c.groups())));
                    if (c.activation() == Activation.RELU) {
                        graph.msg(1, node(c.name() + ".relu", "Relu", List.of(convOut), out));
                    }
                }
                case Relu r -> graph.msg(1, node(r.name(), "Relu", List.of(r.input().name()), out));
                case MaxPool p -> graph.msg(1, node(p.name(), "MaxPool", List.of(p.input().name()), out,
                        ints("kernel_shape", p.kernel(), p.kernel()), ints("strides", p.stride(), p.stride()),
                        ints("pads", pads(p.padding()))));
                case AvgPool p -> graph.msg(1, node(p.name(), "AveragePool", List.of(p.input().name()), out,
                        ints("kernel_shape", p.kernel(), p.kernel()), ints("strides", p.stride(), p.stride())));
                case GlobalAvgPool p -> graph.msg(1, node(p.name(), "GlobalAveragePool", List.of(p.input().name()), out));
                case Concat c -> graph.msg(1, node(c.name(), "Concat", c.inputs().stream().map(Tensor::name).toList(), out,
                        intAttr("axis", 1)));
                case Add a -> graph.msg(1, node(a.name(), "Add", List.of(a.a().name(), a.b().name()), out));
                case ZeroPad z -> {
                    String p = z.name() + ".pads";
                    Padding q = z.padding();
                    graph.msg(5, int64Tensor(p, new long[] {0, 0, q.top(), q.left(), 0, z.extraChannels(), q.bottom(), q.right()}));
                    graph.msg(1, node(z.name(), "Pad", List.of(z.input().name(), p), out));
                }
                case Scale s -> {
                    int c = s.input().shape().channels();
                    String m = s.name() + ".scale";
                    String b = s.name() + ".bias";
                    graph.msg(5, initializer(m, s.scale(), 1, c, 1, 1));
                    graph.msg(5, initializer(b, s.bias(), 1, c, 1, 1));
                    graph.msg(1, node(s.name() + ".mul", "Mul", List.of(s.input().name(), m), out + ".scaled"));
                    graph.msg(1, node(s.name(), "Add", List.of(out + ".scaled", b), out));
                }
                case FullyConnected f -> {
                    String flat = f.name() + ".flat";
                    String w = f.name() + ".weight";
                    String b = f.name() + ".bias";
                    graph.msg(5, initializer(w, f.weight(), f.output().shape().size(), f.input().shape().size()));
                    graph.msg(5, initializer(b, f.bias(), f.output().shape().size()));
                    graph.msg(1, node(f.name() + ".flatten", "Flatten", List.of(f.input().name()), flat, intAttr("axis", 1)));
                    String gemm = f.name() + ".gemm";
                    graph.msg(1, node(f.name(), "Gemm", List.of(flat, w, b), gemm, intAttr("transB", 1)));
                    graph.msg(1, node(f.name() + ".shape", "Reshape", List.of(gemm, shapeConst(graph, f.name(), f.output().shape())), out));
                }
                case L2Normalize n -> {
                    String flat = n.name() + ".flat";
                    String norm = n.name() + ".norm";
                    graph.msg(1, node(n.name() + ".flatten", "Flatten", List.of(n.input().name()), flat, intAttr("axis", 1)));
                    graph.msg(1, node(n.name(), "LpNormalization", List.of(flat), norm, intAttr("axis", 1), intAttr("p", 2)));
                    graph.msg(1, node(n.name() + ".shape", "Reshape", List.of(norm, shapeConst(graph, n.name(), n.output().shape())), out));
                }
            }
        }
        graph.msg(1, node("output.flatten", "Flatten", List.of(g.output().name()), "output", intAttr("axis", 1)));
        graph.str(2, g.name());
        graph.msg(11, valueInfo("input", g.input().shape().channels(), g.input().shape().height(), g.input().shape().width()));
        graph.msg(12, valueInfo("output", g.output().shape().size()));
        // the graph input keeps its IR name inside: alias it
        Pb model = new Pb();
        model.varint(1, 8);
        model.str(2, "tinyreid");
        model.str(3, "0.1.0");
        model.msg(7, renameInput(graph, g.input().name()));
        Pb opset = new Pb();
        opset.str(1, "");
        opset.varint(2, 13);
        model.msg(8, opset);
        return model.bytes();
    }

    private static Pb renameInput(Pb graph, String irInput) {
        if (irInput.equals("input")) {
            return graph;
        }
        Pb g = new Pb();
        g.msg(1, node("input.alias", "Identity", List.of("input"), irInput));
        g.raw(graph.bytes());
        return g;
    }

    private static String shapeConst(Pb graph, String name, Shape s) {
        String n = name + ".outshape";
        graph.msg(5, int64Tensor(n, new long[] {1, s.channels(), s.height(), s.width()}));
        return n;
    }

    private static int[] pads(Padding p) {
        return new int[] {p.top(), p.left(), p.bottom(), p.right()};
    }

    private static Pb initializer(String name, Weights w, int... dims) {
        Pb t = new Pb();
        for (int d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        t.str(8, name);
        ByteBuffer b = ByteBuffer.allocate(4 * w.length()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < w.length(); i++) {
            b.putFloat(w.real(i));
        }
        t.bytes(9, b.array());
        return t;
    }

    private static Pb int64Tensor(String name, long[] values) {
        Pb t = new Pb();
        t.varint(1, values.length);
        t.varint(2, INT64);
        t.str(8, name);
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        t.bytes(9, b.array());
        return t;
    }

    private static Pb node(String name, String op, List<String> inputs, String output, Pb... attrs) {
        Pb n = new Pb();
        for (String i : inputs) {
            n.str(1, i);
        }
        n.str(2, output);
        n.str(3, name);
        n.str(4, op);
        for (Pb a : attrs) {
            n.msg(5, a);
        }
        return n;
    }

    private static Pb ints(String name, int... values) {
        Pb a = new Pb();
        a.str(1, name);
        for (int v : values) {
            a.varint(8, v);
        }
        a.varint(20, 7); // INTS
        return a;
    }

    private static Pb intAttr(String name, int value) {
        Pb a = new Pb();
        a.str(1, name);
        a.varint(3, value);
        a.varint(20, 2); // INT
        return a;
    }

    private static Pb valueInfo(String name, int... dims) {
        Pb shape = new Pb();
        Pb batch = new Pb();
        batch.varint(1, 1);
        shape.msg(1, batch);
        for (int d : dims) {
            Pb dim = new Pb();
            dim.varint(1, d);
            shape.msg(1, dim);
        }
        Pb tensor = new Pb();
        tensor.varint(1, FLOAT);
        tensor.msg(2, shape);
        Pb type = new Pb();
        type.msg(1, tensor);
        Pb v = new Pb();
        v.str(1, name);
        v.msg(2, type);
        return v;
    }

    /** A protobuf message being written: fields appended in order. */
    static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long v) {
            tag(field, 0);
            writeVarint(v);
        }

        void str(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(int field, byte[] b) {
            tag(field, 2);
            writeVarint(b.length);
            out.writeBytes(b);
        }

        void msg(int field, Pb m) {
            bytes(field, m.bytes());
        }

        void raw(byte[] b) {
            out.writeBytes(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wire) {
            writeVarint(((long) field << 3) | wire);
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
