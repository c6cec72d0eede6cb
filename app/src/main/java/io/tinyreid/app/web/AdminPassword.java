package io.tinyreid.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The web UI's admin password, set on first run and kept as a salted PBKDF2-HMAC-SHA256 hash in
 * one file of the data directory (never in the household database, so an exported household
 * carries no credential).
 */
public final class AdminPassword {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Shortest password accepted. */
    public static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 256;
    private static final String SCHEME = "pbkdf2-sha256";

    private final Path file;
    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    private volatile Stored stored;

    private record Stored(int iterations, byte[] salt, byte[] hash) {}

    /** Reads {@code file} if it exists; a damaged file is an error, not a silent reset. */
    public AdminPassword(Path file, int iterations) throws IOException {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations");
        }
        this.file = file;
        this.iterations = iterations;
        if (Files.exists(file)) {
            stored = parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
        }
    }

    private Stored parse(String line) throws IOException {
        String[] p = line.split(":");
        try {
            if (p.length != 4 || !p[0].equals(SCHEME)) {
                throw new IllegalArgumentException("unknown format");
            }
            return new Stored(Integer.parseInt(p[1]), Base64.getDecoder().decode(p[2]), Base64.getDecoder().decode(p[3]));
        } catch (IllegalArgumentException e) {
            throw new IOException("the admin password file " + file + " is damaged (" + e.getMessage()
                    + "); delete it to set a new password on the next start");
        }
    }

    /** True once a password has been set. */
    public boolean isSet() {
        return stored != null;
    }

    /** Checks a password against the rules; returns the problem, or null when acceptable. */
    public static String problemWith(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "The password needs at least " + MIN_LENGTH + " characters.";
        }
        if (password.length() > MAX_LENGTH) {
            return "The password may have at most " + MAX_LENGTH + " characters.";
        }
        if (password.isBlank()) {
            return "The password cannot be only spaces.";
        }
        return null;
    }

    /** Sets (or replaces) the password, durably, before returning. */
    public synchronized void set(String password) throws IOException {
        String problem = problemWith(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        String line = SCHEME + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash) + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, line, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the data directory's own permissions apply
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        stored = new Stored(iterations, salt, hash);
    }

    /** True when {@code password} is the admin password (constant-time comparison). */
    public boolean matches(String password) {
        Stored s = stored;
        if (s == null || password == null || password.length() > MAX_LENGTH) {
            return false;
        }
        return MessageDigest.isEqual(s.hash(), derive(password, s.salt(), s.iterations()));
    }

    static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
