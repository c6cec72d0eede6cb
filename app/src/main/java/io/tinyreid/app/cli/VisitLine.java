package io.tinyreid.app.cli;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.tinyreid.app.display.Scores;
import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.face.DistanceMetric;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.face.FaceModels;

/**
 * One console line per visit: {@code 13:16:02 Lin-Manuel at the door (87% similar, distance 0.412)},
 * {@code 13:16:05 stranger #2 (new)}. Visits of another day than {@code today} carry their date.
 */
final class VisitLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private VisitLine() {}

    /** The line for {@code e}, its distance printed in the style of the event's model's metric. */
    static String of(Event e, ZoneId zone, LocalDate today) {
        ZonedDateTime at = e.at().atZone(zone);
        String when = (at.toLocalDate().equals(today) ? TIME : DATE_TIME).format(at);
        String distance = distance(e.distance(), metricOf(e.modelId()));
        if (e.kind() == EventKind.KNOWN) {
            return when + " " + e.label() + " at the door (" + distance + ")";
        }
        // A stranger named since shows under the name they were given.
        String who = e.personId() != null ? e.label() + ", then stranger #" + e.strangerId() : "stranger #" + e.strangerId();
        // The gallery records a new stranger without a distance: nobody was near enough to join.
        return when + " " + who + (Double.isFinite(e.distance()) ? " (seen before, " + distance + ")" : " (new)");
    }

    /** A unit-descriptor distance as similarity and distance; an older event's raw distance as it was printed. */
    private static String distance(double d, DistanceMetric m) {
        if (!Double.isFinite(d)) {
            return "distance -";
        }
        if (d >= 0 && d <= 2) {
            return Scores.similarity(d) + " similar, distance " + Scores.distance(d);
        }
        return "distance " + (m == DistanceMetric.SQUARED_L2 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3f", d));
    }

    private static DistanceMetric metricOf(String modelId) {
        return FaceModels.all().stream().filter(m -> m.id().equals(modelId)).map(FaceModel::metric).findFirst()
                .orElse(DistanceMetric.L2);
    }
}
