package io.tinyreid.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.EmbeddingView;
import io.tinyreid.app.face.FaceReidEmbedder;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;
import io.tinyreid.testing.WrapGolden;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Resize;

/** The frame loop's FaceReID path gives the photo path's descriptors bit for bit, without allocating. */
class FaceReidFramesTest {
    static FaceReidEmbedder photos;
    static FaceReidFrames frames;
    static FaceReidFrames plainFrames;
    static List<GrayImage> qvga = new ArrayList<>();

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        Path file = FaceReidEmbedder.compile(SharedData.require("models/facereid/quantized_model"), dir.resolve("f.tinyreid"));
        photos = FaceReidEmbedder.open(file, Mode.EXACT);
        frames = FaceReidFrames.open(file, Mode.EXACT);
        plainFrames = FaceReidFrames.open(file, Mode.EXACT, EmbeddingView.PLAIN);
        ImageDecoder dec = new ImageDecoder();
        qvga.add(dec.decodeGray(SharedData.require("models/facereid/device_check/pipeline_input_320x240.pgm")));
        for (Path p : TestImages.lfwFaces(4)) {
            qvga.add(Resize.bilinear(dec.decodeGray(p), new GrayImage(320, 240)));
        }
    }

    @AfterAll
    static void close() {
        photos.close();
        frames.close();
        plainFrames.close();
    }

    @Test
    void boxesOfEverySizeAndAtTheEdgesGiveThePhotoPathsDescriptor() {
        SplittableRandom rnd = new SplittableRandom(6);
        short[] out = new short[512];
        int checked = 0;
        for (GrayImage g : qvga) {
            // 128 px (copied, not scaled), smaller, larger, taller than the frame, hanging off each edge
            int[][] boxes = {{96, 56, 128, 128}, {150, 100, 60, 60}, {20, 10, 200, 210}, {0, 0, 250, 300},
                    {-20, 40, 90, 90}, {280, 200, 70, 60}, {rnd.nextInt(200), rnd.nextInt(120), 24 + rnd.nextInt(150), 24 + rnd.nextInt(150)}};
            for (int[] b : boxes) {
                Descriptor expected = photos.embed(g, b[0], b[1], b[2], b[3]);
                frames.describeInto(g, b[0], b[1], b[2], b[3], out);
                assertArrayEquals(((Descriptor.Int16) expected).values(), out, "box " + java.util.Arrays.toString(b));
                checked++;
            }
        }
        assertEquals(35, checked);
    }

    /**
     * The GAP8 build's Francesco/Lena and the 24 wrap goldens (12 reach the 32-bit wrap), bit for bit in the
     * device's single pass; the product's flip view gives the mean of the device's descriptors of the crop
     * and of its mirror image (mirrored here pixel by pixel), halves rounded up.
     */
    @Test
    void theDevicesOwnCropsGiveTheDevicesDescriptors() throws Exception {
        short[] out = new short[512];
        short[] mirror = new short[512];
        short[] flip = new short[512];
        int checked = 0;
        int rounded = 0;
        for (WrapGolden.Face f : WrapGolden.withDevice()) {
            GrayImage g = new ImageDecoder().decodeGray(f.file());
            plainFrames.describeInto(g, 0, 0, 128, 128, out);
            assertArrayEquals(f.descriptor(), out, f.name());
            GrayImage m = new GrayImage(128, 128);
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    m.set(127 - x, y, g.get(x, y));
                }
            }
            plainFrames.describeInto(m, 0, 0, 128, 128, mirror);
            frames.describeInto(g, 0, 0, 128, 128, flip);
            for (int i = 0; i < 512; i++) {
                assertEquals((int) Math.floor((out[i] + mirror[i]) / 2.0 + 0.5), flip[i], f.name() + " component " + i);
                rounded += (out[i] + mirror[i]) % 2 != 0 ? 1 : 0;
            }
            checked++;
        }
        assertEquals(26, checked);
        assertTrue(rounded > 100, "odd sums (halves rounded): " + rounded);
    }

    @Test
    void describingAFaceAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        short[] out = new short[512];
        // As SteadyStateAllocationTest: 64 calls in a row (4 rounds over the frames) must allocate
        // nothing, within 3000 calls. On a loaded machine C2 may need hundreds of calls (until then the
        // Vector API code runs boxed), and the JIT allocates on this thread now and then (128 B seen).
        int call = 0;
        int streak = 0;
        while (streak < 64 && call < 3000) {
            int round = call % 4;
            GrayImage g = qvga.get(call % qvga.size());
            long b0 = mx.getCurrentThreadAllocatedBytes();
            frames.describeInto(g, 40 + round * 10, 30, 100 + round * 20, 110, out);
            streak = mx.getCurrentThreadAllocatedBytes() == b0 ? streak + 1 : 0;
            call++;
        }
        assertEquals(64, streak, "allocation-free calls in a row within 3000 calls");
        assertTrue(frames.regions().size() >= 3);
    }
}
