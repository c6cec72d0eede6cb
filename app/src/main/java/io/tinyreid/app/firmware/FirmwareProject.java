package io.tinyreid.app.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.budget.Part;
import io.tinyreid.app.budget.Region;
import io.tinyreid.app.engine.FrameLoopFootprint;
import io.tinyreid.app.engine.HaarFrameDetector;
import io.tinyreid.app.gallery.DecisionData;
import io.tinyreid.app.pipeline.PipelineConfig;
import io.tinyreid.app.source.Frame;
import io.tinyreid.nn.codegen.CodeGenerator;
import io.tinyreid.nn.codegen.GeneratedC;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.vision.cascade.CascadeLibrary;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.DetectorC;
import io.tinyreid.vision.detect.PackedCascade;

/**
 * Writes the doorbell firmware as a C99 project: the generated network ({@code tinyreid codegen}), the
 * C detector with the packed cascade as const data (flash), the crop, the gallery's decision and the
 * frame loop ({@code doorbell.c}), every buffer at its offset in one static L2 array laid out by the
 * same {@link DoorbellLayout} {@code tinyreid budget} prints ({@code layout.h}), the household's
 * decision data ({@code gallery.bin}) and a Makefile whose {@code cortex-m7} target links it in an
 * {@code L2} region of the budget.
 */
public final class FirmwareProject {
    /** The C sources copied from this package's resources. */
    private static final List<String> SOURCES = List.of("doorbell.c", "tinyreid_crop.h", "tinyreid_crop.c",
            "tinyreid_gallery.h", "tinyreid_gallery.c");
    /** Bytes of one C detector box (trd_box). */
    private static final int BOX_BYTES = 24;
    /** The gallery file's name. */
    public static final String GALLERY = "gallery.bin";

    /** Where each firmware buffer is in L2: its layout region. */
    public record Placement(String symbol, Region region, long offset, long needed) {}

    /** What was written: the network's C, the layout and the placements of the firmware's buffers. */
    public record Written(Path dir, GeneratedC network, DoorbellLayout layout, List<Placement> placements) {}

    private FirmwareProject() {}

    /**
     * Writes the project for {@code model} (a FaceReID model file), the frame loop's layout
     * {@code loop} in {@code budget} bytes and the household {@code gallery} into {@code dir}. Fails
     * when the layout does not fit (ld's message) or a C buffer would not fit its region.
     */
    public static Written write(ModelFile model, FrameLoopFootprint loop, DecisionData gallery, long budget, Path dir)
            throws IOException {
        DoorbellLayout layout = loop.layout(budget).requireFits();
        PackedCascade cascade = PackedCascade.pack(CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE));
        DetectionParams p = HaarFrameDetector.PARAMS;
        int minFace = PipelineConfig.DEFAULT.minFaceSize();
        if (p.scaleFactor() != 1.1 || p.minNeighbors() != 3 || p.minWidth() != minFace || p.minHeight() != minFace
                || p.maxWidth() != 0 || p.maxHeight() != 0) {
            throw new IllegalStateException("the frame detector's parameters changed (" + p + "); doorbell.c has 1.1, 3, "
                    + minFace + ": update both");
        }
        GeneratedC net = CodeGenerator.generate(model, PlanOptions.defaults().withBudget(budget), dir);
        Files.deleteIfExists(dir.resolve("main.c")); // codegen's single-image program; doorbell.c is the main here
        relocateArena(dir);
        DetectorC.write(cascade, dir);
        for (String name : SOURCES) {
            copy(name, dir);
        }
        Files.writeString(dir.resolve("Makefile"), resource("Makefile").replace("@MODEL@", model.graph().name())
                .replace("@BUDGET@", Long.toString(budget)).replace("@STACK@", Integer.toString(CodeGenerator.STACK_BYTES)),
                StandardCharsets.UTF_8);
        List<Placement> placements = new ArrayList<>();
        placements.add(place(layout, "TRF_FRAME", r -> r.part() == Part.FRAME && r.name().contains("gray"),
                (long) Frame.MAX_WIDTH * Frame.MAX_HEIGHT));
        placements.add(place(layout, "TRF_DETECTOR", r -> r.part() == Part.DETECTOR,
                DetectorC.scratchBytes(cascade, Frame.MAX_WIDTH, Frame.MAX_HEIGHT, FrameLoopFootprint.DETECTOR_CANDIDATES)));
        placements.add(place(layout, "TRF_BOXES", r -> r.name().startsWith("detections ("),
                (long) BOX_BYTES * FrameLoopFootprint.FRAME_BOXES));
        placements.add(place(layout, "TRF_CROP", r -> r.part() == Part.CROP && r.name().startsWith("face crop"),
                (long) model.graph().input().shape().size()));
        placements.add(place(layout, "TRF_CROP_TABLES", r -> r.part() == Part.CROP && r.name().startsWith("crop scaling"),
                cropTableBytes(model.graph().input().shape().width())));
        placements.add(place(layout, "TRF_NETWORK", r -> r.part() == Part.NETWORK, net.arenaBytes()));
        placements.add(place(layout, "TRF_QUERY", r -> r.part() == Part.DESCRIPTOR, 2L * model.graph().output().shape().size()));
        placements.add(place(layout, "TRF_GALLERY", r -> r.part() == Part.GALLERY, 2L * gallery.templates().length));
        Files.writeString(dir.resolve("layout.h"), layoutHeader(layout, placements, gallery.count(), loop.title()),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("layout.c"), """
                /* Generated by `tinyreid firmware`: the one static L2 array every buffer of the frame loop lives in. */
                #include "layout.h"

                uint8_t trf_l2[TRF_L2_BYTES] __attribute__((section(".l2"), aligned(8)));
                """, StandardCharsets.UTF_8);
        writeGallery(gallery, dir.resolve(GALLERY));
        return new Written(dir, net, layout, List.copyOf(placements));
    }

    /** The C crop's tables for a square output of {@code side} (TRC_TABLE_BYTES). */
    static long cropTableBytes(int side) {
        return 4L * side * 4 + 2L * 2 * side * 2;
    }

    private static Placement place(DoorbellLayout layout, String symbol, Predicate<Region> which, long needed) {
        List<DoorbellLayout.Placed> found = layout.regions().stream().filter(pl -> which.test(pl.region())).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("the layout has " + found.size() + " regions for " + symbol + ": "
                    + found.stream().map(pl -> pl.region().name()).toList());
        }
        DoorbellLayout.Placed pl = found.getFirst();
        if (needed > pl.region().bytes()) {
            throw new IllegalStateException(symbol + " needs " + needed + " bytes; its region '" + pl.region().name()
                    + "' has " + pl.region().bytes());
        }
        return new Placement(symbol, pl.region(), pl.offset(), needed);
    }

    /** Points the generated network's arena at its region of the layout instead of an array of its own. */
    private static void relocateArena(Path dir) throws IOException {
        Path h = dir.resolve("model.h");
        Path c = dir.resolve("model.c");
        String header = Files.readString(h, StandardCharsets.UTF_8);
        String source = Files.readString(c, StandardCharsets.UTF_8);
        String decl = "extern uint8_t tr_arena[TR_ARENA_BYTES];";
        String def = "uint8_t tr_arena[TR_ARENA_BYTES] __attribute__((section(\".l2\"), aligned(8)));";
        if (!header.contains(decl) || !source.contains(def)) {
            throw new IllegalStateException("the network generator's arena declaration changed; FirmwareProject.relocateArena"
                    + " must follow it");
        }
        Files.writeString(h, header.replace(decl, "#include \"layout.h\"\n#define tr_arena TRF_NETWORK /* the network arena's region of L2 */"),
                StandardCharsets.UTF_8);
        Files.writeString(c, source.replace(def, "/* tr_arena is the network's region of the doorbell's L2 layout (layout.h) */"),
                StandardCharsets.UTF_8);
    }

    private static String layoutHeader(DoorbellLayout layout, List<Placement> placements, int templates, String title) {
        StringBuilder b = new StringBuilder();
        b.append("/* Generated by `tinyreid firmware` from the DoorbellLayout `tinyreid budget` prints for\n * ")
                .append(title.replace("*/", "* /")).append(",\n * in a budget of ").append(layout.budget())
                .append(" bytes: every region at its offset in one static array (regions live in phases that never meet\n"
                        + " * share bytes). Regions the firmware does not use stay reserved, so its L2 is the plan's:\n");
        for (DoorbellLayout.Placed pl : layout.regions()) {
            String used = placements.stream().filter(x -> x.region() == pl.region()).map(Placement::symbol).findFirst()
                    .orElse(pl.region().part() == Part.CASCADE ? "unused: the cascade is const data in flash"
                            : "unused by this firmware");
            b.append(String.format(Locale.ROOT, " *   %7d..%-7d %-34s %-10s %s%n", pl.offset(), pl.end(),
                    pl.region().name().replace("*/", "* /"), pl.region().lifetime(), used));
        }
        b.append(" */\n#ifndef TINYREID_LAYOUT_H\n#define TINYREID_LAYOUT_H\n\n#include <stdint.h>\n\n");
        b.append(String.format(Locale.ROOT, "#define TRF_L2_BYTES %du%n", layout.peak()));
        b.append("extern uint8_t trf_l2[TRF_L2_BYTES];\n\n");
        for (Placement p : placements) {
            b.append(String.format(Locale.ROOT, "#define %s (trf_l2 + %du) /* %s, %s: %d of %d bytes */%n#define %s_BYTES %du%n",
                    p.symbol(), p.offset(), p.region().name().replace("*/", "* /"), p.region().lifetime(), p.needed(),
                    p.region().bytes(), p.symbol(), p.region().bytes()));
        }
        b.append(String.format(Locale.ROOT, "%n#define TRF_FRAME_WIDTH %d%n#define TRF_FRAME_HEIGHT %d%n", Frame.MAX_WIDTH,
                Frame.MAX_HEIGHT));
        b.append(String.format(Locale.ROOT, "#define TRF_CANDIDATES %d%n#define TRF_BOX_CAPACITY %d%n",
                FrameLoopFootprint.DETECTOR_CANDIDATES, FrameLoopFootprint.FRAME_BOXES));
        b.append(String.format(Locale.ROOT, "#define TRF_MIN_FACE %d%n#define TRF_GALLERY_CAPACITY %du%n%n#endif%n",
                PipelineConfig.DEFAULT.minFaceSize(), templates));
        return b.toString();
    }

    /** gallery.bin: "TRG1", dimension, count, 0, accept and margin (IEEE doubles), owners, templates; little endian. */
    static void writeGallery(DecisionData g, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32 + 8 * g.count() + 2 * g.templates().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("TRG1".getBytes(StandardCharsets.US_ASCII)).putInt(g.dimension()).putInt(g.count()).putInt(0)
                .putDouble(g.accept()).putDouble(g.margin());
        for (long o : g.owners()) {
            b.putLong(o);
        }
        for (short v : g.templates()) {
            b.putShort(v);
        }
        Files.write(file, b.array());
    }

    private static void copy(String name, Path dir) throws IOException {
        Files.writeString(dir.resolve(name), resource(name), StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = FirmwareProject.class.getResourceAsStream("c/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
