package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.events.Event;
import io.tinyreid.app.events.EventKind;
import io.tinyreid.app.events.EventQuery;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.testing.SharedData;
import picocli.CommandLine;

/** {@code tinyreid demo} from an empty demo household: within a minute the doorbell names the demo people. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoNamesItsPeopleAndSpotsTheStrangerWithinAMinute() throws Exception {
        SharedData.requireCached("face-api-1.7.15/demo/sample1.jpg");
        Path home = dir.resolve("demo");
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Instant start = Instant.now();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new CommandLine(new DemoCommand()).execute("--data-dir", home.toString(), "--web", "127.0.0.1:0",
                    "--no-browser", "--duration", "35");
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("[5/5] Web UI"), out);
        assertTrue(out.matches("(?s).*Open http://127\\.0\\.0\\.1:\\d+/ and log in with the password  [a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}.*"), out);
        for (String name : List.of("Ada", "Grace", "Hedy")) {
            assertTrue(out.contains(name + ": enrolled"), out);
        }
        try (Household h = Household.open(new DataDirectory(home))) {
            List<Event> events = h.events().query(EventQuery.latest(100));
            Set<String> named = events.stream().filter(e -> e.kind() == EventKind.KNOWN).map(Event::label)
                    .collect(Collectors.toSet());
            assertEquals(Set.of("Ada", "Grace", "Hedy"), named, "every demo person was named: " + events);
            assertTrue(events.stream().anyMatch(e -> e.kind() == EventKind.STRANGER), "the stranger was noticed: " + events);
            Instant firstName = events.stream().filter(e -> e.kind() == EventKind.KNOWN).map(Event::at)
                    .min(Instant::compareTo).orElseThrow();
            assertTrue(Duration.between(start, firstName).toSeconds() < 60,
                    "first name " + Duration.between(start, firstName).toSeconds() + " s after starting the demo");
        }
    }
}
