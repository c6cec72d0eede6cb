package io.tinyreid.app.doorbell;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.pipeline.DoorEvents;
import io.tinyreid.app.pipeline.DoorbellPipeline;
import io.tinyreid.app.pipeline.FrameEngine;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.testing.SharedData;

/**
 * The frame loop with the real Haar detector on a real face: once the visitor's few
 * identifications are done, each further frame (detect, track, publish to the displays) allocates
 * nothing on the Java heap, measured with the JVM's per-thread allocation counter.
 */
class FrameLoopAllocationTest {
    @TempDir
    Path dir;

    @Test
    void steadyStateFramesAllocateNothing() throws Exception {
        BufferedImage canvas = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        DoorClips.draw(canvas, ImageIO.read(DoorClips.lfw("Tony_Blair", 8).toFile()), 0);
        Frame frame = new Frame();
        frame.resize(320, 240);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                frame.rgb().setRgb(x, y, canvas.getRGB(x, y));
            }
        }
        frame.grayFromRgb();
        Engines engines = new Engines(new ModelCache(SharedData.root().resolve("models")));
        FrameEngine engine = engines.frameEngine(FaceModel.FACEREID);
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC());
             DoorEvents events = new DoorEvents(h.gallery(), h.events(), Duration.ofSeconds(60), Clock.systemUTC())) {
            DoorbellPipeline p = new DoorbellPipeline(PipelineConfig.DEFAULT, engine.detector(), engine.describer(),
                    h.gallery(), events, new LiveView(), Clock.systemUTC());
            long seq = 0;
            for (int i = 0; i < 40; i++) { // the visitor is confirmed, identified 5 times and decided
                frame.stamp(seq++, seq * 100_000);
                p.process(frame);
            }
            long identified = p.stats().identifications();
            assertTrue(identified >= 5 && identified % 5 == 0, "every face on the frame got its 5 votes: " + identified);
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            // The face is still described every few frames after its votes, only to notice another face taking
            // its place; the network's own steady state (which takes ~1000 frames of JIT warm-up to stop
            // allocating) is SteadyStateAllocationTest's: frames that described a face are left out here.
            long least = Long.MAX_VALUE;
            int plain = 0;
            for (int round = 0; round < 3; round++) {
                long bytes = 0;
                for (int i = 0; i < 50; i++) {
                    long described = p.stats().descriptions();
                    long before = mx.getThreadAllocatedBytes(tid);
                    frame.stamp(seq++, seq * 100_000);
                    p.process(frame);
                    long after = mx.getThreadAllocatedBytes(tid);
                    if (p.stats().descriptions() == described) {
                        bytes += after - before;
                        plain++;
                    }
                }
                least = Math.min(least, bytes);
            }
            assertEquals(identified, p.stats().identifications(), "no identification in the measured frames");
            assertTrue(plain >= 120, "most measured frames only detect, track and publish: " + plain + " of 150");
            assertEquals(0, least, "bytes allocated by the frames of a round that detected, tracked and published");
        }
    }
}
