package io.tinyreid.app.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.notify.EventJson;
import io.tinyreid.app.store.Household;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tinyreid history}: who came to the door, oldest first, one line per visit (or JSON). */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show the visits recorded at the door, one line each (or JSON).")
public final class HistoryCommand implements java.util.concurrent.Callable<Integer> {
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

    @Spec CommandSpec spec;
    @Mixin DataDirOption data;

    @Option(names = "--person", paramLabel = "NAME", description = "only this person's visits (name or id)")
    String person;

    @Option(names = "--since", paramLabel = "AGE", description = "only visits this recent: 90s, 30m, 1h, 2d, 1w")
    String since;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
            description = "at most N visits, the latest (1.." + EventQuery.MAX_LIMIT + ", default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "print a JSON array of events (the MQTT/webhook event fields)")
    boolean json;

    Clock clock = Clock.systemDefaultZone();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return CliSupport.guarded(spec.commandLine().getErr(), () -> {
            if (limit < 1 || limit > EventQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("--limit must be 1.." + EventQuery.MAX_LIMIT + ", not " + limit);
            }
            Instant from = since == null ? null : clock.instant().minus(age(since));
            try (Household h = data.open()) {
                Long personId = person == null ? null : CliSupport.person(h.gallery(), person).id();
                List<Event> events = h.events().query(new EventQuery(personId, null, from, null, null, limit)).reversed();
                if (json) {
                    out.println(events.stream().map(e -> EventJson.of(e, null))
                            .collect(Collectors.joining(",\n ", "[", "]")));
                } else if (events.isEmpty()) {
                    out.println("No visits" + (person != null ? " of " + person : "") + (since != null ? " in the last " + since : "")
                            + ".");
                } else {
                    ZoneId zone = clock.getZone();
                    LocalDate today = LocalDate.now(clock);
                    events.forEach(e -> out.println(VisitLine.of(e, zone, today)));
                    out.println(events.size() + " visit(s)" + (events.size() == limit ? " (the latest " + limit
                            + "; --limit shows more)" : "") + ".");
                }
                out.flush();
                return 0;
            }
        });
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}, {@code 1w}. */
    static Duration age(String text) {
        Matcher m = AGO.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--since expects an age such as 90s, 30m, 1h, 2d or 1w, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
