package io.tinyreid.nn.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.importer.Json;
import io.tinyreid.nn.plan.FusedOp;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelCall;
import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.program.ProgramStep;
import io.tinyreid.nn.program.WeightTile;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.PlannedModel;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.testing.FaceReidFixture;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;

/**
 * FaceReID's generated C against the device's truth, bit for bit: the 24 faces of the wrap golden file
 * (12 of them overflow the 32-bit register in features.9-12, DESIGN.md section 1) and the GAP8's own
 * descriptors of Francesco and Lena; on the host (plain and under UBSan + ASan) and on a Cortex-M7
 * under QEMU. Also the firmware's memory: the arena in .bss, no heap, and ld's own overflow message
 * when the L2 budget is one byte short.
 */
class GeneratedCTest {
    @TempDir
    static Path dir;
    static GeneratedC generated;
    /** Java exact mode; the C is generated from its program object (one program, two readings). */
    static PlannedModel exact;
    /** Image file name (in dir) to the device's descriptor. */
    static final Map<String, short[]> TRUTH = new LinkedHashMap<>();
    static int wrapping;

    @BeforeAll
    static void generate() throws IOException {
        Path wrap = SharedData.require("models/facereid/device_check/wrap");
        Path device = SharedData.require("models/facereid/device_check");
        ModelFile model = ModelFile.open(FaceReidFixture.modelFile());
        exact = new PlannedModel(model, Mode.EXACT, WeightLoading.SYNC, PlanOptions.defaults(), null);
        generated = CodeGenerator.generate(exact.program(), model, PlanOptions.defaults().budgetBytes(), dir);
        @SuppressWarnings("unchecked")
        Map<String, Object> golden = (Map<String, Object>) Json.parse(Files.readString(wrap.resolve("golden.json")));
        for (Object o : (List<?>) golden.get("faces")) {
            Map<?, ?> face = (Map<?, ?>) o;
            String png = (String) face.get("image");
            String pgm = png.replace(".png", ".pgm");
            writePgm(wrap.resolve(png), dir.resolve(pgm));
            TRUTH.put(pgm, int16((List<?>) face.get("descriptor_q10")));
            if (Boolean.TRUE.equals(face.get("wraps"))) {
                wrapping++;
            }
        }
        for (String who : List.of("Francesco", "Lena")) {
            Files.copy(device.resolve(who + ".pgm"), dir.resolve(who + ".pgm"));
            TRUTH.put(who + ".pgm", TestImages.readInt16(device.resolve(who + ".bin")));
        }
    }

    @AfterAll
    static void close() {
        if (exact != null) {
            exact.close();
        }
    }

    @Test
    void modelCPrintsTheProgramsTileTableSlicesAndSlots() throws IOException {
        Program p = exact.program();
        assertSame(p, generated.program());
        String c = Files.readString(dir.resolve("model.c"));
        // the weight-tile table row by row: model-file offset, bytes, arena offset, as the Java runtime's WeightStream reads them
        List<long[]> rows = new ArrayList<>();
        Matcher seg = Pattern.compile("(?m)^    \\{(\\d+)u, (\\d+)u, (\\d+)u\\}, /\\* tile (\\d+)").matcher(c);
        while (seg.find()) {
            rows.add(new long[] {Long.parseLong(seg.group(1)), Long.parseLong(seg.group(2)), Long.parseLong(seg.group(3)),
                    Long.parseLong(seg.group(4))});
        }
        List<long[]> expected = new ArrayList<>();
        for (WeightTile t : p.tiles()) {
            for (WeightTile.Segment s : t.segments()) {
                expected.add(new long[] {s.fileOffset(), s.bytes(), s.arenaOffset(), t.index()});
            }
        }
        assertEquals(expected.size(), rows.size());
        assertTrue(expected.size() > 100, "FaceReID streams its weights in many tiles");
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(expected.get(i), rows.get(i), "table row " + i);
        }
        // each tile's slices, in the order the Java runner computes them: channels and weight/bias offsets
        List<String> calls = new ArrayList<>();
        Matcher tile = Pattern.compile("(?m)^    tile\\(\\d+, (\\d+), (\\d+), (\\d+)u, (\\d+)u\\);$").matcher(c);
        while (tile.find()) {
            calls.add(tile.group(1) + " " + tile.group(2) + " " + tile.group(3) + " " + tile.group(4));
        }
        List<String> slices = new ArrayList<>();
        for (WeightTile t : p.tiles()) {
            for (WeightTile.Slice s : t.slices()) {
                slices.add(s.c0() + " " + s.c1() + " " + s.weightOffset() + " " + s.biasOffset());
            }
        }
        assertEquals(slices, calls);
        // the arena is the program's, and every conv call's slots (input, output slice, pool ring) are the program's
        assertTrue(Files.readString(dir.resolve("model.h")).contains("#define TR_ARENA_BYTES " + p.arenaBytes() + "u"));
        for (ProgramStep s : p.steps()) {
            for (KernelCall k : s.calls()) {
                if (k.op() instanceof FusedOp.ConvPool op) {
                    String row = row(c, op.label());
                    assertTrue(row.contains("{" + k.input().slot().offset() + "u, "), op.label() + ": input at " + k.input().slot() + "\n" + row);
                    assertTrue(row.contains("{" + k.output().at(k.channelOffset(), 0, 0) + "u, "), op.label() + ": output\n" + row);
                    if (k.poolRows() != null) {
                        assertTrue(row.contains("{" + k.poolRows().offset() + "u, "), op.label() + ": pool rows\n" + row);
                    }
                }
            }
        }
    }

    /** The CONV table row after the comment naming {@code label}. */
    private static String row(String c, String label) {
        Matcher m = Pattern.compile("(?m)^    /\\* \\d+ " + Pattern.quote(label) + ":.*\\n(.*)$").matcher(c);
        assertTrue(m.find(), "no conv row for " + label);
        return m.group(1);
    }

    @Test
    void hostCEqualsTheDeviceBitForBitAlsoUnderSanitizers() {
        CToolchain.require("cc", "make");
        assertEquals(24 + 2, TRUTH.size());
        assertEquals(12, wrapping, "the golden file's faces that overflow the 32-bit register");
        CToolchain.check(dir, 5, List.of("make", "-s", "host", "host-sanitize"));
        List<String> command = new ArrayList<>(List.of("./model-host"));
        command.addAll(TRUTH.keySet());
        assertDescriptors(CToolchain.check(dir, 5, command), "host C");
        command.set(0, "./model-host-san");
        // UBSan and ASan abort with a non-zero exit (-fno-sanitize-recover) on any undefined behaviour
        assertDescriptors(CToolchain.check(dir, 10, command), "host C under -fsanitize=undefined,address");
    }

    @Test
    void hostCEqualsJavaExactModeOnEveryFace() {
        CToolchain.require("cc", "make");
        CToolchain.check(dir, 5, List.of("make", "-s", "host"));
        List<String> command = new ArrayList<>(List.of("./model-host"));
        command.addAll(TRUTH.keySet());
        List<String> lines = CToolchain.check(dir, 5, command).lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(TRUTH.size(), lines.size());
        int i = 0;
        for (String image : TRUTH.keySet()) {
            short[] d = new short[exact.descriptorLength()];
            exact.embedRaw(FaceReidFixture.raw(TestImages.pgm128(dir.resolve(image))), d);
            Map<?, ?> json = (Map<?, ?>) Json.parse(lines.get(i++));
            assertArrayEquals(d, q10((List<?>) json.get("descriptor")), "C against Java exact: " + image);
        }
    }

    @Test
    void cortexM7UnderQemuEqualsTheDeviceBitForBit() {
        CToolchain.require("make", "arm-none-eabi-gcc", "qemu-system-arm");
        CToolchain.check(dir, 5, List.of("make", "-s", "cortex-m7"));
        String images = String.join(" ", TRUTH.keySet());
        assertDescriptors(CToolchain.check(dir, 30, List.of("make", "-s", "run-m7", "IMAGES=" + images)), "Cortex-M7 under QEMU");
    }

    @Test
    void cortexM7ImageHasTheArenaInBssAndNoHeap() {
        CToolchain.require("make", "arm-none-eabi-gcc", "arm-none-eabi-nm", "arm-none-eabi-size");
        CToolchain.check(dir, 5, List.of("make", "-s", "cortex-m7"));
        String symbols = CToolchain.check(dir, 1, List.of("arm-none-eabi-nm", "model-m7.elf"));
        assertTrue(symbols.contains(" tr_arena"), "the arena symbol is in the image");
        for (String line : symbols.split("\n")) {
            String name = line.substring(line.lastIndexOf(' ') + 1);
            assertFalse(List.of("malloc", "free", "calloc", "realloc", "_sbrk", "sbrk").contains(name),
                    "heap symbol in the firmware: " + line);
        }
        long bss = section(CToolchain.check(dir, 1, List.of("arm-none-eabi-size", "-A", "model-m7.elf")), ".bss");
        long peak = generated.arenaBytes();
        assertTrue(bss >= peak && bss <= peak + 4096, ".bss " + bss + " bytes against the plan's peak " + peak);
        String arena = CToolchain.check(dir, 1, List.of("arm-none-eabi-nm", "-S", "model-m7.elf"));
        Matcher m = Pattern.compile("(?m)^([0-9a-f]+) ([0-9a-f]+) [bBdD] tr_arena$").matcher(arena);
        assertTrue(m.find(), arena);
        assertEquals(peak, Long.parseLong(m.group(2), 16), "the arena is exactly the plan's peak");
    }

    @Test
    void anL2BudgetOneByteUnderThePeakFailsAtLinkTimeWithLdsOwnMessage() {
        CToolchain.require("make", "arm-none-eabi-gcc");
        long peak = generated.arenaBytes();
        CToolchain.Result r = CToolchain.run(dir, 5, List.of("make", "-s", "-B", "cortex-m7", "M7_ELF=under.elf",
                "L2_BYTES=" + (peak - 1)));
        assertNotEquals(0, r.exit(), "linked into " + (peak - 1) + " bytes");
        Matcher m = Pattern.compile("region `L2' overflowed by (\\d+) bytes").matcher(r.err());
        assertTrue(m.find(), r.err());
        long missing = Long.parseLong(m.group(1));
        // ld's count is exact: the same firmware links into exactly that many more bytes, not one fewer
        long fits = peak - 1 + missing;
        assertEquals(0, CToolchain.run(dir, 5, List.of("make", "-s", "-B", "cortex-m7", "M7_ELF=fits.elf",
                "L2_BYTES=" + fits)).exit(), "links into " + fits + " bytes");
        assertNotEquals(0, CToolchain.run(dir, 5, List.of("make", "-s", "-B", "cortex-m7", "M7_ELF=under.elf",
                "L2_BYTES=" + (fits - 1))).exit(), "links into " + (fits - 1) + " bytes");
        assertTrue(missing > 0 && missing <= CodeGenerator.STACK_BYTES + 4096 + 1, "overflow of " + missing + " bytes");
    }

    private static long section(String sizeA, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\d+)\\s").matcher(sizeA);
        assertTrue(m.find(), sizeA);
        return Long.parseLong(m.group(1));
    }

    /** One JSON line per image, in order, each equal to the device's descriptor. */
    private static void assertDescriptors(String out, String who) {
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(TRUTH.size(), lines.size(), who + " printed:\n" + out);
        int i = 0;
        for (Map.Entry<String, short[]> e : TRUTH.entrySet()) {
            Map<?, ?> json = (Map<?, ?>) Json.parse(lines.get(i++));
            assertEquals(e.getKey(), json.get("image"));
            assertEquals("exact", json.get("mode"));
            assertArrayEquals(e.getValue(), q10((List<?>) json.get("descriptor")), who + ": " + e.getKey());
        }
    }

    private static short[] q10(List<?> values) {
        short[] s = new short[values.size()];
        for (int i = 0; i < s.length; i++) {
            double q = ((Double) values.get(i)) * 1024;
            assertEquals(Math.rint(q), q, "not a Q10 value: " + values.get(i));
            s[i] = (short) q;
        }
        return s;
    }

    private static short[] int16(List<?> values) {
        short[] s = new short[values.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((Double) values.get(i)).intValue();
        }
        return s;
    }

    /** A gray PNG as a binary PGM (P5). */
    private static void writePgm(Path png, Path pgm) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            Raster r = img.getRaster();
            if (r.getNumBands() != 1) {
                throw new IllegalStateException(png + " is not gray");
            }
            byte[] header = ("P5\n" + img.getWidth() + " " + img.getHeight() + "\n255\n").getBytes(StandardCharsets.US_ASCII);
            byte[] px = new byte[img.getWidth() * img.getHeight()];
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    px[y * img.getWidth() + x] = (byte) r.getSample(x, y, 0);
                }
            }
            byte[] all = new byte[header.length + px.length];
            System.arraycopy(header, 0, all, 0, header.length);
            System.arraycopy(px, 0, all, header.length, px.length);
            Files.write(pgm, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
