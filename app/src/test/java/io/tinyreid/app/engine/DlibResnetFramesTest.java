package io.tinyreid.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.Part;
import io.tinyreid.app.budget.Phase;
import io.tinyreid.app.budget.Region;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.DistanceMetric;
import io.tinyreid.app.face.DlibResnetEmbedder;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.IntegerNets;
import io.tinyreid.app.gallery.Thresholds;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.testing.DlibInt16Models;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.testing.TestImages;
import io.tinyreid.vision.image.RgbImage;

/**
 * The frame loop's dlib-resnet path on the planned integer runtime: the photo path's descriptors on
 * the same frames and boxes with the same int16 model files, its arenas planned in the doorbell's
 * L2 left to them, no allocation per face, and the int16 landmark net's error against float in
 * pixels on LFW faces it was not calibrated on.
 */
class DlibResnetFramesTest {
    static DlibInt16Models models;
    static DlibResnetEmbedder photos;
    static DlibResnetFrames frames;
    static FrameLoopFootprint.DlibBudgets budgets;
    static final List<Frame> qvga = new ArrayList<>();

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        models = DlibInt16Models.write(dir, 40);
        photos = new DlibResnetEmbedder(IntegerNets.open(models.recognition, PlanOptions.L2),
                IntegerNets.open(models.landmarks, PlanOptions.L2));
        // the frame path's networks as the doorbell plans them: each in the L2 its phase leaves
        budgets = FrameLoopFootprint.dlibBudgets(DoorbellBudget.Display.GRAY, 20, PlanOptions.L2);
        frames = DlibResnetFrames.open(models.landmarks, models.recognition, budgets.landmarks(), budgets.recognition());
        for (RgbImage face : models.faces.subList(0, 6)) {
            qvga.add(frameOf(face));
        }
    }

    /** A QVGA frame with an LFW picture's middle 240 rows pasted at x = 35 (face near the centre). */
    static Frame frameOf(RgbImage face) {
        Frame f = new Frame();
        f.resize(320, 240);
        f.rgb().fill(0x203040);
        int top = (face.height() - 240) / 2;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < face.width() && x + 35 < 320; x++) {
                f.rgb().setRgb(x + 35, y, face.getRgb(x, y + top));
            }
        }
        f.grayFromRgb();
        return f;
    }

    @AfterAll
    static void close() {
        if (photos != null) {
            photos.close();
        }
        if (frames != null) {
            frames.close();
        }
    }

    @Test
    void framesGiveThePhotoPathsDescriptorsWithTheSameModelFiles() {
        // centred, smaller and off-centre, clipped by the left edge, near the bottom-right corner
        int[][] boxes = {{105, 65, 110, 110}, {118, 80, 86, 92}, {0, 50, 120, 120}, {228, 148, 90, 90}};
        float[] out = new float[128];
        DescriptorBuffer buffer = new DescriptorBuffer(FaceModel.DLIB_RESNET);
        double worstCosine = 1;
        int checked = 0;
        for (Frame f : qvga) {
            for (int[] b : boxes) {
                Descriptor expected = photos.embed(f.rgb(), b[0], b[1], b[2], b[3]);
                frames.describeInto(f.rgb(), b[0], b[1], b[2], b[3], out);
                worstCosine = Math.min(worstCosine, TestImages.cosine(((Descriptor.Float32) expected).values(), out));
                assertArrayEquals(((Descriptor.Float32) expected).values(), out, "box " + Arrays.toString(b));
                frames.describeInto(f, b[0], b[1], b[2], b[3], buffer);
                assertArrayEquals(out, buffer.float32());
                checked++;
            }
        }
        System.out.printf(Locale.ROOT, "dlib-resnet int16 frames vs photos: %d boxes, lowest cosine %.7f%n", checked, worstCosine);
        assertEquals(24, checked);
    }

    /**
     * The product's flip view: the recognition net (run here on its own) on the aligned chip and on the chip
     * mirrored here pixel by pixel, the two outputs averaged, is what the frame loop puts out.
     */
    @Test
    void theFrameLoopAveragesTheChipAndItsMirrorImage() {
        try (CompiledModel rec = IntegerNets.open(models.recognition, PlanOptions.L2);
             CompiledModel lm = IntegerNets.open(models.landmarks, PlanOptions.L2)) {
            io.tinyreid.app.face.DlibAlignment align = new io.tinyreid.app.face.DlibAlignment();
            int n = 150 * 150;
            float[] in = new float[3 * n];
            float[] mirror = new float[3 * n];
            float[] a = new float[128];
            float[] b = new float[128];
            float[] out = new float[128];
            int changed = 0;
            for (Frame f : qvga.subList(0, 3)) {
                frames.describeInto(f.rgb(), 105, 65, 110, 110, out);
                align.align(f.rgb(), 105, 65, 110, 110, lm);
                RgbImage chip = align.chip();
                for (int y = 0; y < 150; y++) {
                    for (int x = 0; x < 150; x++) {
                        int rgb = chip.getRgb(x, y);
                        for (int c = 0; c < 3; c++) {
                            float v = (rgb >> (16 - 8 * c)) & 0xff;
                            in[c * n + y * 150 + x] = v;
                            mirror[c * n + y * 150 + 149 - x] = v;
                        }
                    }
                }
                rec.embed(in, a);
                rec.embed(mirror, b);
                for (int i = 0; i < 128; i++) {
                    assertEquals((a[i] + b[i]) * 0.5f, out[i], "component " + i);
                    changed += a[i] != out[i] ? 1 : 0;
                }
            }
            assertTrue(changed > 300, "the mirrored pass changed only " + changed + " of 384 components");
        }
    }

    @Test
    void theFramePathsDescriptorsAreWithinATenthOfTheThresholdOfTheFloatPhotoPath() throws Exception {
        // the int16 frame path against the float photo path (the reference arithmetic) on centred faces
        try (DlibResnetEmbedder flt = new DlibResnetEmbedder(CompiledModel.ofGraph(models.recognitionFloat),
                CompiledModel.ofGraph(models.landmarkFloat))) {
            float[] out = new float[128];
            double worst = 0;
            for (Frame f : qvga) {
                frames.describeInto(f.rgb(), 105, 65, 110, 110, out);
                double d = DistanceMetric.L2.distance(flt.embed(f.rgb(), 105, 65, 110, 110), new Descriptor.Float32(out));
                worst = Math.max(worst, d);
            }
            System.out.printf(Locale.ROOT, "dlib-resnet int16 frame path vs float photo path: largest L2 %.4f%n", worst);
            double threshold = Thresholds.builtIn().forModel(FaceModel.DLIB_RESNET).accept(); // as shipped
            assertTrue(worst < threshold / 10, "L2 " + worst + ", threshold " + threshold);
        }
    }

    @Test
    void theInt16LandmarksAreWithinAFractionOfAPixelOfFloat() {
        // LFW faces (250x250) none of which calibrated the net: every point of every face, in image pixels
        try (CompiledModel flt = CompiledModel.ofGraph(models.landmarkFloat)) {
            io.tinyreid.app.face.DlibAlignment floatAlign = new io.tinyreid.app.face.DlibAlignment();
            double sum = 0;
            double worst = 0;
            double worstFaceMean = 0;
            int n = 0;
            for (RgbImage img : models.faces) {
                int[] b = DlibInt16Models.box(img);
                float[][] f = floatAlign.landmarks(img, b[0], b[1], b[2], b[3], flt);
                float[][] q = frames.landmarks(img, b[0], b[1], b[2], b[3]);
                double face = 0;
                for (int i = 0; i < 68; i++) {
                    double e = Math.hypot(f[i][0] - q[i][0], f[i][1] - q[i][1]);
                    sum += e;
                    face += e;
                    worst = Math.max(worst, e);
                    n++;
                }
                worstFaceMean = Math.max(worstFaceMean, face / 68);
            }
            System.out.printf(Locale.ROOT, "face-landmark-68 int16 vs float on %d LFW faces (250x250, box %d px): mean %.4f px,"
                    + " worst face mean %.4f px, worst point %.4f px%n", models.faces.size(), DlibInt16Models.box(models.faces.getFirst())[2],
                    sum / n, worstFaceMean, worst);
            assertEquals(40 * 68, n);
            assertTrue(sum / n < 0.05, "mean landmark error " + sum / n + " px");
            assertTrue(worst < 0.25, "worst landmark error " + worst + " px");
        }
    }

    @Test
    void describingAFaceAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DescriptorBuffer out = new DescriptorBuffer(FaceModel.DLIB_RESNET);
        // as FaceReidFramesTest: calls in a row that allocate nothing, once C2 has compiled the kernels
        int call = 0;
        int streak = 0;
        while (streak < 32 && call < 600) {
            int round = call % 4;
            long b0 = mx.getCurrentThreadAllocatedBytes();
            frames.describeInto(qvga.get(call % qvga.size()), 100 + round * 3, 60, 110 + round * 4, 110, out);
            streak = mx.getCurrentThreadAllocatedBytes() == b0 ? streak + 1 : 0;
            call++;
        }
        System.out.printf(Locale.ROOT, "dlib-resnet frames: %d allocation-free calls in a row after %d calls%n", streak, call);
        assertEquals(32, streak, "allocation-free calls in a row within 600 calls");
    }

    @Test
    void itDeclaresBothArenasAtTheirPlansPeaksInTheirOwnPhases() {
        List<Region> rs = frames.regions();
        Region lm = rs.stream().filter(r -> r.name().startsWith("landmark arena")).findFirst().orElseThrow();
        Region rec = rs.stream().filter(r -> r.name().startsWith("recognition arena")).findFirst().orElseThrow();
        assertEquals(frames.landmarkPlan().peak(), lm.bytes());
        assertEquals(frames.recognitionPlan().peak(), rec.bytes());
        assertTrue(lm.liveIn(Phase.LANDMARKS) && !lm.liveIn(Phase.CROP) && !lm.liveIn(Phase.EMBED));
        assertTrue(rec.liveIn(Phase.EMBED) && !rec.liveIn(Phase.LANDMARKS) && !rec.liveIn(Phase.CROP));
        // the recognition net fits what its phase leaves without spilling (268,848 B whole)
        assertTrue(rec.bytes() <= budgets.recognition(), rec + " vs " + budgets.recognition());
        Region chip = rs.stream().filter(r -> r.part() == Part.CROP && r.name().contains("chip 150x150")).findFirst().orElseThrow();
        assertEquals(150 * 150 * 3, chip.bytes());
        assertTrue(chip.liveIn(Phase.CROP) && chip.liveIn(Phase.EMBED));
    }
}
