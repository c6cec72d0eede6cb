package io.tinyreid.nn.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the C toolchains the generated-C tests need. A missing tool skips the test with a message on a
 * developer machine and fails it in CI ({@code tinyreid.requireShared=true}), where
 * {@code scripts/setup.d/50-cortex-m7.sh} installs them.
 */
final class CToolchain {
    private CToolchain() {}

    /** What a command printed and how it ended. */
    record Result(int exit, String out, String err) {}

    /** Skips (or fails in CI) unless every tool is on the PATH. */
    static void require(String... tools) {
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                String msg = tool + " is not installed (as root: scripts/setup.d/50-cortex-m7.sh installs the C and"
                        + " Cortex-M7 toolchains and QEMU)";
                if (Boolean.getBoolean("tinyreid.requireShared")) {
                    fail(msg);
                }
                Assumptions.abort(msg);
            }
        }
    }

    /** Runs {@code command} in {@code dir}; fails the test after {@code minutes}. */
    static Result run(Path dir, int minutes, List<String> command) {
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + minutes + " minutes");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs {@code command} and asserts it succeeded; returns its standard output. */
    static String check(Path dir, int minutes, List<String> command) {
        Result r = run(dir, minutes, command);
        assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.out() + r.err());
        return r.out();
    }
}
