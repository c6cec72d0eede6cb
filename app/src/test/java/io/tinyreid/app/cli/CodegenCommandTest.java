package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.testing.FaceReidFixture;

/** {@code tinyreid codegen}: what it writes and reports, and its refusals (the C itself: nn's GeneratedCTest). */
class CodegenCommandTest {
    @Test
    void writesTheFirmwareAndReportsArenaAndWeights(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("fw");
        ModelCommandsTest.Run r = ModelCommandsTest.run("codegen", FaceReidFixture.modelFile().toString(), "--out", out.toString(),
                "--target", "none");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"model.c", "model.h", "main.c", "Makefile", "tinyreid-m7.ld", "tinyreid_kernels.c",
                "tinyreid_io_host.c", "tinyreid_io_semihost.c", "weights.bin"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Graph g = FaceReidFixture.graph();
        long peak = MemoryPlanner.plan(g, PlanOptions.defaults()).peak();
        Matcher m = Pattern.compile("arena\\s+([0-9,]+) bytes = the plan's peak ([0-9,]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(peak, Long.parseLong(m.group(1).replace(",", "")));
        assertTrue(Files.readString(out.resolve("model.c")).contains("uint8_t tr_arena[TR_ARENA_BYTES] __attribute__((section(\".l2\")"));
        assertTrue(Files.readString(out.resolve("model.h")).contains("#define TR_ARENA_BYTES " + peak + "u"));
        // every conv's int16 weights and biases, read once per inference from the model file (the blob is that file)
        long weights = 0;
        for (Layer l : g.layers()) {
            if (l instanceof Conv2d c) {
                weights += 2L * (c.weight().length() + c.bias().length());
            }
        }
        assertEquals(-1L, Files.mismatch(FaceReidFixture.modelFile(), out.resolve("weights.bin")));
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "weights  %,9d bytes read per inference", weights)), r.out());
        assertTrue(Files.readString(out.resolve("Makefile")).contains("L2_BYTES ?= 524288"));
    }

    @Test
    void refusesBadInputWithAClearError(@TempDir Path tmp) {
        ModelCommandsTest.Run missing = ModelCommandsTest.run("codegen", tmp.resolve("nope.tinyreid").toString(), "--out",
                tmp.resolve("o").toString(), "--target", "none");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("error: "), missing.err());
        ModelCommandsTest.Run target = ModelCommandsTest.run("codegen", FaceReidFixture.modelFile().toString(), "--out",
                tmp.resolve("o").toString(), "--target", "riscv");
        assertEquals(1, target.code());
        assertTrue(target.err().contains("unknown target 'riscv'"), target.err());
        long peak = MemoryPlanner.plan(FaceReidFixture.graph(), PlanOptions.defaults()).peak();
        ModelCommandsTest.Run tight = ModelCommandsTest.run("codegen", FaceReidFixture.modelFile().toString(), "--out",
                tmp.resolve("o").toString(), "--target", "none", "--budget", String.valueOf(peak - 1));
        assertEquals(1, tight.code());
        assertTrue(tight.err().contains("region 'L2' overflowed by 1 bytes"), tight.err());
    }
}
