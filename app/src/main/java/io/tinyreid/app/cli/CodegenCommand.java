package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.app.firmware.Firmware;
import io.tinyreid.nn.codegen.CodeGenerator;
import io.tinyreid.nn.codegen.GeneratedC;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.CompiledModel;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.runtime.WeightLoading;
import io.tinyreid.nn.store.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tinyreid codegen MODEL_FILE --out DIR [--target host|cortex-m7|none] [--budget SIZE] [--measure IMAGE.pgm]}. */
@Command(name = "codegen", mixinStandardHelpOptions = true,
        description = {"Generate C99 firmware from a model's program (device-exact int16 kernels, or the quantiser's integer int16/int8 kernels; static arena in"
                + " section .l2, weights streamed from a blob), build it and print its report.",
                "The directory gets a Makefile: make host | host-sanitize | cortex-m7 | run-m7 IMAGES=\"a.pgm b.pgm\"."})
public final class CodegenCommand implements Callable<Integer> {
    /** Java inferences before timing (C2 compiles the vector kernels). */
    private static final int WARM_UP = 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "model file ('tinyreid model import')")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    @Option(names = "--target", defaultValue = "host", paramLabel = "TARGET",
            description = "build after generating: host, cortex-m7 (arm-none-eabi-gcc + picolibc) or none (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE",
            description = "L2 budget: the plan's and the linker region's size (default: ${DEFAULT-VALUE})")
    String budget;

    @Option(names = "--measure", paramLabel = "IMAGE.pgm",
            description = "also time the built C on this image against Java exact mode (host), or count its"
                    + " instructions under QEMU -icount shift=0 (cortex-m7)")
    Path measure;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "inferences per timing, the best is kept (default: ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        return ModelCommand.guarded(err, () -> {
            Firmware.Target t = Firmware.Target.parse(target);
            if (runs < 1 || runs > 1000) {
                throw new IllegalArgumentException("--runs must be 1..1000");
            }
            if (measure != null && (!Files.isRegularFile(measure) || t == Firmware.Target.NONE)) {
                throw new IllegalArgumentException(t == Firmware.Target.NONE ? "--measure needs a target to build"
                        : "no such image: " + measure);
            }
            PlanOptions options = PlanOptions.defaults().withBudget(PlanOptions.parseSize(budget));
            ModelFile file = ModelFile.open(model);
            if (measure != null && CodeGenerator.familyOf(file) != io.tinyreid.nn.program.KernelFamily.DEVICE_EXACT) {
                throw new IllegalArgumentException("--measure times device models on a gray PGM; an integer model's C reads raw"
                        + " input tensors: run ./model-host INPUT.raw in " + out);
            }
            GeneratedC c = CodeGenerator.generate(file, options, out);
            o.printf(Locale.ROOT, "generated C for %s in %s: %s program, %d steps, %d weight tiles (%d table rows)%n",
                    file.graph().name(), out, c.program().family().label(), c.program().steps().size(), c.program().tiles().size(), c.segments());
            o.printf(Locale.ROOT, "arena    %,9d bytes = the plan's peak %,d (budget %,d), static, section .l2%n", c.arenaBytes(),
                    c.program().plan().peak(), options.budgetBytes());
            o.printf(Locale.ROOT, "weights  %,9d bytes read per inference, tile by tile, from %s (the model file, %,d bytes: L3)%n",
                    c.weightBytes(), CodeGenerator.BLOB, c.blobBytes());
            o.flush();
            if (t == Firmware.Target.NONE) {
                return 0;
            }
            Firmware fw = new Firmware(out, t);
            err.println("building " + t.makeTarget() + " ...");
            err.flush();
            fw.build();
            if (t == Firmware.Target.CORTEX_M7) {
                Firmware.Sizes s = fw.sizes();
                o.printf(Locale.ROOT, "cortex-m7 (arm-none-eabi-size): .text %,d  .rodata %,d  .data %,d  .bss %,d"
                                + " (arena + %,d of statics)  stack %,d; L2 region %,d bytes%n", s.text(), s.rodata(), s.data(),
                        s.bss(), s.bss() - c.arenaBytes(), CodeGenerator.STACK_BYTES, options.budgetBytes());
            } else {
                o.println("host: built " + out.resolve(t.binary()));
            }
            o.flush();
            if (measure != null) {
                measure(o, err, fw, file, options, t);
            }
            return 0;
        });
    }

    private void measure(PrintWriter o, PrintWriter err, Firmware fw, ModelFile file, PlanOptions options, Firmware.Target t)
            throws Exception {
        Path image = measure.toAbsolutePath();
        if (t == Firmware.Target.CORTEX_M7) {
            err.println("running one inference under QEMU -icount shift=0 ...");
            err.flush();
            double ms = fw.runM7Counted(image);
            o.printf(Locale.ROOT, "cortex-m7 under QEMU -icount shift=0: %,.0f instructions per inference (not cycles)%n", ms * 1e6);
            return;
        }
        double cMs = fw.bestHostMs(image, runs);
        float[] input = Firmware.pgmPixels(image, file.graph().input().shape().width(), file.graph().input().shape().height());
        double javaMs = Double.MAX_VALUE;
        try (CompiledModel net = CompiledModel.open(file, Mode.EXACT, WeightLoading.SYNC, options)) {
            float[] d = new float[net.descriptorLength()];
            for (int i = 0; i < runs + WARM_UP; i++) {
                long t0 = System.nanoTime();
                net.embed(input, d);
                if (i >= WARM_UP) {
                    javaMs = Math.min(javaMs, (System.nanoTime() - t0) / 1e6);
                }
            }
        }
        o.printf(Locale.ROOT, "host C (cc -O2, portable kernels): %.1f ms per inference (process CPU, best of %d); Java exact"
                + " mode: %.1f ms (wall, sync weights, best of %d after %d warm-up); C / Java = %.2f%n", cMs, runs, javaMs, runs, WARM_UP, cMs / javaMs);
    }
}
