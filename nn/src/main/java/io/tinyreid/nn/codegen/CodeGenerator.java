package io.tinyreid.nn.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tinyreid.nn.ir.Tensor;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.store.ModelFile;

/**
 * Generates C99 firmware from a model's memory plan (device-exact int16 kernels): {@code model.h},
 * {@code model.c}, the portable kernels, the two-function file interface for host and semihosting,
 * {@code main.c}, a {@code Makefile} and the Cortex-M7 linker script whose region {@code L2} is the
 * budget, plus {@code weights.bin}, the weight tiles in execution order ("L3").
 */
public final class CodeGenerator {
    /** Bytes of stack the Cortex-M7 firmware reserves in L2 (main, printf and the non-recursive kernels, whose largest frame holds one output row's running outputs and sums). */
    public static final int STACK_BYTES = 4096;
    /** Name of the weight blob in the output directory. */
    public static final String BLOB = "weights.bin";

    private static final List<String> COPIED = List.of("tinyreid_kernels.h", "tinyreid_kernels.c", "tinyreid_io.h",
            "tinyreid_io_host.c", "tinyreid_io_semihost.c", "main.c", "tinyreid-m7.ld");

    private CodeGenerator() {}

    /** Writes the C of {@code model} planned with {@code options} into {@code dir} (created if missing). */
    public static GeneratedC generate(ModelFile model, PlanOptions options, Path dir) {
        MemoryPlan plan = MemoryPlanner.plan(model.graph(), options.withKernels(PlanOptions.Kernels.DEVICE));
        if (model.graph().input().shape().channels() != 1) {
            throw new IllegalArgumentException("model " + model.graph().name() + " takes colour input; the generated C"
                    + " reads gray PGM images and runs int16 device networks (FaceReID)");
        }
        for (Tensor t : plan.placements().keySet()) {
            if (t.q().bytes() != 2) {
                throw new IllegalArgumentException("tensor " + t.name() + " is not int16; the generated C runs int16 device networks");
            }
        }
        try {
            Files.createDirectories(dir);
            Path blob = dir.resolve(BLOB);
            List<List<WeightBlob.Segment>> tiles = WeightBlob.write(model, plan, blob);
            CModelSource source = new CModelSource(plan, tiles);
            Files.writeString(dir.resolve("model.h"), source.header(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("model.c"), source.source(), StandardCharsets.UTF_8);
            for (String name : COPIED) {
                Files.writeString(dir.resolve(name), resource(name), StandardCharsets.UTF_8);
            }
            Files.writeString(dir.resolve("Makefile"), resource("Makefile")
                    .replace("@MODEL@", model.graph().name())
                    .replace("@BUDGET@", Long.toString(options.budgetBytes()))
                    .replace("@STACK@", Integer.toString(STACK_BYTES)), StandardCharsets.UTF_8);
            return new GeneratedC(dir, plan, Files.size(blob), tiles.stream().mapToInt(List::size).sum());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write generated C to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CodeGenerator.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
