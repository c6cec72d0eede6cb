package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.engine.Engines;
import io.tinyreid.app.engine.GalleryCapacity;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.face.FaceEngineSource;
import io.tinyreid.app.face.FaceEngines;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.ReembedReport;
import io.tinyreid.app.photo.PhotoLimits;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.store.HouseholdArchive;
import io.tinyreid.app.store.StoreException;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.plan.PlanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyreid people ...}: the household's known people. */
@Command(name = "people", mixinStandardHelpOptions = true,
        description = "Manage the household's known people (enrol from photos, list, rename, remove, export, import).")
public final class PeopleCommand implements Runnable {
    @Spec CommandSpec spec;
    private final FaceEngineSource engines;
    private final GalleryCapacity.Plans plans;

    public PeopleCommand() {
        this(new FaceEngines(), (model, display, descriptors, budget) -> new Engines(ModelCache.standard())
                .plan(model, display, descriptors, budget));
    }

    /** With another source of detector + network (tests): models run unplanned, so no budget applies. */
    public PeopleCommand(FaceEngineSource engines) {
        this(engines, (model, display, descriptors, budget) -> Optional.empty());
    }

    /** With another source of detector + network and of doorbell memory plans (tests). */
    public PeopleCommand(FaceEngineSource engines, GalleryCapacity.Plans plans) {
        this.engines = engines;
        this.plans = plans;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", description = "Enrol NAME from photos (files or folders); adds to NAME if they exist.")
    int add(@Mixin DataDirOption data,
            @Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "PHOTO") List<Path> photos,
            @Option(names = "--budget", defaultValue = "512KiB", paramLabel = "SIZE",
                    description = "the doorbell's memory budget, as given to 'tinyreid run' (default ${DEFAULT-VALUE})")
            String budget,
            @Option(names = "--display", defaultValue = "gray", paramLabel = "FORMAT",
                    description = "the doorbell's display frame, as given to 'tinyreid run' (default ${DEFAULT-VALUE})")
            String display) {
        PrintWriter out = out();
        PrintWriter err = err();
        return CliSupport.guarded(err, () -> {
            String clean = Gallery.checkName(name);
            GalleryCapacity capacity;
            try {
                capacity = new GalleryCapacity(plans, DoorbellBudget.Display.parse(display), PlanOptions.parseSize(budget));
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 2;
            }
            PhotoFiles files = PhotoFiles.read(photos, PhotoLimits.DEFAULT);
            try (Household h = data.open()) {
                Gallery g = h.gallery();
                // Checked before anything is committed: a household that outgrows the doorbell would not start.
                Optional<String> refusal = capacity.refusal(g, clean, files.inputs.size());
                if (refusal.isPresent()) {
                    err.println("error: " + refusal.get());
                    err.flush();
                    return 1;
                }
                EnrolReport r;
                if (files.inputs.isEmpty()) {
                    r = new EnrolReport(null, List.of());
                } else {
                    FaceEngine engine = engines.open(g.model());
                    CliSupport.embedMissing(g, engine, err);
                    r = g.enrol(engine, name, files.inputs, new ConsoleProgress(err, "enrolling"));
                }
                int offered = files.inputs.size() + files.refused.size();
                for (PhotoFiles.Refused f : files.refused) {
                    out.println("  skipped " + f.label() + ": " + f.reason());
                }
                for (EnrolReport.Outcome o : r.outcomes()) {
                    if (!o.accepted()) {
                        out.println("  skipped " + o.message());
                    } else if (o.warned()) {
                        out.println("  warning " + o.message());
                    }
                }
                if (files.refused.isEmpty() && r.allAlreadyEnrolled()) {
                    // Running the same command twice is not an error: the household already holds it all.
                    out.printf("Nothing new: all %d photo(s) are already enrolled for %s (person #%d, %d photo(s) in all).%n",
                            offered, r.person().name(), r.person().id(), r.person().photoCount());
                    out.flush();
                    return 0;
                }
                if (r.person() == null || r.acceptedCount() == 0) {
                    out.println("Nothing enrolled: none of the " + offered + " photo(s) could be used.");
                    out.flush();
                    return 1;
                }
                out.printf("Enrolled %d of %d photo(s) for %s (person #%d, %d photo(s) in all).%n", r.acceptedCount(),
                        offered, r.person().name(), r.person().id(), r.person().photoCount());
                out.flush();
                return 0;
            }
        });
    }

    @Command(name = "list", description = "List the household's people.")
    int list(@Mixin DataDirOption data) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                PrintWriter out = out();
                List<Person> people = h.gallery().people();
                if (people.isEmpty()) {
                    out.println("Nobody is enrolled yet. Add someone: tinyreid people add NAME PHOTO...");
                } else {
                    TextTable t = new TextTable("ID", "NAME", "PHOTOS", "ADDED");
                    for (Person p : people) {
                        t.row(p.id(), p.name(), p.photoCount(), CliSupport.when(p.createdAt()));
                    }
                    t.print(out);
                }
                out.println(people.size() + " people; " + CliSupport.describe(h.gallery()));
                out.flush();
                return 0;
            }
        });
    }

    @Command(name = "rename", description = "Rename a person (given by id or current name).")
    int rename(@Mixin DataDirOption data,
               @Parameters(index = "0", paramLabel = "PERSON") String who,
               @Parameters(index = "1", paramLabel = "NEW_NAME") String newName) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                Person p = CliSupport.person(h.gallery(), who);
                Person renamed = h.gallery().rename(p.id(), newName);
                out().printf("Renamed person #%d: %s -> %s%n", p.id(), p.name(), renamed.name());
                out().flush();
                return 0;
            }
        });
    }

    @Command(name = "remove", description = "Remove a person with their photos (history stays).")
    int remove(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "PERSON") String who) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                Person p = CliSupport.person(h.gallery(), who);
                h.gallery().removePerson(p.id());
                out().printf("Removed %s (person #%d) and %d photo(s).%n", p.name(), p.id(), p.photoCount());
                out().flush();
                return 0;
            }
        });
    }

    @Command(name = "export", description = "Write the household (people, strangers, photos) to one zip archive.")
    int export(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "FILE") Path file) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                HouseholdArchive.ExportReport r = new HouseholdArchive(h).export(file, new ConsoleProgress(err(), "exporting"));
                out().printf("Exported %d people, %d stranger(s), %d photo(s) to %s (%,d bytes).%n", r.people(),
                        r.strangers(), r.photos(), r.file(), r.bytes());
                out().flush();
                return 0;
            }
        });
    }

    @Command(name = "import", description = "Merge an exported archive into the household (people merged by name).")
    int importArchive(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "FILE") Path file) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                HouseholdArchive.ImportReport r = new HouseholdArchive(h).importFrom(file,
                        new ConsoleProgress(err(), "importing"));
                out().printf("Imported %d photo(s): %d new people, %d existing people extended, %d stranger(s); "
                                + "%d photo(s) were already here.%n", r.photosImported(), r.peopleCreated(),
                        r.peopleMerged(), r.strangersImported(), r.photosAlreadyPresent());
                out().flush();
                // The archive brings descriptors of the model it was exported with; identification uses the
                // household's model, so every photo without one is embedded now.
                Gallery g = h.gallery();
                ReembedReport e;
                try {
                    e = g.reembed(engines.open(g.model()), new ConsoleProgress(err(), "embedding for " + g.model().id()));
                } catch (IllegalStateException | StoreException notEmbedded) {
                    err().println("error: imported, but the photos could not be embedded for the household's model "
                            + g.model().id() + ": " + notEmbedded.getMessage() + "; then run 'tinyreid people model "
                            + g.model().id() + "' to embed them");
                    err().flush();
                    return 1;
                }
                for (String f : e.failures()) {
                    out().println("  could not embed " + f);
                }
                out().printf("Embedded %d photo(s) for the household's model %s, so they identify (%d already had its "
                        + "descriptor%s).%n", e.embedded(), e.modelId(), e.alreadyPresent(),
                        e.failures().isEmpty() ? "" : ", " + e.failures().size() + " failed");
                out().flush();
                return e.failures().isEmpty() ? 0 : 1;
            }
        });
    }

    @Command(name = "model", description = "Show the model in use, or switch to MODEL: every stored photo is "
            + "embedded with it (with progress), then it identifies.")
    int model(@Mixin DataDirOption data,
              @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "facereid | dlib-resnet") String id) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                Gallery g = h.gallery();
                if (id == null) {
                    out().println(CliSupport.describe(g));
                    out().flush();
                    return 0;
                }
                var engine = engines.open(io.tinyreid.app.face.FaceModels.byId(id));
                var r = g.switchModel(engine, new ConsoleProgress(err(), "embedding"));
                for (String f : r.failures()) {
                    out().println("  could not embed " + f);
                }
                out().printf("Now identifying with %s: %d photo(s) embedded, %d already were%s.%n", r.modelId(),
                        r.embedded(), r.alreadyPresent(), r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed");
                out().println(CliSupport.describe(g));
                out().flush();
                return 0;
            }
        });
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
