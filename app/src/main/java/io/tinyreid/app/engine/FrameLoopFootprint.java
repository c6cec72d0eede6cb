package io.tinyreid.app.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tinyreid.app.budget.DetectorFootprint;
import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.budget.Footprint;
import io.tinyreid.app.budget.Part;
import io.tinyreid.app.budget.Phase;
import io.tinyreid.app.budget.TrackerFootprint;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.Frame;
import io.tinyreid.app.track.IouTracker;
import io.tinyreid.nn.ir.Colour;
import io.tinyreid.nn.plan.GreedyPlacement;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.PackedCascade;

/**
 * The doorbell's frame loop as the budget sees it, built from the same components the product runs
 * (vision's Haar detector sized for QVGA, the tracker with the pipeline's geometry, the frame in the
 * planes the model reads, the model's frame describer with its networks compiled to exactly their
 * plans) plus the display and gallery, each declaring its own buffers. FaceReID's network is one
 * arena; dlib-resnet's landmark and recognition networks are two, each planned in the L2 left to it
 * in its phase (the budget minus everything else live then).
 */
public final class FrameLoopFootprint implements AutoCloseable {
    /** Raw windows the frame detector keeps per frame (as the product's frame detector). */
    public static final int DETECTOR_CANDIDATES = 1024;
    /** Boxes per frame handed to the tracker. */
    public static final int FRAME_BOXES = 32;

    private final AutoCloseable network;
    private final DoorbellBudget budget = new DoorbellBudget();
    private final String title;

    /** The frame loop's regions besides the network's, for {@code model}. */
    private static DoorbellBudget base(FaceModel model, Colour colour, DoorbellBudget.Display display, int descriptors,
                                       String galleryLabel) throws IOException {
        CascadeDetector detector = new CascadeDetector(PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE)),
                Frame.MAX_WIDTH, Frame.MAX_HEIGHT, DETECTOR_CANDIDATES);
        PipelineConfig cfg = PipelineConfig.DEFAULT;
        IouTracker tracker = new IouTracker(8, FRAME_BOXES, 0.3f, cfg.confirmFrames(), 5, cfg.maxVotes());
        DoorbellBudget b = new DoorbellBudget()
                .addAll(DoorbellBudget.cameraFrame(new Frame(), colour))
                .add(new DetectorFootprint(detector, new Detections(FRAME_BOXES)))
                .add(new TrackerFootprint(tracker, new io.tinyreid.app.track.Detections(FRAME_BOXES)))
                .add(DoorbellBudget.gallery(model, descriptors, galleryLabel));
        var d = DoorbellBudget.display(display, Frame.MAX_WIDTH, Frame.MAX_HEIGHT);
        if (d != null) {
            b.add(d);
        }
        return b;
    }

    private FrameLoopFootprint(DoorbellBudget base, Footprint network, AutoCloseable closer, String title) {
        this.network = closer;
        budget.addAll(base.regions()).add(network);
        this.title = title;
    }

    private static String title(FaceModel model, String arithmetic, String frames, DoorbellBudget.Display display,
                                String galleryLabel) {
        return String.format(Locale.ROOT, "TinyReID doorbell, model %s (%s), QVGA %s frames, gallery %s, display %s", model.id(),
                arithmetic, frames, galleryLabel, display.name().toLowerCase(Locale.ROOT));
    }

    /** The frame loop with the FaceReID network {@code network} (closed with this). */
    public static FrameLoopFootprint open(FaceReidFrames network, DoorbellBudget.Display display, int descriptors,
                                          String galleryLabel) throws IOException {
        try {
            return new FrameLoopFootprint(base(FaceModel.FACEREID, Colour.GRAY, display, descriptors, galleryLabel), network,
                    network, title(FaceModel.FACEREID, network.mode().name().toLowerCase(Locale.ROOT), "gray", display,
                            galleryLabel));
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** What L2 each of dlib-resnet's networks gets: the budget minus everything else live in its phase. */
    public record DlibBudgets(long landmarks, long recognition) {}

    /**
     * The L2 left to dlib-resnet's landmark and recognition networks in a doorbell of
     * {@code bytes} with this display and gallery: the budget less every other region live in the
     * network's phase, at their aligned sizes (at least 1 byte each).
     */
    public static DlibBudgets dlibBudgets(DoorbellBudget.Display display, int descriptors, long bytes) throws IOException {
        DoorbellBudget b = base(FaceModel.DLIB_RESNET, Colour.RGB, display, descriptors, "");
        long lm = bytes - b.liveIn(Phase.LANDMARKS) - DlibResnetFrames.fixedBytesIn(Phase.LANDMARKS);
        long rec = bytes - b.liveIn(Phase.EMBED) - DlibResnetFrames.fixedBytesIn(Phase.EMBED);
        // whole alignment units, so that an arena of exactly its share still lands within the budget
        return new DlibBudgets(Math.max(1, lm / GreedyPlacement.ALIGN * GreedyPlacement.ALIGN),
                Math.max(1, rec / GreedyPlacement.ALIGN * GreedyPlacement.ALIGN));
    }

    /**
     * The frame loop with dlib-resnet on the planned integer runtime: the quantised landmark and
     * recognition model files opened as {@link DlibResnetFrames}, each planned in the L2 its phase
     * leaves in {@code bytes} ({@link #dlibBudgets}).
     */
    public static FrameLoopFootprint dlib(Path landmarkFile, Path recognitionFile, DoorbellBudget.Display display,
                                          int descriptors, String galleryLabel, long bytes) throws IOException {
        DlibBudgets nets = dlibBudgets(display, descriptors, bytes);
        DoorbellBudget base = base(FaceModel.DLIB_RESNET, Colour.RGB, display, descriptors, galleryLabel);
        DlibResnetFrames frames = DlibResnetFrames.open(landmarkFile, recognitionFile, nets.landmarks(), nets.recognition());
        try {
            String arithmetic = precision(frames.landmarkPlan()) + " landmarks, " + precision(frames.recognitionPlan())
                    + " recognition, integer runtime";
            return new FrameLoopFootprint(base, frames, frames, title(FaceModel.DLIB_RESNET, arithmetic, "RGB", display,
                    galleryLabel));
        } catch (RuntimeException e) {
            frames.close();
            throw e;
        }
    }

    private static String precision(MemoryPlan plan) {
        return "int" + 8 * plan.graph().output().q().bytes();
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
                """, networks(l), kib(l.bytesOf(Part.CASCADE) + l.bytesOf(Part.DETECTOR)),
                kib(l.bytesOf(Part.DISPLAY)), kib(l.bytesOf(Part.CROP)), kib(l.bytesOf(Part.GALLERY)));
    }

    /** What a Java process holds besides the plan, which has no microcontroller equivalent. */
    public static String jvmNote() {
        return """
                on the JVM: the layout above is the device plan. The Java process also holds what an MCU build would not:
                  the JVM itself (class metadata, JIT code, thread stacks), the web UI, SQLite and the capture thread;
                  colour planes of every frame (for the colour live view; a gray model's plan needs none), three frames
                  in the capture hand-off and the live view's copies; the networks' int32 kernel scratch as its own array
                  (counted in the arenas above); the float input and output of the integer networks (a device writes the
                  crop straight into the arena's input tensor);
                  and separate arrays for regions the plan overlays (detection and inference scratch never share bytes
                  on the heap). `tinyreid run` lays out this plan at start-up and refuses to start when it does not fit.
                """;
    }

    /** The network arenas: one, or each (they are live in different phases and share bytes). */
    private static String networks(DoorbellLayout l) {
        List<String> each = new ArrayList<>();
        for (DoorbellLayout.Placed p : l.regions()) {
            if (p.region().part() == Part.NETWORK) {
                each.add(kib(p.region().bytes()));
            }
        }
        return each.size() == 1 ? each.getFirst() : String.join(" / ", each) + " (one at a time)";
    }

    private static String kib(long b) {
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }

    @Override
    public void close() {
        try {
            network.close();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
