package io.tinyreid.app.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tinyreid.app.budget.Footprint;
import io.tinyreid.app.budget.Part;
import io.tinyreid.app.budget.Phase;
import io.tinyreid.app.budget.Region;
import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.face.DescriptorBuffer;
import io.tinyreid.app.face.EmbeddingView;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.PlanarMirror;
import io.tinyreid.app.pipeline.FrameDescriber;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.PlannedModel;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.LinearResizer;

/**
 * The frame loop's FaceReID network: the detector's box made square (centred, clamped to the
 * frame, no alignment, as on the device), scaled bilinearly straight from the frame's gray plane
 * into a 128x128 crop (no intermediate cut-out), handed to the network's arena, the descriptor out
 * as the device's int16 Q10 values. The same pixels and descriptor as the photo path's
 * {@code FaceReidEmbedder}, without its copies: {@link #describeInto} allocates nothing. As the
 * product's view ({@link FaceModel#FACEREID}'s {@code flip}) the network runs a second time on the crop
 * mirrored left-right, and the two int16 outputs are averaged (halves rounded up, as the photo path's
 * float average rounds).
 *
 * <p>In the fixed-point modes the network's arena is exactly its plan's peak, and {@link #regions()}
 * declares the crop, the arena and the descriptor for the whole-device plan. Not thread-safe: one
 * per frame loop.
 */
public final class FaceReidFrames implements FrameDescriber, Footprint, AutoCloseable {
    private static final int SIDE = FaceReidImporter.INPUT_SIZE;
    private static final int Q10 = 1 << 10;

    private final CompiledModel net;
    private final PlannedModel planned;
    private final byte[] crop = new byte[SIDE * SIDE];
    private final LinearResizer resizer = new LinearResizer();
    private final short[] descriptor;
    private final short[] mirrored;
    private final boolean mirrorAverage;
    // float mode only (the unplanned PC reference): the crop as floats and the real-valued output
    private final float[] floatIn;
    private final float[] floatOut;
    private final float[] floatMirrored;

    /** Wraps a compiled FaceReID network (closed with this), seen through the product's view. */
    public FaceReidFrames(CompiledModel net) {
        this(net, EmbeddingView.of(FaceModel.FACEREID));
    }

    /** Wraps a compiled FaceReID network (closed with this) seen through {@code view} (plain or flip; no crop scale). */
    public FaceReidFrames(CompiledModel net, EmbeddingView view) {
        if (view.cropScale() != 1.0) {
            throw new IllegalArgumentException("the frame loop crops the detector's box: no crop scale (" + view.id() + ")");
        }
        this.mirrorAverage = view.mirrorAverage();
        if (net.input().size() != SIDE * SIDE || net.descriptorLength() != FaceModel.FACEREID.dimension()) {
            throw new IllegalArgumentException("not the FaceReID network: input " + net.input().size()
                    + " values, descriptor " + net.descriptorLength());
        }
        this.net = net;
        this.planned = net instanceof PlannedModel p ? p : null;
        this.descriptor = new short[net.descriptorLength()];
        this.mirrored = new short[net.descriptorLength()];
        this.floatIn = planned == null ? new float[SIDE * SIDE] : null;
        this.floatOut = planned == null ? new float[net.descriptorLength()] : null;
        this.floatMirrored = planned == null ? new float[net.descriptorLength()] : null;
        resizer.setGeometry(SIDE, SIDE, SIDE, SIDE); // the tables depend on the 128x128 output only
    }

    /** Opens a FaceReID model file; fixed-point modes get an arena of exactly the plan's peak. */
    public static FaceReidFrames open(Path modelFile, Mode mode) {
        return new FaceReidFrames(CompiledModel.open(modelFile, mode));
    }

    /** As {@link #open(Path, Mode)}, seen through {@code view} (e.g. plain: the device's single pass). */
    public static FaceReidFrames open(Path modelFile, Mode mode, EmbeddingView view) {
        CompiledModel net = CompiledModel.open(modelFile, mode);
        try {
            return new FaceReidFrames(net, view);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    @Override
    public FaceModel model() {
        return FaceModel.FACEREID;
    }

    /** The arithmetic the network runs. */
    public Mode mode() {
        return net.mode();
    }

    /** The network's memory plan (null in float mode). */
    public MemoryPlan plan() {
        return net.plan();
    }

    @Override
    public Descriptor describe(Frame frame, int x, int y, int w, int h) {
        describeInto(frame.gray(), x, y, w, h, descriptor);
        return new Descriptor.Int16(descriptor);
    }

    @Override
    public void describeInto(Frame frame, int x, int y, int w, int h, DescriptorBuffer out) {
        describeInto(frame.gray(), x, y, w, h, out.int16());
    }

    /** Writes the int16 Q10 descriptor of box (x, y, w, h) of {@code gray} into {@code out} (512 values). */
    public void describeInto(GrayImage gray, int x, int y, int w, int h, short[] out) {
        cropInto(gray, x, y, w, h);
        if (planned != null) {
            planned.embedPixels(crop, out);
            if (!mirrorAverage) {
                return;
            }
            PlanarMirror.mirror(crop, SIDE);
            planned.embedPixels(crop, mirrored);
            PlanarMirror.mirror(crop, SIDE); // the crop as cut, for whoever looks at it next
            PlanarMirror.average(out, mirrored);
            return;
        }
        for (int i = 0; i < crop.length; i++) {
            floatIn[i] = crop[i] & 0xFF;
        }
        net.embed(floatIn, floatOut);
        if (mirrorAverage) {
            PlanarMirror.mirror(floatIn, SIDE);
            net.embed(floatIn, floatMirrored);
            PlanarMirror.average(floatOut, floatMirrored);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.clamp(Math.round(floatOut[i] * Q10), Short.MIN_VALUE, Short.MAX_VALUE);
        }
    }

    @Override
    public byte[] cropForQuality(Frame frame, int x, int y, int w, int h) {
        cropInto(frame.gray(), x, y, w, h);
        return crop;
    }

    @Override
    public int cropSide() {
        return SIDE;
    }

    /** The 128x128 crop of the last call (row-major gray). */
    byte[] crop() {
        return crop;
    }

    private void cropInto(GrayImage gray, int x, int y, int w, int h) {
        int fw = gray.width();
        int side = Math.min(Math.max(w, h), Math.min(fw, gray.height()));
        if (side <= 0) {
            throw new IllegalArgumentException("empty face box " + w + "x" + h);
        }
        int x0 = Math.clamp(x + w / 2 - side / 2, 0, fw - side);
        int y0 = Math.clamp(y + h / 2 - side / 2, 0, gray.height() - side);
        byte[] src = gray.pixels();
        if (side == SIDE) {
            for (int r = 0; r < SIDE; r++) {
                System.arraycopy(src, (y0 + r) * fw + x0, crop, r * SIDE, SIDE);
            }
            return;
        }
        resizer.setGeometry(side, side, SIDE, SIDE);
        for (int r = 0; r < SIDE; r++) {
            resizer.row(src, y0 * fw + x0, fw, r, crop, r * SIDE);
        }
    }

    @Override
    public List<Region> regions() {
        List<Region> out = new ArrayList<>();
        out.add(new Region("face crop 128x128 gray", Part.CROP, crop.length, Phase.CROP, Phase.EMBED,
                "FaceReidFrames crop buffer"));
        out.add(new Region("crop scaling tables", Part.CROP, resizer.capacityBytes(), Phase.CROP, Phase.CROP,
                "LinearResizer.capacityBytes()"));
        MemoryPlan plan = net.plan();
        if (planned == null || plan == null) {
            throw new IllegalStateException("the " + net.mode().name().toLowerCase(Locale.ROOT)
                    + " mode is not planned: it runs the dequantised network on the JVM heap (no device arena)");
        }
        out.add(new Region("network arena (" + plan.graph().name() + ")", Part.NETWORK, 2L * planned.arena().length,
                Phase.EMBED, Phase.EMBED, String.format(Locale.ROOT,
                        "nn MemoryPlanner: plan peak %,d B, %d weight tiles double-buffered", plan.peak(), plan.tileCount())));
        out.add(mirrorAverage
                ? new Region("query descriptor 512 x int16 + mirrored pass", Part.DESCRIPTOR, 2L * (descriptor.length
                        + mirrored.length), Phase.EMBED, Phase.MATCH,
                        "FaceReidFrames descriptor buffer and the mirrored crop's output, averaged into it")
                : new Region("query descriptor 512 x int16", Part.DESCRIPTOR, 2L * descriptor.length, Phase.EMBED, Phase.MATCH,
                        "FaceReidFrames descriptor buffer"));
        return out;
    }

    @Override
    public void close() {
        net.close();
    }
}
