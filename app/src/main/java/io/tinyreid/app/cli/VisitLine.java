package io.tinyreid.app.cli;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.tinyreid.app.display.Scores;
import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;

/**
 * One console line per visit: {@code 13:16:02 Lin-Manuel at the door (87% similar, distance 0.412)},
 * {@code 13:16:05 stranger #2 (new)}. Visits of another day than {@code today} carry their date.
 */
final class VisitLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private VisitLine() {}

    /** The line for {@code e}, its distance as {@link Scores#detail} prints it. */
    static String of(Event e, ZoneId zone, LocalDate today) {
        ZonedDateTime at = e.at().atZone(zone);
        String when = (at.toLocalDate().equals(today) ? TIME : DATE_TIME).format(at);
        String distance = Scores.detail(e.distance());
        if (e.kind() == EventKind.KNOWN) {
            return when + " " + e.label() + " at the door (" + distance + ")";
        }
        // A stranger named since shows under the name they were given.
        String who = e.personId() != null ? e.label() + ", then stranger #" + e.strangerId() : "stranger #" + e.strangerId();
        // The gallery records a new stranger without a distance: nobody was near enough to join.
        return when + " " + who + (Double.isFinite(e.distance()) ? " (seen before, " + distance + ")" : " (new)");
    }
}
