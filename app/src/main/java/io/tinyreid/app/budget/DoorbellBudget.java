package io.tinyreid.app.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.ir.Colour;

/**
 * The whole doorbell's regions: the camera frame in the planes the model reads, the display frame,
 * the gallery's descriptors at their stored width, and whatever the frame-loop components declare
 * ({@link Footprint}); {@link #layout} places them in one arena.
 */
public final class DoorbellBudget {
    /** How the display frame is stored (the reference device showed QVGA gray on its LCD). */
    public enum Display {
        /** 8-bit gray, 75 KiB at QVGA (the reference's LCD frame). */
        GRAY(1),
        /** 16-bit colour, as SPI LCD panels take it. */
        RGB565(2),
        /** 24-bit colour. */
        RGB888(3),
        /** No local display (a headless doorbell that only notifies). */
        NONE(0);

        private final int bytesPerPixel;

        Display(int bytesPerPixel) {
            this.bytesPerPixel = bytesPerPixel;
        }

        /** Bytes per pixel. */
        public int bytesPerPixel() {
            return bytesPerPixel;
        }

        /** Parses {@code gray|rgb565|rgb888|none}. */
        public static Display parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown display '" + s + "' (gray, rgb565, rgb888 or none)");
            }
        }
    }

    private final List<Region> regions = new ArrayList<>();

    /** Adds a component's declared regions. */
    public DoorbellBudget add(Footprint component) {
        regions.addAll(component.regions());
        return this;
    }

    /** Adds one region. */
    public DoorbellBudget add(Region r) {
        regions.add(r);
        return this;
    }

    /** Adds regions. */
    public DoorbellBudget addAll(List<Region> rs) {
        regions.addAll(rs);
        return this;
    }

    /** Bytes of the regions so far live in phase {@code p}, each rounded up to the layout's alignment. */
    public long liveIn(Phase p) {
        return alignedBytesIn(regions, p);
    }

    /** Bytes of {@code rs} live in phase {@code p}, each rounded up to the layout's alignment (as laid out). */
    public static long alignedBytesIn(List<Region> rs, Phase p) {
        long a = io.tinyreid.nn.plan.GreedyPlacement.ALIGN;
        return rs.stream().filter(r -> r.liveIn(p)).mapToLong(r -> (r.bytes() + a - 1) / a * a).sum();
    }

    /** Every region so far. */
    public List<Region> regions() {
        return List.copyOf(regions);
    }

    /** Places the regions in {@code budget} bytes. */
    public DoorbellLayout layout(long budget) {
        return DoorbellLayout.of(regions, budget);
    }

    /**
     * The camera frame as the frame loop reads it. A gray network: the gray plane the detector and
     * the crop read, live until the face is cropped. A colour network: the frame's RGB planes (the
     * display and the network's alignment read them) live until the face is cropped, its gray plane
     * (what the detector sees) only until detection ends.
     */
    public static List<Region> cameraFrame(Frame frame, Colour networkInput) {
        long gray = frame.gray().capacity();
        if (networkInput == Colour.GRAY) {
            return List.of(new Region(String.format(Locale.ROOT, "camera frame %dx%d gray", Frame.MAX_WIDTH, Frame.MAX_HEIGHT),
                    Part.FRAME, gray, Phase.CAPTURE, Phase.CROP, "Frame.gray().capacity()"));
        }
        return List.of(
                new Region(String.format(Locale.ROOT, "camera frame %dx%d RGB", Frame.MAX_WIDTH, Frame.MAX_HEIGHT), Part.FRAME,
                        frame.rgb().capacity(), Phase.CAPTURE, Phase.CROP, "Frame.rgb().capacity()"),
                new Region(String.format(Locale.ROOT, "camera frame %dx%d gray", Frame.MAX_WIDTH, Frame.MAX_HEIGHT), Part.FRAME,
                        gray, Phase.CAPTURE, Phase.DETECT, "Frame.gray().capacity()"));
    }

    /** The display frame (resident: the screen and the live stream read it between loops); null for none. */
    public static Region display(Display d, int width, int height) {
        if (d == Display.NONE) {
            return null;
        }
        return Region.resident(String.format(Locale.ROOT, "display frame %dx%d %s", width, height,
                d.name().toLowerCase(Locale.ROOT)), Part.DISPLAY, (long) width * height * d.bytesPerPixel(), "--display");
    }

    /** {@code count} stored descriptors of {@code model} at their stored width (resident: matched every identification). */
    public static Region gallery(FaceModel model, int count, String origin) {
        if (count < 0) {
            throw new IllegalArgumentException("negative descriptor count");
        }
        long each = (long) model.dimension() * model.format().bytesPerValue();
        return Region.resident(String.format(Locale.ROOT, "gallery %d x %d %s", count, model.dimension(),
                model.format().name().toLowerCase(Locale.ROOT)), Part.GALLERY, count * each, origin);
    }
}
