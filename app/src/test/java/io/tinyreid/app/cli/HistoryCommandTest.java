package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.NewEvent;
import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.FacePhoto;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;
import io.tinyreid.app.testing.KnownFaces;
import picocli.CommandLine;

/** {@code tinyreid history}: the visits of a household written by hand at known times, read back as a user would. */
class HistoryCommandTest {
    static final int ALEX = 0xAA0000;
    // Noon UTC on a fixed day: every visit below is "today" except the one of the day before.
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    Run history(String... args) {
        HistoryCommand cmd = new HistoryCommand();
        cmd.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data-dir=" + tmp.resolve("home"))).toArray(String[]::new);
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    @Test
    void visitsReadBackOneLineEachFilteredByPersonAndAge() throws Exception {
        try (Household h = Household.open(new DataDirectory(tmp.resolve("home")), FaceModel.FACEREID, Clock.systemUTC())) {
            ColourCodedEngine faces = new ColourCodedEngine(FaceModel.FACEREID).register(ALEX, KnownFaces.person(0));
            long alex = h.gallery().enrol(faces.engine(), "Alex",
                    List.of(new PhotoInput("a.png", ColourCodedEngine.photo(ALEX, 100, 100))), Progress.NONE).person().id();
            FacePhoto crop = new FacePhoto(ColourCodedEngine.photo(ALEX, 64, 64), new FaceBox(16, 16, 32, 32, 1));
            long stranger = h.gallery().recordStranger(KnownFaces.person(2), crop).stranger().id();
            h.events().append(new NewEvent(NOW.minus(Duration.ofDays(1)), EventKind.KNOWN, alex, null, "Alex", 1.5e8,
                    "facereid", null));
            h.events().append(new NewEvent(NOW.minus(Duration.ofHours(3)), EventKind.STRANGER, null, stranger,
                    "stranger #" + stranger, Double.POSITIVE_INFINITY, "facereid", null));
            h.events().append(new NewEvent(NOW.minus(Duration.ofMinutes(40)), EventKind.STRANGER, null, stranger,
                    "stranger #" + stranger, 12_345_678, "facereid", null));
            h.events().append(new NewEvent(NOW.minus(Duration.ofMinutes(5)), EventKind.KNOWN, alex, null, "Alex",
                    98_765_432.4, "facereid", null));
        }
        Run all = history();
        assertEquals(0, all.code(), all.err());
        assertEquals("""
                2026-12-03 12:00:00 Alex at the door (distance 150.0M)
                09:00:00 stranger #1 (new)
                11:20:00 stranger #1 (seen before, distance 12.3M)
                11:55:00 Alex at the door (distance 98.8M)
                4 visit(s).
                """, all.out());

        Run hour = history("--since", "1h");
        assertEquals("""
                11:20:00 stranger #1 (seen before, distance 12.3M)
                11:55:00 Alex at the door (distance 98.8M)
                2 visit(s).
                """, hour.out());

        Run alex = history("--person", "Alex", "--since", "2d");
        assertEquals("""
                2026-12-03 12:00:00 Alex at the door (distance 150.0M)
                11:55:00 Alex at the door (distance 98.8M)
                2 visit(s).
                """, alex.out());

        Run latest = history("--limit", "1");
        assertEquals("11:55:00 Alex at the door (distance 98.8M)\n1 visit(s) (the latest 1; --limit shows more).\n",
                latest.out());

        Run json = history("--json", "--since", "4h");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().startsWith("[{\"id\":2,\"time\":\"2026-12-04T09:00:00Z\",\"kind\":\"stranger\""), json.out());
        assertTrue(json.out().contains("{\"id\":4,\"time\":\"2026-12-04T11:55:00Z\",\"kind\":\"known\",\"person\":\"Alex\""),
                json.out());
        assertEquals(3, json.out().split("\"id\":").length - 1, json.out());

        assertEquals("No visits in the last 1m.\n", history("--since", "1m").out());
    }

    @Test
    void badFiltersGetOneClearLine() {
        Run age = history("--since", "yesterday");
        assertEquals(1, age.code());
        assertEquals("error: --since expects an age such as 90s, 30m, 1h, 2d or 1w, not 'yesterday'\n", age.err());
        Run nobody = history("--person", "Zed");
        assertEquals(1, nobody.code());
        assertTrue(nobody.err().startsWith("error: nobody is called 'Zed'"), nobody.err());
        Run limit = history("--limit", "0");
        assertEquals(1, limit.code());
        assertTrue(limit.err().startsWith("error: --limit must be 1..500"), limit.err());
    }

    @Test
    void agesAreParsedInTheirUnits() {
        assertEquals(Duration.ofSeconds(90), HistoryCommand.age("90s"));
        assertEquals(Duration.ofMinutes(30), HistoryCommand.age("30m"));
        assertEquals(Duration.ofHours(1), HistoryCommand.age("1H"));
        assertEquals(Duration.ofDays(14), HistoryCommand.age("2w"));
    }
}
