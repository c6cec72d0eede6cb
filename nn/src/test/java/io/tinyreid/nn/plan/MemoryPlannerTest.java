package io.tinyreid.nn.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.testing.ChartPixels;
import io.tinyreid.testing.FaceReidFixture;

class MemoryPlannerTest {
    @Test
    void faceReidPeakIncludingWeightBuffersIsAtMost200KiB() {
        MemoryPlan p = MemoryPlanner.planUnchecked(FaceReidFixture.graph(), PlanOptions.defaults());
        assertTrue(p.peak() <= 200 * 1024, "peak " + p.peak());
        assertTrue(p.buffers().stream().anyMatch(b -> b.kind() == MemoryPlan.Kind.WEIGHTS));
        // the reference needed 344 KiB; without row streaming we are still below it
        MemoryPlan whole = MemoryPlanner.planUnchecked(FaceReidFixture.graph(), PlanOptions.defaults().withRowStreaming(false));
        assertTrue(whole.peak() > p.peak(), "row streaming lowers the peak: " + whole.peak() + " -> " + p.peak());
    }

    @Test
    void refusesOneByteLessThanThePeak() {
        Graph g = FaceReidFixture.graph();
        long peak = MemoryPlanner.planUnchecked(g, PlanOptions.defaults()).peak();
        assertEquals(peak, MemoryPlanner.plan(g, PlanOptions.defaults().withBudget(peak)).peak());
        var e = assertThrows(ArenaOverflowException.class,
                () -> MemoryPlanner.plan(g, PlanOptions.defaults().withBudget(peak - 1)));
        assertTrue(e.getMessage().startsWith("region 'L2' overflowed by 1 bytes"), e.getMessage());
        e = assertThrows(ArenaOverflowException.class,
                () -> MemoryPlanner.plan(g, PlanOptions.defaults().withBudget(100 * 1024)));
        assertTrue(e.getMessage().startsWith("region 'L2' overflowed by " + (peak - 100 * 1024) + " bytes"), e.getMessage());
    }

    @Test
    void buffersLiveAtTheSameTimeNeverShareBytes() {
        for (boolean streaming : new boolean[] {true, false}) {
            MemoryPlan p = MemoryPlanner.planUnchecked(FaceReidFixture.graph(), PlanOptions.defaults().withRowStreaming(streaming));
            List<MemoryPlan.Buffer> bs = p.buffers();
            for (int i = 0; i < bs.size(); i++) {
                for (int j = i + 1; j < bs.size(); j++) {
                    MemoryPlan.Buffer a = bs.get(i);
                    MemoryPlan.Buffer b = bs.get(j);
                    boolean sameTime = a.first() <= b.last() && b.first() <= a.last();
                    boolean sameBytes = a.offset() < b.end() && b.offset() < a.end();
                    assertFalse(sameTime && sameBytes, a + " overlaps " + b);
                }
            }
            long top = bs.stream().mapToLong(MemoryPlan.Buffer::end).max().orElseThrow();
            assertEquals(p.peak(), top);
        }
    }

    @Test
    void fusesPoolsAndWritesConcatsInPlace() {
        MemoryPlan p = MemoryPlanner.planUnchecked(FaceReidFixture.graph(), PlanOptions.defaults());
        // pre-pool tensors (e.g. 64x63x63 after features.0.0) and the unpooled fire outputs never get a buffer
        for (String name : List.of("features.0.0", "features.4", "features.7", "features.4.expand1x1.0", "features.3.expand3x3.0")) {
            assertTrue(p.placements().keySet().stream().noneMatch(t -> t.name().equals(name)), name + " is stored");
        }
        // fused ops: 26 convs + average, each fire's two expands write one storage
        long convOps = p.steps().stream().flatMap(s -> s.ops().stream()).filter(o -> o instanceof FusedOp.ConvPool).count();
        assertEquals(26, convOps);
        FusedOp.ConvPool e3 = p.steps().stream().flatMap(s -> s.ops().stream())
                .filter(o -> o instanceof FusedOp.ConvPool c && c.conv().name().equals("features.4.expand3x3.0"))
                .map(o -> (FusedOp.ConvPool) o).findFirst().orElseThrow();
        assertEquals("features.5", e3.storage().name());
        assertEquals(64, e3.channelOffset());
        assertEquals("features.5", e3.pool().name());
    }

    @Test
    void memoryMapAsTextAndPng(@TempDir Path tmp) throws Exception {
        MemoryPlan p = MemoryPlanner.planUnchecked(FaceReidFixture.graph(), PlanOptions.defaults());
        String text = p.describe();
        assertTrue(text.contains("peak " + String.format("%,d", p.peak())), text);
        assertTrue(text.contains("features.12.expand3x3.0"), text);
        assertTrue(text.contains("[row-streamed]"), text);
        Path png = tmp.resolve("map.png");
        MemoryMapImage.write(p, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 300, img.getWidth() + "x" + img.getHeight());
        // beyond a size: the plan's buffers drawn as filled blocks, one colour per kind in use
        long kinds = p.buffers().stream().map(MemoryPlan.Buffer::kind).distinct().count();
        ChartPixels.requireBlocks(img, (int) Math.min(kinds, 3), 0.1, "FaceReID's memory map PNG");
    }
}
