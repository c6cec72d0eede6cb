package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.app.display.Scores;
import io.tinyreid.app.face.FaceEngine;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.ReembedReport;
import io.tinyreid.app.store.StoreException;

/** Shared pieces of the people/strangers/identify commands: error reporting and formatting. */
final class CliSupport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private CliSupport() {}

    /** Runs {@code body}; expected failures become one "error: ..." line and exit code 1, never a stack trace. */
    static int guarded(PrintWriter err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (StoreException | IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            err.flush();
            return 1;
        }
    }

    /** A person given as an id or a name. */
    static Person person(Gallery g, String idOrName) {
        if (idOrName.matches("\\d{1,18}")) {
            return g.person(Long.parseLong(idOrName)).orElseThrow(() ->
                    new StoreException(StoreException.Reason.INVALID, "nobody has id " + idOrName
                            + " (see 'tinyreid people list')"));
        }
        return g.personNamed(idOrName).orElseThrow(() ->
                new StoreException(StoreException.Reason.INVALID, "nobody is called '" + idOrName
                        + "' (see 'tinyreid people list')"));
    }

    /**
     * Embeds the stored photos that lack a descriptor of the household model's current view (a household
     * enrolled by an older version, or restored from its archive), with progress on {@code err}, so that
     * people are compared with descriptors of the same view as the door's. Nothing when none lacks one.
     */
    static void embedMissing(Gallery g, FaceEngine engine, PrintWriter err) {
        int missing = g.photosWithoutDescriptor();
        if (missing == 0) {
            return;
        }
        err.printf("%d stored photo(s) have no %s descriptor of this version (view %s); embedding them once.%n", missing,
                g.model().id(), g.model().view().isEmpty() ? "plain" : g.model().view());
        err.flush();
        ReembedReport r = g.reembed(engine, new ConsoleProgress(err, "embedding for " + g.model().id()));
        for (String f : r.failures()) {
            err.println("  could not embed " + f);
        }
        err.flush();
    }

    static String when(Instant t) {
        return WHEN.format(t);
    }

    /** "model facereid; strangers named: at most 1 in 100 (balanced): named at similarity above 71% (distance < 0.761)". */
    static String describe(Gallery g) {
        double accept = g.acceptDistance();
        return "model " + g.model().id() + "; " + g.strangerRate().describe() + ": named at similarity above "
                + Scores.similarity(accept) + " (distance < " + Scores.distance(accept) + ", for "
                + g.descriptorCount() + " descriptors enrolled)";
    }
}
