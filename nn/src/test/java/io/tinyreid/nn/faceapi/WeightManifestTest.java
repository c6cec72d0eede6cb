package io.tinyreid.nn.faceapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

class WeightManifestTest {
    @TempDir
    Path dir;

    private Path write(String manifest, byte[] bin) throws IOException {
        Files.write(dir.resolve("m.bin"), bin);
        return Files.writeString(dir.resolve("m-weights_manifest.json"), manifest);
    }

    private static byte[] bin() {
        ByteBuffer b = ByteBuffer.allocate(2 * 4 + 3 + 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1.5f).putFloat(-2.25f);          // a: float32 [2]
        b.put((byte) 0).put((byte) 1).put((byte) 255); // q: uint8 affine [3]
        b.putShort((short) 0x3c00).putShort((short) 0xc000); // h: float16 [2] = 1, -2
        return b.array();
    }

    private static final String GOOD = """
            [{"paths": ["m.bin"], "weights": [
              {"name": "a", "shape": [2], "dtype": "float32"},
              {"name": "q", "shape": [1, 3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.1, "min": -1.0}},
              {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]}]
            """;

    @Test
    void decodesRawAffineAndHalfTensorsAsTfjsDoes() throws IOException {
        Map<String, FaceApiTensor> t = WeightManifest.read(write(GOOD, bin())).readTensors();
        assertArrayEquals(new float[] {1.5f, -2.25f}, t.get("a").data());
        // tfjs: q * scale + min in double, stored as float32.
        assertArrayEquals(new float[] {(float) -1.0, (float) (0.1 - 1.0), (float) (255 * 0.1 - 1.0)}, t.get("q").data());
        assertArrayEquals(new int[] {1, 3}, t.get("q").shape());
        assertArrayEquals(new float[] {1f, -2f}, t.get("h").data());
    }

    @Test
    void refusesTruncatedOrOversizedShards() throws IOException {
        byte[] b = bin();
        IOException e = assertThrows(IOException.class,
                () -> WeightManifest.read(write(GOOD, java.util.Arrays.copyOf(b, b.length - 1))).readTensors());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class,
                () -> WeightManifest.read(write(GOOD, java.util.Arrays.copyOf(b, b.length + 1))).readTensors());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void refusesMalformedManifestsNamingTheField() throws IOException {
        IOException e = assertThrows(IOException.class, () -> WeightManifest.read(write(GOOD.replace("\"scale\": 0.1, ", ""), bin())));
        assertTrue(e.getMessage().contains("quantization.scale") && e.getMessage().contains("(q)"), e.getMessage());
        e = assertThrows(IOException.class, () -> WeightManifest.read(write(GOOD.replace("[1, 3]", "[1, -3]"), bin())));
        assertTrue(e.getMessage().contains("shape[1]"), e.getMessage());
        e = assertThrows(IOException.class, () -> WeightManifest.read(write(GOOD.replace("\"m.bin\"", "\"../m.bin\""), bin())));
        assertTrue(e.getMessage().contains("paths"), e.getMessage());
        e = assertThrows(IOException.class, () -> WeightManifest.read(write(GOOD.replace("\"uint8\"", "\"int4\""), bin())));
        assertTrue(e.getMessage().contains("quantization.dtype"), e.getMessage());
        e = assertThrows(IOException.class, () -> WeightManifest.read(dir.resolve("absent.json")));
        assertTrue(e.getMessage().contains("models fetch"), e.getMessage());
    }

    @Test
    void readsFaceApisRecognitionAndLandmarkModels() throws IOException {
        SharedData.requireCached("face-api-1.7.15/model/face_recognition_model.bin");
        ModelCache cache = ModelCache.standard();
        Map<String, FaceApiTensor> rec = WeightManifest.read(cache.faceRecognitionManifest()).readTensors();
        assertEquals(117, rec.size());
        assertArrayEquals(new int[] {7, 7, 3, 32}, rec.get("conv32_down/conv/filters").shape());
        assertArrayEquals(new int[] {256, 128}, rec.get("fc").shape());
        long params = rec.values().stream().mapToLong(x -> x.data().length).sum();
        // dlib's ResNet: about 5.6 M parameters.
        assertTrue(params > 5_000_000 && params < 6_000_000, "parameters " + params);
        Map<String, FaceApiTensor> lm = WeightManifest.read(cache.landmarkManifest()).readTensors();
        assertArrayEquals(new int[] {256, 136}, lm.get("fc/weights").shape());
        assertArrayEquals(new int[] {3, 3, 128, 1}, lm.get("dense3/conv0/depthwise_filter").shape());
    }
}
