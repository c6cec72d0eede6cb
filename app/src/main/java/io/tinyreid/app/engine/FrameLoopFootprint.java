package io.tinyreid.app.engine;

import java.io.IOException;
import java.util.Locale;

import io.tinyreid.app.budget.DetectorFootprint;
import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.budget.Part;
import io.tinyreid.app.budget.TrackerFootprint;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.track.IouTracker;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.PackedCascade;

/**
 * The doorbell's frame loop as the budget sees it, built from the same components the product runs
 * (vision's Haar detector sized for QVGA, the tracker with the pipeline's geometry, the frame, the
 * FaceReID network compiled to exactly its plan) plus the display and gallery, each declaring its own
 * buffers.
 */
public final class FrameLoopFootprint implements AutoCloseable {
    /** Raw windows the frame detector keeps per frame (as the product's frame detector). */
    public static final int DETECTOR_CANDIDATES = 1024;
    /** Boxes per frame handed to the tracker. */
    public static final int FRAME_BOXES = 32;

    private final FaceReidFrames network;
    private final DoorbellBudget budget = new DoorbellBudget();
    private final String title;

    private FrameLoopFootprint(FaceReidFrames network, DoorbellBudget.Display display, int descriptors, String galleryLabel)
            throws IOException {
        this.network = network;
        CascadeDetector detector = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE)),
                Frame.MAX_WIDTH, Frame.MAX_HEIGHT, DETECTOR_CANDIDATES);
        PipelineConfig cfg = PipelineConfig.DEFAULT;
        IouTracker tracker = new IouTracker(8, FRAME_BOXES, 0.3f, cfg.confirmFrames(), 5, cfg.maxVotes());
        budget.add(DoorbellBudget.cameraFrame(new Frame(), Colour.GRAY))
                .add(new DetectorFootprint(detector, new Detections(FRAME_BOXES)))
                .add(new TrackerFootprint(tracker, new io.tinyreid.app.track.Detections(FRAME_BOXES)))
                .add(network)
                .add(DoorbellBudget.gallery(FaceModel.FACEREID, descriptors, galleryLabel));
        var d = DoorbellBudget.display(display, Frame.MAX_WIDTH, Frame.MAX_HEIGHT);
        if (d != null) {
            budget.add(d);
        }
        this.title = String.format(Locale.ROOT, "TinyReID doorbell, model %s (%s), QVGA frames, gallery %s, display %s",
                FaceModel.FACEREID.id(), network.mode().name().toLowerCase(Locale.ROOT), galleryLabel,
                display.name().toLowerCase(Locale.ROOT));
    }

    /** The frame loop with the FaceReID network {@code network} (closed with this). */
    public static FrameLoopFootprint open(FaceReidFrames network, DoorbellBudget.Display display, int descriptors,
                                          String galleryLabel) throws IOException {
        try {
            return new FrameLoopFootprint(network, display, descriptors, galleryLabel);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** What was planned, in one line. */
    public String title() {
        return title;
    }

    /** The regions laid out in {@code bytes}. */
    public DoorbellLayout layout(long bytes) {
        return budget.layout(bytes);
    }

    /** The regions. */
    public DoorbellBudget budget() {
        return budget;
    }

    /** Our layout's main figures next to the reference device's "what lives in L2" slide. */
    public String reference() {
        DoorbellLayout l = budget.layout(Long.MAX_VALUE / 4);
        return String.format(Locale.ROOT, """
                compared with the reference (GAP8, FaceReID):  reference          ours
                  network arena (weights streamed)             344 KiB            %s
                  detector (cascade + scratch)                 54 KiB + buffers   %s
                  display frame                                75 KiB             %s
                  face crop                                    32 KiB             %s
                  gallery                                      1 KiB per person   %s in all
                """, kib(l.bytesOf(Part.NETWORK)), kib(l.bytesOf(Part.CASCADE) + l.bytesOf(Part.DETECTOR)),
                kib(l.bytesOf(Part.DISPLAY)), kib(l.bytesOf(Part.CROP)), kib(l.bytesOf(Part.GALLERY)));
    }

    /** What a Java process holds besides the plan, which has no microcontroller equivalent. */
    public static String jvmNote() {
        return """
                on the JVM: the layout above is the device plan. The Java process also holds what an MCU build would not:
                  the JVM itself (class metadata, JIT code, thread stacks), the web UI, SQLite and the capture thread;
                  colour planes of every frame (for the colour live view), three frames in the capture hand-off and the
                  live view's copies; the network's int32 kernel scratch as its own array (counted in the arena above);
                  and separate arrays for regions the plan overlays (detection and inference scratch never share bytes
                  on the heap). `tinyreid run` lays out this plan at start-up and refuses to start when it does not fit.
                """;
    }

    private static String kib(long b) {
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }

    @Override
    public void close() {
        network.close();
    }
}
