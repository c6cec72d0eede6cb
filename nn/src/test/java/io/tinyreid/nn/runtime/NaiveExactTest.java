package io.tinyreid.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;

/** The naive reference itself must reproduce the device before it can judge the fast code. */
class NaiveExactTest {
    @Test
    void naiveReferenceReproducesTheDevice() {
        Graph g = FaceReidImporter.load(SharedData.require("models/facereid/quantized_model"));
        Path dc = SharedData.require("models/facereid/device_check");
        for (String who : List.of("Francesco", "Lena")) {
            float[] px = TestImages.pgm128(dc.resolve(who + ".pgm"));
            short[] in = new short[px.length];
            for (int i = 0; i < px.length; i++) {
                in[i] = (short) px[i];
            }
            short[] d = NaiveExact.run(g, in).get("descriptor");
            assertArrayEquals(TestImages.readInt16(dc.resolve(who + ".bin")), d, who);
        }
    }
}
