package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

/** {@code tinyreid demo} from an empty demo household: the doorbell names the demo people and spots the stranger. */
class DemoCommandTest {
    /** Generous: on an idle machine the names come within a minute (README); under CI load they may take longer. */
    static final Duration DEADLINE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void demoNamesItsPeopleAndSpotsTheStranger() throws Exception {
        SharedData.requireCached("face-api-1.7.15/demo/sample1.jpg");
        Path home = dir.resolve("demo");
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int[] code = {-1};
        Thread demo;
        List<Event> events = List.of();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            // Runs until the household shows what the test waits for (a condition, not a fixed --duration
            // that a loaded machine may not reach the last visitor in); the interrupt then ends the command.
            demo = Thread.ofPlatform().name("demo").start(() -> code[0] = new CommandLine(new DemoCommand())
                    .execute("--data-dir", home.toString(), "--web", "127.0.0.1:0", "--no-browser", "--duration", "3600"));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!captured.toString(StandardCharsets.UTF_8).contains("[5/5] Web UI")) {
                assertTrue(demo.isAlive(), "the demo ended before serving: " + captured.toString(StandardCharsets.UTF_8));
                assertTrue(System.nanoTime() < deadline, "no web UI within " + DEADLINE);
                Thread.sleep(200);
            }
            try (Household h = Household.open(new DataDirectory(home))) {
                while (!(named(events).equals(Set.of("Ada", "Grace", "Hedy"))
                        && events.stream().anyMatch(e -> e.kind() == EventKind.STRANGER))) {
                    assertTrue(demo.isAlive(), "the demo ended: " + captured.toString(StandardCharsets.UTF_8));
                    assertTrue(System.nanoTime() < deadline, "not every demo person named and the stranger noticed within "
                            + DEADLINE + ": " + events);
                    Thread.sleep(500);
                    events = h.events().query(EventQuery.latest(100));
                }
            } finally {
                demo.interrupt();
                demo.join(Duration.ofMinutes(1));
            }
        } finally {
            System.setOut(saved);
        }
        assertFalse(demo.isAlive(), "the demo did not stop when interrupted");
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*Open http://127\\.0\\.0\\.1:\\d+/ and log in with the password  [a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}.*"), out);
        for (String name : List.of("Ada", "Grace", "Hedy")) {
            assertTrue(out.contains(name + ": enrolled"), out);
        }
    }

    private static Set<String> named(List<Event> events) {
        return events.stream().filter(e -> e.kind() == EventKind.KNOWN).map(Event::label).collect(Collectors.toSet());
    }
}
