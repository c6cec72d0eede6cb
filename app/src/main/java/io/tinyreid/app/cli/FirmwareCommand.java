package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.engine.FaceReidFrames;
import io.tinyreid.app.engine.FrameLoopFootprint;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceReidEmbedder;
import io.tinyreid.app.face.HaarFaceFinder;
import io.tinyreid.app.firmware.Firmware;
import io.tinyreid.app.firmware.FirmwareCheck;
import io.tinyreid.app.firmware.FirmwareProject;
import io.tinyreid.app.firmware.PeopleFile;
import io.tinyreid.app.gallery.DecisionData;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.nn.codegen.CodeGenerator;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.runtime.Mode;
import io.tinyreid.nn.store.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyreid firmware --model FILE --people-file FILE --out DIR [--budget SIZE] [--target T]} and {@code firmware check}. */
@Command(name = "firmware", mixinStandardHelpOptions = true, subcommands = FirmwareCommand.Check.class,
        description = {"Write the doorbell firmware as C99: FaceReID network, Haar detector (cascade in flash), crop, gallery and",
                "decision, every buffer in one static L2 layout from the plan `tinyreid budget` prints; build it.",
                "The household is enrolled from the people file (NAME PHOTO... per line) into DIR/household."})
public final class FirmwareCommand implements Callable<Integer> {
    /** The household the firmware's gallery is exported from, inside the output directory. */
    static final String HOUSEHOLD = "household";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "FaceReID model file ('tinyreid model import'; the cache's compiled/facereid.tinyreid)")
    Path model;

    @Option(names = "--people-file", paramLabel = "FILE", description = "the household: NAME PHOTO [PHOTO...] per line")
    Path peopleFile;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE", description = "the L2 region (default: ${DEFAULT-VALUE})")
    String budget;

    @Option(names = "--target", defaultValue = "host", paramLabel = "TARGET",
            description = "build: host, cortex-m7 or none (default: ${DEFAULT-VALUE})")
    String target;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return ModelCommand.guarded(err, () -> {
            if (model == null || peopleFile == null || out == null) {
                throw new IllegalArgumentException("--model, --people-file and --out are required (or: firmware check DIR --frames LIST)");
            }
            Firmware.Target t = Firmware.Target.parse(target);
            long bytes = PlanOptions.parseSize(budget);
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("no such model file: " + model);
            }
            PeopleFile people = PeopleFile.read(peopleFile);
            Path home = out.resolve(HOUSEHOLD);
            if (Files.exists(home)) {
                throw new IllegalArgumentException(home + " exists: the firmware enrols its household afresh; choose another --out");
            }
            ModelFile file = ModelFile.open(model);
            DecisionData gallery;
            try (Household h = Household.open(new DataDirectory(home), FaceModel.FACEREID, java.time.Clock.systemUTC());
                 FaceReidEmbedder embedder = FaceReidEmbedder.open(model, Mode.EXACT)) {
                err.println("enrolling " + people.people().size() + " people ...");
                err.flush();
                people.enrol(h.gallery(), new FaceEngine(HaarFaceFinder.load(), embedder));
                gallery = h.gallery().decisionData();
            }
            FirmwareProject.Written w;
            try (FrameLoopFootprint loop = FrameLoopFootprint.open(FaceReidFrames.open(model, Mode.EXACT), DoorbellBudget.Display.GRAY,
                    gallery.count(), gallery.count() + " templates")) {
                w = FirmwareProject.write(file, loop, gallery, bytes, out);
            }
            o.printf(Locale.ROOT, "firmware for %s in %s: %d templates, accept distance %.4f; L2 layout peak %,d of %,d bytes%n",
                    file.graph().name(), out, gallery.count(), gallery.accept(), w.layout().peak(), bytes);
            for (FirmwareProject.Placement p : w.placements()) {
                o.printf(Locale.ROOT, "  %-16s %7d..%-7d %-34s uses %,d of %,d bytes%n", p.symbol(), p.offset(),
                        p.offset() + p.region().bytes(), p.region().name(), p.needed(), p.region().bytes());
            }
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
                o.printf(Locale.ROOT, "cortex-m7 (arm-none-eabi-size): .text %,d  .rodata %,d  .data %,d  .bss %,d (L2 layout %,d"
                                + " + %,d of statics)  stack %,d; L2 region %,d bytes, %,d free%n", s.text(), s.rodata(), s.data(),
                        s.bss(), w.layout().peak(), s.bss() - w.layout().peak(), CodeGenerator.STACK_BYTES, bytes,
                        bytes - s.data() - s.bss() - CodeGenerator.STACK_BYTES);
            } else {
                o.println("host: built " + out.resolve(t.binary()));
            }
            return 0;
        });
    }

    /** {@code tinyreid firmware check DIR --frames LIST [--target host|cortex-m7|both]}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Run the Java frame loop and the firmware in DIR on the same frames and household; print where they first differ."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "a directory 'tinyreid firmware' wrote")
        Path dir;

        @Option(names = "--frames", required = true, paramLabel = "LIST", description = "file listing gray PGM frames (<= 320x240), one a line")
        Path frames;

        @Option(names = "--target", defaultValue = "both", paramLabel = "TARGET", description = "host, cortex-m7 or both (default: ${DEFAULT-VALUE})")
        String target;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return ModelCommand.guarded(err, () -> {
                Path home = dir.resolve(HOUSEHOLD);
                if (!Files.isDirectory(home) || !Files.isRegularFile(dir.resolve("weights.bin"))) {
                    throw new IllegalArgumentException(dir + " is not a directory 'tinyreid firmware' wrote");
                }
                List<Firmware.Target> targets = switch (target.trim().toLowerCase(Locale.ROOT)) {
                    case "both" -> List.of(Firmware.Target.HOST, Firmware.Target.CORTEX_M7);
                    default -> List.of(Firmware.Target.parse(target));
                };
                List<Path> list = FirmwareCheck.readList(frames);
                FirmwareCheck check;
                try (Household h = Household.open(new DataDirectory(home), FaceModel.FACEREID, java.time.Clock.systemUTC())) {
                    check = new FirmwareCheck(dir, list, h.gallery());
                }
                boolean all = true;
                for (Firmware.Target t : targets) {
                    Firmware fw = new Firmware(dir, t);
                    err.println("building and running " + t.makeTarget() + " on " + list.size() + " frames ...");
                    err.flush();
                    fw.build();
                    FirmwareCheck.Outcome r = check.compare(fw, t.makeTarget(), t == Firmware.Target.CORTEX_M7, 60);
                    o.printf(Locale.ROOT, "%-9s %s%n", t.makeTarget(), r.agrees() ? "same as Java on all " + r.frames() + " frames"
                            : "first difference at " + r.firstDifference());
                    o.printf(Locale.ROOT, "%-9s %s%s%n", "", r.timings(), t == Firmware.Target.CORTEX_M7
                            ? " (QEMU -icount shift=0: 1 ms = 1e6 instructions)" : " (host processor time)");
                    o.flush();
                    all &= r.agrees();
                }
                return all ? 0 : 1;
            });
        }
    }
}
