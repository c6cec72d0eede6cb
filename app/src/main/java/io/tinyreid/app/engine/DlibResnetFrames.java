package io.tinyreid.app.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.tinyreid.app.budget.Footprint;
import io.tinyreid.app.budget.Part;
import io.tinyreid.app.budget.Phase;
import io.tinyreid.app.budget.Region;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.DlibAlignment;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.IntegerNets;
import io.tinyreid.app.face.PlanarMirror;
import io.tinyreid.app.pipeline.FrameDescriber;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.runtime.PlannedIntegerModel;
import io.tinyreid.vision.align.DlibChip;
import io.tinyreid.vision.image.RgbImage;

/**
 * The frame loop's dlib-resnet describer on the planned integer runtime: face-api's 68-landmark net
 * on the detector's box (enlarged 1.2x) read in place from the frame's RGB planes, dlib's 150x150
 * chip warped out of the frame, the recognition net on the chip, 128 floats out. Both networks are
 * our quantised model files ({@code tinyreid quantise --out}) run by {@link PlannedIntegerModel},
 * each planned in the L2 left to it in its phase of the whole-doorbell plan (the landmark net while
 * the frame is still live, the recognition net once the chip is cut and the frame is free); the
 * same alignment code as the photo path ({@link DlibAlignment}), so with the same model files
 * gallery and frames give the same descriptors. As the product's view ({@link FaceModel#DLIB_RESNET}'s
 * {@code flip}), the recognition net runs a second time on the chip mirrored left-right and the two
 * outputs are averaged (the gallery normalises). {@link #describeInto} allocates nothing.
 *
 * <p>{@link #regions()} declares the landmark arena (its input tensor is the 112x112 landmark crop,
 * written from the frame's planes), the landmark points, the chip, the recognition arena (its input
 * tensor is the chip as the net reads it) and the descriptor with the mirrored pass's output beside it.
 * Not thread-safe: one per frame loop.
 */
public final class DlibResnetFrames implements FrameDescriber, Footprint, AutoCloseable {
    private final PlannedIntegerModel landmarks;
    private final PlannedIntegerModel recognition;
    private final long landmarkBudget;
    private final long recognitionBudget;
    private final DlibAlignment alignment = new DlibAlignment();
    private final float[] descriptor = new float[FaceModel.DLIB_RESNET.dimension()];
    private final float[] mirrored = new float[FaceModel.DLIB_RESNET.dimension()];

    /**
     * Wraps the two integer networks (closed with this); {@code landmarkBudget} and
     * {@code recognitionBudget} are the L2 bytes each was planned in (for the footprint's report).
     */
    public DlibResnetFrames(PlannedIntegerModel landmarks, PlannedIntegerModel recognition, long landmarkBudget,
                            long recognitionBudget) {
        if (landmarks.descriptorLength() != DlibAlignment.LANDMARK_OUTPUTS
                || landmarks.input().size() != 3 * DlibAlignment.LANDMARK_SIDE * DlibAlignment.LANDMARK_SIDE) {
            throw new IllegalArgumentException("not face-api's 68-landmark net: input " + landmarks.input().size()
                    + " values, output " + landmarks.descriptorLength());
        }
        if (recognition.descriptorLength() != FaceModel.DLIB_RESNET.dimension()
                || recognition.input().size() != 3 * DlibChip.SIZE * DlibChip.SIZE) {
            throw new IllegalArgumentException("not dlib's ResNet: input " + recognition.input().size() + " values, descriptor "
                    + recognition.descriptorLength());
        }
        this.landmarks = landmarks;
        this.recognition = recognition;
        this.landmarkBudget = landmarkBudget;
        this.recognitionBudget = recognitionBudget;
    }

    /**
     * Opens the quantised landmark and recognition model files, each planned within its budget
     * (the bytes of L2 left in its phase; an arena of exactly the plan's peak).
     */
    public static DlibResnetFrames open(Path landmarkFile, Path recognitionFile, long landmarkBudget, long recognitionBudget) {
        PlannedIntegerModel lm = IntegerNets.open(landmarkFile, landmarkBudget);
        try {
            return new DlibResnetFrames(lm, IntegerNets.open(recognitionFile, recognitionBudget), landmarkBudget,
                    recognitionBudget);
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    @Override
    public FaceModel model() {
        return FaceModel.DLIB_RESNET;
    }

    @Override
    public Descriptor describe(Frame frame, int x, int y, int w, int h) {
        describeInto(frame.rgb(), x, y, w, h, descriptor);
        return new Descriptor.Float32(descriptor);
    }

    @Override
    public void describeInto(Frame frame, int x, int y, int w, int h, DescriptorBuffer out) {
        describeInto(frame.rgb(), x, y, w, h, out.float32());
    }

    /** Writes the 128-float descriptor of box (x, y, w, h) of {@code rgb} into {@code out}. */
    public void describeInto(RgbImage rgb, int x, int y, int w, int h, float[] out) {
        float[] chip = alignment.align(rgb, x, y, w, h, landmarks);
        recognition.embed(chip, out);
        PlanarMirror.mirror(chip, DlibChip.SIZE);
        recognition.embed(chip, mirrored);
        PlanarMirror.average(out, mirrored);
    }

    /** The 68 landmarks (image pixels; the array is reused by the next call) of box (x, y, w, h). */
    public float[][] landmarks(RgbImage rgb, int x, int y, int w, int h) {
        return alignment.landmarks(rgb, x, y, w, h, landmarks);
    }

    /** The landmark network's memory plan. */
    public MemoryPlan landmarkPlan() {
        return landmarks.plan();
    }

    /** The recognition network's memory plan. */
    public MemoryPlan recognitionPlan() {
        return recognition.plan();
    }

    /** Bytes of the regions besides the two arenas live in {@code p}, aligned as laid out (to work out what L2 is left to each arena). */
    public static long fixedBytesIn(Phase p) {
        return io.tinyreid.app.budget.DoorbellBudget.alignedBytesIn(fixedRegions(), p);
    }

    /** The regions besides the two arenas: the landmark points, the chip and the descriptor. */
    static List<Region> fixedRegions() {
        return List.of(
                new Region("landmarks 68 points + chip map", Part.CROP, DlibAlignment.pointsBytes(), Phase.LANDMARKS, Phase.CROP,
                        "DlibAlignment.pointsBytes()"),
                new Region("dlib chip 150x150 RGB", Part.CROP, DlibAlignment.chipBytes(), Phase.CROP, Phase.EMBED,
                        "DlibAlignment.chipBytes()"),
                new Region("query descriptor 128 x float32 + mirrored pass", Part.DESCRIPTOR,
                        2L * FaceModel.DLIB_RESNET.dimension() * Float.BYTES, Phase.EMBED, Phase.MATCH,
                        "DlibResnetFrames descriptor buffer and the mirrored chip's output, averaged into it"));
    }

    @Override
    public List<Region> regions() {
        List<Region> out = new java.util.ArrayList<>();
        out.add(arena("landmark arena", landmarks, landmarkBudget, Phase.LANDMARKS, "its input tensor is the 112x112 RGB crop"));
        out.addAll(fixedRegions());
        out.add(arena("recognition arena", recognition, recognitionBudget, Phase.EMBED, "its input tensor is the chip"));
        return out;
    }

    private static Region arena(String what, PlannedIntegerModel net, long budget, Phase phase, String note) {
        MemoryPlan plan = net.plan();
        String spill = plan.peak() > budget ? String.format(Locale.ROOT, "; %,d B over the %,d B left to it", plan.peak() - budget,
                budget) : String.format(Locale.ROOT, " of the %,d B left to it", budget);
        // Activations kept in external memory are part of the design, not hidden: say how many and what they cost.
        String l3 = plan.spill().any() ? String.format(Locale.ROOT, "; %d activations (%,d B) kept in L3, %,d B L2<->L3 per"
                + " inference", plan.spill().l3().size(), plan.spill().l3Bytes(), plan.spill().trafficBytes()) : "";
        return new Region(what, Part.NETWORK, net.arena().length, phase, phase,
                String.format(Locale.ROOT, "nn MemoryPlanner (integer) for %s: plan peak %,d B%s; %d weight tiles%s; %s",
                        plan.graph().name(), plan.peak(), spill, plan.tileCount(), l3, note));
    }

    @Override
    public void close() {
        try {
            landmarks.close();
        } finally {
            recognition.close();
        }
    }
}
