package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.nn.importer.FaceReidImporter;
import io.tinyreid.nn.importer.ModelImportException;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.plan.ArenaOverflowException;
import io.tinyreid.nn.plan.MemoryMapImage;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.MemoryPlanner;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.program.ProgramBuilder;
import io.tinyreid.nn.store.ModelFile;
import io.tinyreid.nn.store.ModelFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tinyreid model import|plan}: our model files and their memory plans. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Import a network into a TinyReID model file and show its memory plan.",
        subcommands = {ModelCommand.Import.class, ModelCommand.Plan.class})
public final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static int guarded(PrintWriter err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (ModelImportException | ModelFileException | ArenaOverflowException | IllegalArgumentException
                 | UnsupportedOperationException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            err.flush();
            return 1;
        }
    }

    /** {@code tinyreid model import facereid --from DIR --out FILE}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Convert a source network (facereid: GreenWaves' quantized_model/*.json) into a model file.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FORMAT", description = "source format: facereid")
        String format;

        @Option(names = "--from", required = true, paramLabel = "DIR", description = "directory of the source files")
        Path from;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "model file to write")
        Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter o = spec.commandLine().getOut();
            return guarded(err, () -> {
                if (!format.equalsIgnoreCase("facereid")) {
                    throw new IllegalArgumentException("unknown source format '" + format + "' (known: facereid)");
                }
                err.println("importing FaceReID layers from " + from + " ...");
                err.flush();
                Graph g = FaceReidImporter.load(from);
                ModelFile.write(g, out);
                ModelFile check = ModelFile.open(out);
                o.printf(Locale.ROOT, "wrote %s: %s, %d layers, %,d parameters (int16), %,d MACs, input %s %s, output %s %s, %,d bytes%n",
                        out, g.name(), g.layers().size(), g.parameters(), g.macs(), g.colour(), g.input().shape(),
                        g.output().shape(), g.output().q(), out.toFile().length());
                o.flush();
                return check.graph().equals(g) ? 0 : 1;
            });
        }
    }

    /** The kernel family named by {@code --mode}, or the one that runs a model planned for {@code kernels}. */
    static KernelFamily family(String mode, PlanOptions.Kernels kernels) {
        if (mode == null) {
            return kernels == PlanOptions.Kernels.DEVICE ? KernelFamily.DEVICE_EXACT : KernelFamily.INTEGER;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "exact" -> KernelFamily.DEVICE_EXACT;
            case "fast" -> KernelFamily.DEVICE_FAST;
            case "integer" -> KernelFamily.INTEGER;
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "' for a program (exact, fast or integer;"
                    + " float is not planned)");
        };
    }

    /** "int8", "int16" or "int8/int16" for the convolutions' weights. */
    static String weightBits(Graph g) {
        java.util.TreeSet<Integer> bits = new java.util.TreeSet<>();
        for (var l : g.layers()) {
            if (l instanceof io.tinyreid.nn.ir.Conv2d c && c.weight().quantised()) {
                bits.add(c.weight().channelQ(0).bits());
            }
        }
        return bits.stream().map(b -> "int" + b).collect(java.util.stream.Collectors.joining("/"));
    }

    /** {@code tinyreid model plan FILE [--budget 512KiB] [--mode exact|fast|integer] [--png FILE]}. */
    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Plan the network's arena, print the memory map and the lowered program (steps, kernels, arena"
                    + " offsets, row bands, weight tiles); fails when the budget is too small.")
    static final class Plan implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "model file")
        Path file;

        @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE",
                description = "arena budget (L2), e.g. 512KiB, 200KiB, 204800 (default: ${DEFAULT-VALUE})")
        String budget;

        @Option(names = "--tile", defaultValue = "16KiB", paramLabel = "SIZE",
                description = "largest weight tile streamed at once (default: ${DEFAULT-VALUE})")
        String tile;

        @Option(names = "--no-row-streaming", description = "keep every tensor whole (to compare)")
        boolean noStreaming;

        @Option(names = "--l3", defaultValue = "8MiB", paramLabel = "SIZE",
                description = "external RAM (HyperRAM) where the integer runtime keeps activations the budget cannot hold,"
                        + " staged through L2 windows of rows; 0: none (default: ${DEFAULT-VALUE})")
        String l3;

        @Option(names = "--mode", paramLabel = "MODE",
                description = "kernels the program is lowered for: exact, fast (int16 device kernels) or integer"
                        + " (default: exact when the device kernels run the model, else integer)")
        String mode;

        @Option(names = "--png", paramLabel = "FILE",
                description = "also draw the memory map as a PNG (and the activations kept in L3 beside it, FILE-l3.png)")
        Path png;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter o = spec.commandLine().getOut();
            return guarded(err, () -> {
                ModelFile m = ModelFile.open(file);
                PlanOptions.Kernels kernels = MemoryPlanner.kernelsFor(m.graph());
                KernelFamily family = family(mode, kernels);
                kernels = family.planKernels();
                long l3Bytes = l3.strip().equals("0") ? 0 : PlanOptions.parseSize(l3);
                PlanOptions opts = new PlanOptions(PlanOptions.parseSize(budget), (int) PlanOptions.parseSize(tile), !noStreaming,
                        kernels, l3Bytes);
                MemoryPlan p = MemoryPlanner.planUnchecked(m.graph(), opts);
                o.printf(Locale.ROOT, "%s: %s, runtime: %s%n", file, m.graph().name(), kernels == PlanOptions.Kernels.DEVICE
                        ? "int16 device kernels (modes exact, fast)"
                        : "integer kernels (mode integer: the quantiser's int16/int8 arithmetic, "
                                + m.graph().output().q().bits() + "-bit output, " + weightBits(m.graph()) + " weights)");
                o.print(p.describe());
                if (png != null) {
                    MemoryMapImage.write(p, png);
                    o.println("memory map drawn to " + png);
                    if (p.spill().any()) {
                        Path l3Png = MemoryMapImage.l3Sibling(png);
                        MemoryMapImage.writeL3(p, l3Png);
                        o.println("activations kept in L3 drawn to " + l3Png);
                    }
                }
                o.printf(Locale.ROOT, "%npeak %,d bytes (%.1f KiB) including weight buffers; budget %,d bytes: %s%n", p.peak(),
                        p.peak() / 1024.0, opts.budgetBytes(), p.peak() <= opts.budgetBytes()
                                ? String.format(Locale.ROOT, "fits, %,d bytes free", opts.budgetBytes() - p.peak()) : "does not fit");
                if (p.spill().any()) {
                    o.printf(Locale.ROOT, "%d activations kept in L3: %,d bytes of L3; L2<->L3 traffic %,d bytes per inference%n",
                            p.spill().l3().size(), p.spill().l3Bytes(), p.spill().trafficBytes());
                }
                o.flush();
                MemoryPlanner.plan(m.graph(), opts); // throws the overflow message when it does not fit
                o.println();
                o.print(ProgramBuilder.build(p, m, family).describe());
                o.flush();
                return 0;
            });
        }
    }
}
