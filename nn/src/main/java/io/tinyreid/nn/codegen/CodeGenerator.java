package io.tinyreid.nn.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.store.ModelFile;

/**
 * Generates C99 firmware from a model's {@link Program} (the same object the Java runtime
 * interprets): {@code model.h}, {@code model.c}, the portable kernels of its family (device-exact
 * int16, or the quantiser's integer int16/int8), the two-function file interface for host and
 * semihosting, {@code main.c}, a {@code Makefile} and the Cortex-M7 linker script whose region
 * {@code L2} is the budget, plus {@code weights.bin}: the model file itself ("L3"), which the
 * program's weight-tile table reads at its file offsets.
 */
public final class CodeGenerator {
    /** Bytes of stack the Cortex-M7 firmware reserves in L2 (main, printf and the non-recursive kernels, whose largest frame holds one output row's running outputs and sums). */
    public static final int STACK_BYTES = 4096;
    /** Name of the weight blob in the output directory. */
    public static final String BLOB = "weights.bin";

    private static final List<String> COMMON = List.of("tinyreid_io.h", "tinyreid_io_host.c", "tinyreid_io_semihost.c",
            "tinyreid-m7.ld");
    private static final List<String> DEVICE = List.of("tinyreid_kernels.h", "tinyreid_kernels.c");
    private static final List<String> INTEGER = List.of("tinyreid_integer.h", "tinyreid_integer.c");

    private CodeGenerator() {}

    /** The family a model's C runs: device-exact when the device kernels run its graph, else the integer kernels. */
    public static KernelFamily familyOf(ModelFile model) {
        return MemoryPlanner.kernelsFor(model.graph()) == PlanOptions.Kernels.DEVICE ? KernelFamily.DEVICE_EXACT
                : KernelFamily.INTEGER;
    }

    /** Lowers {@code model} with {@code options} for its family ({@link #familyOf}) and writes its C into {@code dir}. */
    public static GeneratedC generate(ModelFile model, PlanOptions options, Path dir) {
        return generate(Program.lower(model, familyOf(model), options), model, options.budgetBytes(), dir);
    }

    /** Writes the C of {@code program} (lowered from {@code model}) into {@code dir} (created if missing), L2 region {@code budget} bytes. */
    public static GeneratedC generate(Program program, ModelFile model, long budget, Path dir) {
        if (!program.plan().graph().equals(model.graph())) {
            throw new IllegalArgumentException("the program is not of this model file's graph");
        }
        boolean device = program.family() == KernelFamily.DEVICE_EXACT;
        String header;
        String source;
        if (device) {
            if (model.graph().input().shape().channels() != 1) {
                throw new IllegalArgumentException("model " + model.graph().name() + " takes colour input; the generated device C"
                        + " reads gray PGM images");
            }
            DeviceModelSource s = new DeviceModelSource(program);
            header = s.header();
            source = s.source();
        } else if (program.family() == KernelFamily.INTEGER) {
            IntegerModelSource s = new IntegerModelSource(program);
            header = s.header();
            source = s.source();
        } else {
            throw new IllegalArgumentException("no C kernels for the " + program.family().label() + " family");
        }
        try {
            Files.createDirectories(dir);
            Path blob = dir.resolve(BLOB);
            Files.copy(model.path(), blob, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("model.h"), header, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("model.c"), source, StandardCharsets.UTF_8);
            for (String name : COMMON) {
                Files.writeString(dir.resolve(name), resource(name), StandardCharsets.UTF_8);
            }
            for (String name : device ? DEVICE : INTEGER) {
                Files.writeString(dir.resolve(name), resource(name), StandardCharsets.UTF_8);
            }
            Files.writeString(dir.resolve("main.c"), resource(device ? "main.c" : "main_integer.c"), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("Makefile"), resource("Makefile")
                    .replace("@MODEL@", model.graph().name())
                    .replace("@KERNELS@", device ? "tinyreid_kernels" : "tinyreid_integer")
                    .replace("@BUDGET@", Long.toString(budget))
                    .replace("@STACK@", Integer.toString(STACK_BYTES)), StandardCharsets.UTF_8);
            return new GeneratedC(dir, program, Files.size(blob), new SegmentTable(program).rows());
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
