package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.util.List;

import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.Stranger;
import io.tinyreid.app.store.Household;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyreid strangers ...}: faces seen at the door that nobody has named yet. */
@Command(name = "strangers", mixinStandardHelpOptions = true,
        description = "List, name or dismiss the strangers seen at the door.")
public final class StrangersCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "List strangers, most recently seen first.")
    int list(@Mixin DataDirOption data) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                PrintWriter out = out();
                List<Stranger> strangers = h.gallery().strangers();
                if (strangers.isEmpty()) {
                    out.println("No strangers seen.");
                } else {
                    TextTable t = new TextTable("ID", "FIRST SEEN", "LAST SEEN", "SIGHTINGS", "PHOTO");
                    for (Stranger s : strangers) {
                        t.row(s.id(), CliSupport.when(s.firstSeen()), CliSupport.when(s.lastSeen()), s.sightings(),
                                "#" + s.photoId());
                    }
                    t.print(out);
                    out.println(strangers.size() + " stranger(s). Name one: tinyreid strangers name ID NAME");
                }
                out.flush();
                return 0;
            }
        });
    }

    @Command(name = "name", description = "Name a stranger: they become (or join) the person NAME.")
    int name(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "ID") long id,
             @Parameters(index = "1", paramLabel = "NAME") String name) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                Person p = h.gallery().nameStranger(id, name);
                out().printf("Stranger #%d is now %s (person #%d, %d photo(s)).%n", id, p.name(), p.id(), p.photoCount());
                out().flush();
                return 0;
            }
        });
    }

    @Command(name = "dismiss", description = "Forget a stranger and their photos.")
    int dismiss(@Mixin DataDirOption data, @Parameters(index = "0", paramLabel = "ID") long id) {
        return CliSupport.guarded(err(), () -> {
            try (Household h = data.open()) {
                h.gallery().dismissStranger(id);
                out().printf("Dismissed stranger #%d.%n", id);
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
