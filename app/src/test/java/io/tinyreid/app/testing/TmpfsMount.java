package io.tinyreid.app.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for a test, to fill a disk for real. Needs root (CI runs as root); elsewhere
 * the test is skipped with a message, unless {@code tinyreid.requireShared=true} (CI), where it fails.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code kib} KiB at a new folder under {@code parent}. */
    public static TmpfsMount mount(Path parent, long kib) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, "tmpfs-");
        int code = exec("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", dir.toString());
        if (code != 0) {
            String msg = "cannot mount a tmpfs to fill a disk (needs root): exit " + code;
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return new TmpfsMount(dir);
    }

    /** The mounted folder. */
    public Path dir() {
        return dir;
    }

    /** Grows (or shrinks) the file system in place; its files stay. */
    public void resize(long kib) throws IOException, InterruptedException {
        int code = exec("mount", "-o", "remount,size=" + kib + "k", dir.toString());
        if (code != 0) {
            throw new IOException("remount of " + dir + " failed: exit " + code);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        exec("umount", "-l", dir.toString());
        Files.deleteIfExists(dir);
    }

    private static int exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
