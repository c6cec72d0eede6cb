package io.tinyreid.nn.faceapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tinyreid.nn.importer.Json;

/**
 * Reads a TensorFlow.js weights manifest ({@code *-weights_manifest.json}) and its {@code .bin}
 * shards as face-api ships them: float32 tensors stored either raw or affine-quantised
 * ({@code value = q * scale + min} with uint8/uint16 {@code q}), or as float16.
 *
 * <p>Dequantisation follows tfjs-core's {@code decodeWeight} exactly (double arithmetic, then
 * rounded to float32), so our float weights equal the ones face-api computes with.
 */
public final class WeightManifest {
    /** How one tensor is stored in the shards. */
    public enum Storage { FLOAT32, UINT8_AFFINE, UINT16_AFFINE, FLOAT16 }

    /** One entry of the manifest. */
    public record Spec(String name, int[] shape, Storage storage, double scale, double min) {
        /** Number of values. */
        public int size() {
            int n = 1;
            for (int d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** Bytes taken in the shard. */
        public long byteLength() {
            int per = switch (storage) {
                case FLOAT32 -> 4;
                case UINT8_AFFINE -> 1;
                case UINT16_AFFINE, FLOAT16 -> 2;
            };
            return (long) size() * per;
        }
    }

    /** A group of specs stored, concatenated, across the listed shard files. */
    public record Group(List<String> paths, List<Spec> specs) {}

    private final Path file;
    private final List<Group> groups;

    private WeightManifest(Path file, List<Group> groups) {
        this.file = file;
        this.groups = List.copyOf(groups);
    }

    /** The groups in file order. */
    public List<Group> groups() {
        return groups;
    }

    /** Parses a manifest file, refusing anything malformed with a message naming the file and field. */
    public static WeightManifest read(Path manifest) throws IOException {
        String text;
        try {
            text = Files.readString(manifest, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("face-api manifest not found: " + manifest + " (run ./tinyreid models fetch)", e);
        }
        try {
            return parse(manifest, Json.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(manifest + ": " + e.getMessage(), e);
        }
    }

    private static WeightManifest parse(Path file, Object root) {
        if (!(root instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("expected a non-empty array of weight groups");
        }
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < list.size(); g++) {
            String where = "group " + g;
            Map<?, ?> group = asMap(list.get(g), where);
            List<String> paths = new ArrayList<>();
            for (Object p : asList(group.get("paths"), where + ".paths")) {
                if (!(p instanceof String s) || s.isEmpty() || s.contains("/") || s.contains("\\") || s.startsWith(".")) {
                    throw new IllegalArgumentException(where + ".paths: expected plain file names beside the manifest, got " + p);
                }
                paths.add(s);
            }
            if (paths.isEmpty()) {
                throw new IllegalArgumentException(where + ".paths: empty");
            }
            List<Spec> specs = new ArrayList<>();
            for (Object w : asList(group.get("weights"), where + ".weights")) {
                specs.add(spec(asMap(w, where + ".weights[" + specs.size() + "]"), where + ".weights[" + specs.size() + "]"));
            }
            groups.add(new Group(paths, specs));
        }
        return new WeightManifest(file, groups);
    }

    private static Spec spec(Map<?, ?> w, String where) {
        if (!(w.get("name") instanceof String name) || name.isEmpty()) {
            throw new IllegalArgumentException(where + ".name: missing");
        }
        where = where + " (" + name + ")";
        List<?> dims = asList(w.get("shape"), where + ".shape");
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Double d) || d != Math.rint(d) || d < 1 || d > 1 << 24) {
                throw new IllegalArgumentException(where + ".shape[" + i + "]: expected a positive integer, got " + dims.get(i));
            }
            shape[i] = d.intValue();
        }
        if (!"float32".equals(w.get("dtype"))) {
            throw new IllegalArgumentException(where + ".dtype: only float32 tensors are supported, got " + w.get("dtype"));
        }
        Object q = w.get("quantization");
        if (q == null) {
            return new Spec(name, shape, Storage.FLOAT32, 1, 0);
        }
        Map<?, ?> quant = asMap(q, where + ".quantization");
        Object qd = quant.get("dtype");
        if ("float16".equals(qd)) {
            return new Spec(name, shape, Storage.FLOAT16, 1, 0);
        }
        Storage storage;
        if ("uint8".equals(qd)) {
            storage = Storage.UINT8_AFFINE;
        } else if ("uint16".equals(qd)) {
            storage = Storage.UINT16_AFFINE;
        } else {
            throw new IllegalArgumentException(where + ".quantization.dtype: expected uint8, uint16 or float16, got " + qd);
        }
        if (!(quant.get("scale") instanceof Double scale) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException(where + ".quantization.scale: missing or not a number");
        }
        if (!(quant.get("min") instanceof Double min) || !Double.isFinite(min)) {
            throw new IllegalArgumentException(where + ".quantization.min: missing or not a number");
        }
        return new Spec(name, shape, storage, scale, min);
    }

    /** Reads every tensor from the shards beside the manifest, checking each shard's size. */
    public Map<String, FaceApiTensor> readTensors() throws IOException {
        Map<String, FaceApiTensor> out = new LinkedHashMap<>();
        Path dir = file.toAbsolutePath().getParent();
        for (Group group : groups) {
            long need = 0;
            for (Spec s : group.specs()) {
                need += s.byteLength();
            }
            long have = 0;
            List<byte[]> shards = new ArrayList<>();
            for (String p : group.paths()) {
                Path shard = dir.resolve(p);
                if (!Files.isRegularFile(shard)) {
                    throw new IOException("face-api weights shard missing: " + shard + " (listed in " + file + ")");
                }
                long size = Files.size(shard);
                if (have + size > need) {
                    throw new IOException(shard + ": " + (have + size) + " bytes of shards, but " + file
                            + " describes " + need + " bytes (wrong or corrupt file)");
                }
                have += size;
                shards.add(Files.readAllBytes(shard));
            }
            if (have != need) {
                throw new IOException(file + ": shards " + group.paths() + " hold " + have + " bytes, the manifest describes "
                        + need + " (truncated download?)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) need).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] s : shards) {
                buf.put(s);
            }
            buf.flip();
            for (Spec s : group.specs()) {
                if (out.containsKey(s.name())) {
                    throw new IOException(file + ": tensor " + s.name() + " listed twice");
                }
                out.put(s.name(), new FaceApiTensor(s.name(), s.shape(), decode(s, buf)));
            }
        }
        return out;
    }

    private static float[] decode(Spec s, ByteBuffer buf) {
        int n = s.size();
        float[] v = new float[n];
        switch (s.storage()) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = buf.getFloat();
                }
            }
            case UINT8_AFFINE -> {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((buf.get() & 0xff) * s.scale() + s.min());
                }
            }
            case UINT16_AFFINE -> {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((buf.getShort() & 0xffff) * s.scale() + s.min());
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = Float.float16ToFloat(buf.getShort());
                }
            }
        }
        return v;
    }

    private static Map<?, ?> asMap(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(where + ": expected an object");
    }

    private static List<?> asList(Object o, String where) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(where + ": expected an array");
    }
}
