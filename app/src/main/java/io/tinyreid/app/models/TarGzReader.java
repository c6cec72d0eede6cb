package io.tinyreid.app.models;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Extracts chosen regular files from a gzip'd tar (as {@code npm pack} writes: ustar with optional
 * pax headers). Only names asked for are written, so nothing in the archive picks its own path.
 */
final class TarGzReader {
    private TarGzReader() {}

    /**
     * Copies each entry named {@code prefix + name} for a name in {@code wanted} to {@code dest/name}.
     *
     * @return the names found
     */
    static Set<String> extract(Path tgz, String prefix, Set<String> wanted, Path dest) throws IOException {
        Set<String> found = new TreeSet<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] header = new byte[512];
            String paxPath = null;
            while (true) {
                if (!readFully(in, header)) {
                    break;
                }
                if (isZero(header)) {
                    break;
                }
                verifyChecksum(header, tgz);
                String name = cString(header, 0, 100);
                String magic = cString(header, 257, 6);
                if (magic.startsWith("ustar")) {
                    String p = cString(header, 345, 155);
                    if (!p.isEmpty()) {
                        name = p + "/" + name;
                    }
                }
                long size = octal(header, 124, 12, tgz);
                char type = (char) header[156];
                long padded = (size + 511) & ~511L;
                if (type == 'x') {
                    byte[] pax = readBytes(in, size, tgz);
                    skip(in, padded - size);
                    paxPath = paxValue(new String(pax, StandardCharsets.UTF_8), "path");
                    continue;
                }
                if (type == 'g') {
                    skip(in, padded);
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                    paxPath = null;
                }
                boolean regular = type == '0' || type == '\0';
                if (regular && name.startsWith(prefix) && wanted.contains(name.substring(prefix.length()))) {
                    String rel = name.substring(prefix.length());
                    Path out = dest.resolve(rel).normalize();
                    if (!out.startsWith(dest)) {
                        throw new IOException(tgz + ": entry " + name + " escapes the destination");
                    }
                    Files.createDirectories(out.getParent());
                    try (var os = Files.newOutputStream(out)) {
                        copy(in, os, size, tgz);
                    }
                    skip(in, padded - size);
                    found.add(rel);
                } else {
                    skip(in, padded);
                }
            }
        } catch (EOFException e) {
            throw new IOException(tgz + ": truncated archive", e);
        }
        return found;
    }

    private static String paxValue(String records, String key) {
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (sp > 0 && eq > sp && line.substring(sp + 1, eq).equals(key)) {
                return line.substring(eq + 1);
            }
        }
        return null;
    }

    private static void verifyChecksum(byte[] h, Path tgz) throws IOException {
        long want = octal(h, 148, 8, tgz);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != want) {
            throw new IOException(tgz + ": corrupt tar header (checksum)");
        }
    }

    private static long octal(byte[] h, int off, int len, Path tgz) throws IOException {
        long v = 0;
        int i = off;
        while (i < off + len && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < off + len && h[i] >= '0' && h[i] <= '7'; i++) {
            v = v * 8 + (h[i] - '0');
        }
        if (v < 0 || v > (1L << 36)) {
            throw new IOException(tgz + ": corrupt tar header (size)");
        }
        return v;
    }

    private static String cString(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n < buf.length) {
            throw new EOFException();
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size, Path tgz) throws IOException {
        if (size > 1 << 20) {
            throw new IOException(tgz + ": oversized pax header");
        }
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) {
            throw new EOFException();
        }
        return b;
    }

    private static void copy(InputStream in, java.io.OutputStream out, long size, Path tgz) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                s = 1;
            }
            left -= s;
        }
    }
}
