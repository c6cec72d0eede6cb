package io.tinyreid.app.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A directory of immutable files whose names we generate (128 random bits in hex plus an
 * extension from a fixed set), written durably: temporary file, fsync, atomic rename, fsync of the
 * directory. A name from anywhere else (database, archive, request) is checked before use.
 */
public final class FileVault {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{32}\\.(jpg|png|pgm)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long SPACE_MARGIN = 256L << 10;

    private final Path dir;

    public FileVault(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ioFailure("creating " + dir, e);
        }
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** True when {@code name} has the shape of a name this vault generates. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Writes {@code bytes} durably under a new name with {@code extension}; returns the name. */
    public String store(byte[] bytes, String extension) {
        String name = HexFormat.of().formatHex(randomBytes()) + "." + extension.toLowerCase(Locale.ROOT);
        if (!isValidName(name)) {
            throw new IllegalArgumentException("extension '" + extension + "' is not one we store");
        }
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(".tmp-" + name);
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < bytes.length + SPACE_MARGIN) {
                throw new StoreException(StoreException.Reason.DISK_FULL, "disk full: " + dir + " has "
                        + free / 1024 + " KiB free, not enough to store a " + bytes.length / 1024
                        + " KiB file; nothing was changed. Free some space and try again");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            return name;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw ioFailure("writing " + target, e);
        }
    }

    /** The path of a stored file; refuses names we could not have generated. */
    public Path resolve(String name) {
        if (!isValidName(name)) {
            throw new StoreException(StoreException.Reason.CORRUPT, "refusing stored file name '" + name + "'");
        }
        return dir.resolve(name);
    }

    /** Reads a stored file. */
    public byte[] read(String name) {
        Path p = resolve(name);
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.CORRUPT, "stored file " + p + " is missing or unreadable: "
                    + e.getMessage(), e);
        }
    }

    /** Deletes a stored file if it exists (after the row that referenced it is gone). */
    public void delete(String name) {
        deleteQuietly(resolve(name));
    }

    /**
     * Removes files older than {@code minAge} that no row references (left by a process killed
     * between writing a file and committing its row) and stale temporary files. Returns the count.
     */
    public int sweep(Set<String> referenced, Duration minAge) {
        Instant cutoff = Instant.now().minus(minAge);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String n = p.getFileName().toString();
                boolean ours = isValidName(n) || (n.startsWith(".tmp-") && isValidName(n.substring(5)));
                if (!ours || referenced.contains(n)) {
                    continue;
                }
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            // sweeping is housekeeping; a failure must not stop the doorbell
            return removed;
        }
        return removed;
    }

    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover file is swept on the next start
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Maps an I/O failure to a StoreException, recognising a full disk. */
    static StoreException ioFailure(String doing, IOException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            msg = fse.getReason();
        }
        if (msg.contains("No space left") || msg.contains("Disk quota exceeded")) {
            return new StoreException(StoreException.Reason.DISK_FULL, "disk full while " + doing
                    + "; nothing was changed. Free some space and try again", e);
        }
        return new StoreException(StoreException.Reason.IO, "I/O error while " + doing + ": " + e, e);
    }
}
