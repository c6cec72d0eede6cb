package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tinyreid.app.face.DistanceMetric;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.Threshold;
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

    static String when(Instant t) {
        return WHEN.format(t);
    }

    static String distance(double d, DistanceMetric m) {
        if (Double.isInfinite(d)) {
            return "-";
        }
        return m == DistanceMetric.SQUARED_L2 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3f", d);
    }

    static String describe(Threshold t) {
        return "model " + t.modelId() + ", accept " + t.metric().id() + " < " + distance(t.accept(), t.metric())
                + (t.provisional() ? " (provisional: " + t.source() + ")" : " (" + t.source() + ")");
    }
}
