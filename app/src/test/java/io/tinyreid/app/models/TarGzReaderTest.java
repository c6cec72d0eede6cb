package io.tinyreid.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzReaderTest {
    @TempDir
    Path dir;

    /** A minimal ustar writer, independent of the reader under test. */
    static void entry(OutputStream out, String name, char type, byte[] data) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, String.format("%07o", 0644));
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, "00000000000");
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.write(h);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private Path tgz(boolean truncate) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        entry(raw, "package/model/a.bin", '0', new byte[] {1, 2, 3});
        String pax = "30 path=package/model/long.txt\n";
        entry(raw, "PaxHeader/x", 'x', pax.getBytes(StandardCharsets.UTF_8));
        entry(raw, "package/model/trunc", '0', "hello".getBytes(StandardCharsets.UTF_8));
        entry(raw, "package/../evil", '0', new byte[] {9});
        entry(raw, "package/other.txt", '0', new byte[600]);
        raw.write(new byte[1024]);
        byte[] all = raw.toByteArray();
        if (truncate) {
            all = Arrays.copyOf(all, 700);
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(all);
        }
        return Files.write(dir.resolve(truncate ? "t.tgz" : "a.tgz"), gz.toByteArray());
    }

    @Test
    void extractsOnlyTheNamedFiles() throws IOException {
        Path dest = Files.createDirectories(dir.resolve("out"));
        Set<String> found = TarGzReader.extract(tgz(false), "package/", Set.of("model/a.bin", "model/long.txt"), dest);
        assertEquals(Set.of("model/a.bin", "model/long.txt"), found);
        assertEquals(3, Files.size(dest.resolve("model/a.bin")));
        assertEquals("hello", Files.readString(dest.resolve("model/long.txt")));
        assertFalse(Files.exists(dir.resolve("evil")));
        assertFalse(Files.exists(dest.resolve("other.txt")));
        // An entry that would land outside the destination is refused, never written.
        Path dest2 = Files.createDirectories(dir.resolve("out3"));
        assertThrows(IOException.class, () -> TarGzReader.extract(tgz(false), "package/", Set.of("../evil"), dest2));
        assertFalse(Files.exists(dir.resolve("evil")));
    }

    @Test
    void refusesTruncatedArchives() {
        Path dest = dir.resolve("out2");
        assertThrows(IOException.class, () -> TarGzReader.extract(tgz(true), "package/", Set.of("other.txt"), dest));
    }
}
