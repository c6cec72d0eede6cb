package io.tinyreid.nn.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import io.tinyreid.nn.ir.Activation;
import io.tinyreid.nn.ir.Add;
import io.tinyreid.nn.ir.AvgPool;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.ir.Concat;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.GlobalAvgPool;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.L2Normalize;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.MaxPool;
import io.tinyreid.nn.ir.Padding;
import io.tinyreid.nn.ir.QFormat;
import io.tinyreid.nn.ir.Relu;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Shape;
import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.ir.Weights;
import io.tinyreid.nn.ir.ZeroPad;

/**
 * Our model file ("L3" external memory): a versioned, checksummed container for any {@link Graph}.
 *
 * <pre>
 * offset 0   magic "TINYREID"                       8 bytes
 *        8   version (u16 = 1), reserved (u16 = 0)
 *       12   header length H (u32)
 *       16   CRC32C of the header (u32)
 *       20   payload length P (u64)
 *       28   reserved (u32 = 0)
 *       32   header: the graph (tensors, layers, and for every weight blob its type, count,
 *            Q format, payload offset and CRC32C)
 *   32 + H   zero padding to a multiple of 64
 *            payload: weight blobs, little-endian int16 (quantised) or float32, each 64-byte aligned
 * </pre>
 * All integers little-endian. The file length must be exactly header end (padded) + P. Opening
 * checks everything once; the runtime then streams blobs tile by tile with positional reads.
 */
public final class ModelFile {
    /** Current format version. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "TINYREID".getBytes(StandardCharsets.US_ASCII);
    private static final int PREAMBLE = 32;
    private static final int ALIGN = 64;
    private static final int MAX_HEADER = 16 << 20;

    /** Where one weight tensor lives in the payload: raw fixed-point values of {@code width} bytes, or float32. */
    public record Blob(boolean raw, int width, int count, long offset, int crc) {
        /** True for raw int16 values (what the int16 runtime streams). */
        public boolean int16() {
            return raw && width == 2;
        }

        /** Bytes in the file. */
        public long bytes() {
            return (long) count * width;
        }
    }

    private final Path path;
    private final Graph graph;
    private final Map<Weights, Blob> blobs;
    private final long payloadStart;

    private ModelFile(Path path, Graph graph, Map<Weights, Blob> blobs, long payloadStart) {
        this.path = path;
        this.graph = graph;
        this.blobs = blobs;
        this.payloadStart = payloadStart;
    }

    /** The file this model was read from. */
    public Path path() {
        return path;
    }

    /** The graph, with its weights also loaded (for the float executor). */
    public Graph graph() {
        return graph;
    }

    /** Absolute file position and type of a weight tensor of {@link #graph()}. */
    public Blob blob(Weights w) {
        Blob b = blobs.get(w);
        if (b == null) {
            throw new IllegalArgumentException("weights not from this model file");
        }
        return new Blob(b.raw(), b.width(), b.count(), payloadStart + b.offset(), b.crc());
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code g} to {@code file} atomically (a temporary file renamed into place). */
    public static void write(Graph g, Path file) {
        Out h = new Out();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        Map<Tensor, Integer> tensorIds = new HashMap<>();
        List<Tensor> tensors = g.tensors();
        h.str("tinyreid-graph");
        h.str(g.name());
        h.u8(g.colour().ordinal());
        h.i32(tensors.size());
        for (Tensor t : tensors) {
            tensorIds.put(t, tensorIds.size());
            h.str(t.name());
            h.i32(t.shape().channels());
            h.i32(t.shape().height());
            h.i32(t.shape().width());
            h.q(t.q());
        }
        h.i32(tensorIds.get(g.output()));
        h.i32(g.layers().size());
        BlobWriter bw = new BlobWriter(h, payload);
        for (Layer l : g.layers()) {
            h.str(l.name());
            switch (l) {
                case Conv2d c -> {
                    h.u8(1);
                    h.i32(tensorIds.get(c.input()));
                    h.i32(tensorIds.get(c.output()));
                    h.i32(c.kernelH());
                    h.i32(c.kernelW());
                    h.i32(c.strideH());
                    h.i32(c.strideW());
                    h.pad(c.padding());
                    h.i32(c.groups());
                    h.u8(c.activation().ordinal());
                    bw.write(c.weight());
                    bw.write(c.bias());
                }
                case Relu r -> {
                    h.u8(2);
                    h.i32(tensorIds.get(r.input()));
                    h.i32(tensorIds.get(r.output()));
                }
                case MaxPool p -> {
                    h.u8(3);
                    h.i32(tensorIds.get(p.input()));
                    h.i32(tensorIds.get(p.output()));
                    h.i32(p.kernel());
                    h.i32(p.stride());
                    h.pad(p.padding());
                }
                case AvgPool p -> {
                    h.u8(4);
                    h.i32(tensorIds.get(p.input()));
                    h.i32(tensorIds.get(p.output()));
                    h.i32(p.kernel());
                    h.i32(p.stride());
                }
                case GlobalAvgPool p -> {
                    h.u8(5);
                    h.i32(tensorIds.get(p.input()));
                    h.i32(tensorIds.get(p.output()));
                }
                case Concat c -> {
                    h.u8(6);
                    h.i32(c.inputs().size());
                    for (Tensor t : c.inputs()) {
                        h.i32(tensorIds.get(t));
                    }
                    h.i32(tensorIds.get(c.output()));
                }
                case Add a -> {
                    h.u8(7);
                    h.i32(tensorIds.get(a.a()));
                    h.i32(tensorIds.get(a.b()));
                    h.i32(tensorIds.get(a.output()));
                }
                case ZeroPad z -> {
                    h.u8(8);
                    h.i32(tensorIds.get(z.input()));
                    h.i32(tensorIds.get(z.output()));
                    h.i32(z.extraChannels());
                    h.pad(z.padding());
                }
                case Scale s -> {
                    h.u8(9);
                    h.i32(tensorIds.get(s.input()));
                    h.i32(tensorIds.get(s.output()));
                    bw.write(s.scale());
                    bw.write(s.bias());
                }
                case FullyConnected f -> {
                    h.u8(10);
                    h.i32(tensorIds.get(f.input()));
                    h.i32(tensorIds.get(f.output()));
                    bw.write(f.weight());
                    bw.write(f.bias());
                }
                case L2Normalize n -> {
                    h.u8(11);
                    h.i32(tensorIds.get(n.input()));
                    h.i32(tensorIds.get(n.output()));
                }
            }
        }
        byte[] header = h.bytes();
        byte[] body = payload.toByteArray();
        ByteBuffer pre = ByteBuffer.allocate(PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(header.length).putInt(crc(header, 0, header.length))
                .putLong(body.length).putInt(0);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeFully(ch, pre.flip());
                writeFully(ch, ByteBuffer.wrap(header));
                writeFully(ch, ByteBuffer.allocate(padTo(PREAMBLE + header.length) - PREAMBLE - header.length));
                writeFully(ch, ByteBuffer.wrap(body));
                ch.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static int padTo(long n) {
        return (int) ((n + ALIGN - 1) / ALIGN * ALIGN);
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Appends blobs to the payload and their descriptors to the header. */
    private static final class BlobWriter {
        private final Out h;
        private final ByteArrayOutputStream payload;

        BlobWriter(Out h, ByteArrayOutputStream payload) {
            this.h = h;
            this.payload = payload;
        }

        void write(Weights w) {
            while (payload.size() % ALIGN != 0) {
                payload.write(0);
            }
            long offset = payload.size();
            int width = w.quantised() ? w.channelQ(0).bytes() : 4;
            for (int c = 0; c < w.channels() && w.quantised(); c++) {
                if (w.channelQ(c).bytes() != width) {
                    throw new IllegalArgumentException("weights mix storage widths across channels");
                }
            }
            ByteBuffer b = ByteBuffer.allocate(w.length() * width).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < w.length(); i++) {
                if (!w.quantised()) {
                    b.putFloat(w.real(i));
                } else if (width == 2) {
                    b.putShort(w.raw(i));
                } else {
                    b.put((byte) w.raw(i));
                }
            }
            byte[] bytes = b.array();
            payload.writeBytes(bytes);
            h.u8(!w.quantised() ? 0 : w.perChannel() ? 2 : 1);
            h.u8(width);
            if (w.perChannel()) {
                h.i32(w.channels());
                for (int c = 0; c < w.channels(); c++) {
                    h.q(w.channelQ(c));
                }
            } else {
                h.q(w.q());
            }
            h.i32(w.length());
            h.i64(offset);
            h.i32(crc(bytes, 0, bytes.length));
        }
    }

    /** Little-endian header writer. */
    private static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        void u8(int v) {
            b.write(v);
        }

        void i32(int v) {
            for (int i = 0; i < 4; i++) {
                b.write(v >>> (8 * i));
            }
        }

        void i64(long v) {
            i32((int) v);
            i32((int) (v >>> 32));
        }

        void str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            i32(u.length);
            b.writeBytes(u);
        }

        void q(QFormat q) {
            u8(q == null ? 0 : 1);
            i32(q == null ? 0 : q.fracBits());
            u8(q == null ? 16 : q.bits());
        }

        void pad(Padding p) {
            i32(p.top());
            i32(p.left());
            i32(p.bottom());
            i32(p.right());
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    // ------------------------------------------------------------------ reading

    /** Opens and fully verifies a model file (size, magic, version, every checksum). */
    public static ModelFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < PREAMBLE) {
                throw new ModelFileException(file + ": truncated model file (" + size + " bytes, the preamble alone is "
                        + PREAMBLE + ")");
            }
            ByteBuffer pre = read(ch, 0, PREAMBLE);
            byte[] magic = new byte[8];
            pre.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new ModelFileException(file + ": not a TinyReID model file (bad magic)");
            }
            int version = pre.getShort() & 0xffff;
            pre.getShort();
            if (version != VERSION) {
                throw new ModelFileException(file + ": model file version " + version + " is not supported (this build reads "
                        + VERSION + "); re-import the model");
            }
            long headerLen = pre.getInt() & 0xffffffffL;
            int headerCrc = pre.getInt();
            long payloadLen = pre.getLong();
            if (headerLen > MAX_HEADER || payloadLen < 0) {
                throw new ModelFileException(file + ": corrupted preamble (header " + headerLen + " bytes, payload "
                        + payloadLen + ")");
            }
            long payloadStart = padTo(PREAMBLE + headerLen);
            long expected = payloadStart + payloadLen;
            if (size != expected) {
                throw new ModelFileException(file + ": " + (size < expected ? "truncated" : "has trailing bytes") + ": "
                        + size + " bytes, expected " + expected);
            }
            ByteBuffer header = read(ch, PREAMBLE, (int) headerLen);
            byte[] hb = new byte[(int) headerLen];
            header.get(hb);
            if (crc(hb, 0, hb.length) != headerCrc) {
                throw new ModelFileException(file + ": header checksum mismatch (corrupted file)");
            }
            Reader r = new Reader(file, ByteBuffer.wrap(hb).order(ByteOrder.LITTLE_ENDIAN), ch, payloadStart, payloadLen);
            Graph g = r.graph();
            return new ModelFile(file, g, r.blobs, payloadStart);
        } catch (NoSuchFileException e) {
            throw new ModelFileException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelFileException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip();
    }

    /** Decodes the header and checks every blob against the payload. */
    private static final class Reader {
        private final Path file;
        private final ByteBuffer h;
        private final FileChannel ch;
        private final long payloadStart;
        private final long payloadLen;
        final Map<Weights, Blob> blobs = new IdentityHashMap<>();
        private final List<Tensor> tensors = new ArrayList<>();
        private String layer = "(graph)";

        Reader(Path file, ByteBuffer h, FileChannel ch, long payloadStart, long payloadLen) {
            this.file = file;
            this.h = h;
            this.ch = ch;
            this.payloadStart = payloadStart;
            this.payloadLen = payloadLen;
        }

        private ModelFileException bad(String what) {
            return new ModelFileException(file + ": malformed header at layer " + layer + ": " + what);
        }

        Graph graph() throws IOException {
            try {
                if (!str().equals("tinyreid-graph")) {
                    throw bad("not a graph header");
                }
                String name = str();
                int colour = u8();
                if (colour >= Colour.values().length) {
                    throw bad("colour " + colour);
                }
                int n = count();
                for (int i = 0; i < n; i++) {
                    String tn = str();
                    Shape s = new Shape(h.getInt(), h.getInt(), h.getInt());
                    tensors.add(new Tensor(tn, s, q()));
                }
                Tensor output = tensor();
                int layers = count();
                List<Layer> list = new ArrayList<>(layers);
                for (int i = 0; i < layers; i++) {
                    layer = str();
                    list.add(layer(layer));
                }
                if (h.hasRemaining()) {
                    throw bad(h.remaining() + " unread header bytes");
                }
                return new Graph(name, Colour.values()[colour], tensors.getFirst(), output, list);
            } catch (java.nio.BufferUnderflowException e) {
                throw bad("header ends early");
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }

        private Layer layer(String name) throws IOException {
            int kind = u8();
            return switch (kind) {
                case 1 -> {
                    Tensor in = tensor();
                    Tensor out = tensor();
                    int kh = h.getInt();
                    int kw = h.getInt();
                    int sh = h.getInt();
                    int sw = h.getInt();
                    Padding p = pad();
                    int groups = h.getInt();
                    int act = u8();
                    if (act >= Activation.values().length) {
                        throw bad("activation " + act);
                    }
                    Weights w = weights();
                    Weights b = weights();
                    yield new Conv2d(name, in, out, kh, kw, sh, sw, p, groups, w, b, Activation.values()[act]);
                }
                case 2 -> new Relu(name, tensor(), tensor());
                case 3 -> new MaxPool(name, tensor(), tensor(), h.getInt(), h.getInt(), pad());
                case 4 -> new AvgPool(name, tensor(), tensor(), h.getInt(), h.getInt());
                case 5 -> new GlobalAvgPool(name, tensor(), tensor());
                case 6 -> {
                    int n = count();
                    List<Tensor> parts = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        parts.add(tensor());
                    }
                    yield new Concat(name, parts, tensor());
                }
                case 7 -> new Add(name, tensor(), tensor(), tensor());
                case 8 -> new ZeroPad(name, tensor(), tensor(), h.getInt(), pad());
                case 9 -> new Scale(name, tensor(), tensor(), weights(), weights());
                case 10 -> new FullyConnected(name, tensor(), tensor(), weights(), weights());
                case 11 -> new L2Normalize(name, tensor(), tensor());
                default -> throw bad("unknown layer kind " + kind);
            };
        }

        private Weights weights() throws IOException {
            int kind = u8();
            int width = u8();
            QFormat q = null;
            QFormat[] perChannel = null;
            if (kind == 2) {
                perChannel = new QFormat[count()];
                for (int c = 0; c < perChannel.length; c++) {
                    perChannel[c] = q();
                }
            } else if (kind == 0 || kind == 1) {
                q = q();
            } else {
                throw bad("weight kind " + kind);
            }
            int count = count();
            long off = h.getLong();
            int crc = h.getInt();
            if (kind == 0 ? width != 4 || q != null : width != 1 && width != 2 || kind == 1 && q == null) {
                throw bad("weights of kind " + kind + " stored in " + width + " bytes");
            }
            Blob blob = new Blob(kind != 0, width, count, off, crc);
            if (off < 0 || off % ALIGN != 0 || off + blob.bytes() > payloadLen) {
                throw bad("weights at " + off + " (" + blob.bytes() + " bytes) outside the payload");
            }
            ByteBuffer data = read(ch, payloadStart + off, (int) blob.bytes());
            byte[] raw = new byte[(int) blob.bytes()];
            data.get(raw);
            if (crc(raw, 0, raw.length) != crc) {
                throw new ModelFileException(file + ": weights of layer " + layer + " fail their checksum (corrupted file)");
            }
            data.rewind();
            Weights w;
            if (kind == 0) {
                float[] f = new float[count];
                data.asFloatBuffer().get(f);
                w = Weights.ofReal(f);
            } else {
                short[] v = new short[count];
                if (width == 2) {
                    data.asShortBuffer().get(v);
                } else {
                    for (int i = 0; i < count; i++) {
                        v[i] = data.get(i);
                    }
                }
                w = kind == 1 ? Weights.ofRaw(v, q) : Weights.ofRawPerChannel(v, perChannel);
            }
            blobs.put(w, blob);
            return w;
        }

        private int u8() {
            return h.get() & 0xff;
        }

        private int count() {
            int n = h.getInt();
            if (n < 0 || n > 1 << 28) {
                throw bad("count " + n);
            }
            return n;
        }

        private String str() {
            int n = h.getInt();
            if (n < 0 || n > h.remaining()) {
                throw bad("string of " + n + " bytes");
            }
            byte[] b = new byte[n];
            h.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private QFormat q() {
            boolean has = u8() == 1;
            int frac = h.getInt();
            int bits = u8();
            return has ? new QFormat(frac, bits) : null;
        }

        private Padding pad() {
            return new Padding(h.getInt(), h.getInt(), h.getInt(), h.getInt());
        }

        private Tensor tensor() {
            int id = h.getInt();
            if (id < 0 || id >= tensors.size()) {
                throw bad("tensor id " + id);
            }
            return tensors.get(id);
        }
    }
}
