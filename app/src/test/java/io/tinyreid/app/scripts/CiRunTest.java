package io.tinyreid.app.scripts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code .ci/run}, copied into a scratch tree whose {@code scripts/test} starts a
 * "service" the way the setup steps do (a daemon and its pid file) and then fails: the service must
 * be stopped anyway, and the failure kept as the exit status.
 */
class CiRunTest {
    @TempDir
    Path tmp;

    @Test
    void servicesStartedForTheTestsAreStoppedWhenTheTestsFail() throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve(".ci"));
        Files.createDirectories(repo.resolve("scripts"));
        Files.copy(Path.of("..", ".ci", "run"), repo.resolve(".ci/run"));
        Path service = tmp.resolve("service.pid");
        Files.writeString(repo.resolve("scripts/test"), """
                #!/usr/bin/env bash
                setsid sleep 300 </dev/null >/dev/null 2>&1 &
                echo $! > "$TINYREID_SERVICES_DIR/fake-broker.pid"
                echo $! > "%s"
                echo "tests failed"
                exit 3
                """.formatted(service));
        Files.setPosixFilePermissions(repo.resolve("scripts/test"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared.resolve("data"));
        Files.createDirectories(shared.resolve("models"));
        Files.writeString(shared.resolve("DESIGN.md"), "stand-in");

        Process p = new ProcessBuilder("bash", repo.resolve(".ci/run").toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), ".ci/run finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long pid = Long.parseLong(Files.readString(service).strip());
        Optional<ProcessHandle> left = ProcessHandle.of(pid);
        try {
            assertEquals(3, p.exitValue(), "the tests' failure is the exit status: " + out);
            assertTrue(out.contains("tests failed"), out);
            assertTrue(out.contains("== stopped fake-broker (pid " + pid + ")"), out);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (left.isPresent() && left.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(left.isPresent() && left.get().isAlive(), "the service was left running");
        } finally {
            left.ifPresent(ProcessHandle::destroy);
        }
    }
}
