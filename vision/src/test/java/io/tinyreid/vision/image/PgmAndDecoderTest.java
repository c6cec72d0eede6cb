package io.tinyreid.vision.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.tinyreid.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgmAndDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private static GrayImage randomGray(int w, int h, long seed) {
        GrayImage g = new GrayImage(w, h);
        new Random(seed).nextBytes(g.pixels());
        return g;
    }

    @Test
    void readsOrlPgm() throws Exception {
        Path f = SharedData.require("data/orl/s1/1.pgm");
        GrayImage g = decoder.decodeGray(f);
        assertEquals(92, g.width());
        assertEquals(112, g.height());
        byte[] raw = Files.readAllBytes(f);
        // Independent check: the last 92*112 bytes of a P5 file are the pixels.
        assertArrayEquals(Arrays.copyOfRange(raw, raw.length - 92 * 112, raw.length), Arrays.copyOf(g.pixels(), 92 * 112));
    }

    @Test
    void pgmRoundTripAndTextAnd16Bit() throws Exception {
        GrayImage g = randomGray(31, 17, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pgm.write(g, out);
        GrayImage back = decoder.decodeGray(out.toByteArray(), "mem", null);
        assertArrayEquals(Arrays.copyOf(g.pixels(), 31 * 17), Arrays.copyOf(back.pixels(), 31 * 17));

        byte[] p2 = "P2\n# comment\n3 2\n255\n0 1 2\n253 254 255\n".getBytes(StandardCharsets.US_ASCII);
        GrayImage t = decoder.decodeGray(p2, "p2", null);
        assertEquals(3, t.width());
        assertEquals(255, t.get(2, 1));
        assertEquals(1, t.get(1, 0));

        ByteBuffer b16 = ByteBuffer.allocate(15 + 4);
        b16.put("P5\n2 1\n65535\n".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0xFFFF).putShort((short) 0x8080);
        GrayImage s = decoder.decodeGray(Arrays.copyOf(b16.array(), b16.position()), "16bit", null);
        assertEquals(255, s.get(0, 0));
        assertEquals(128, s.get(1, 0));
    }

    @Test
    void refusesBadPgms() {
        byte[] truncated = "P5\n10 10\n255\n\1\2\3".getBytes(StandardCharsets.ISO_8859_1);
        String m = assertThrows(ImageDecodeException.class, () -> decoder.decodeGray(truncated, "t.pgm", null)).getMessage();
        assertTrue(m.contains("truncated") && m.contains("t.pgm"), m);

        byte[] huge = "P5\n100000 100000\n255\n".getBytes(StandardCharsets.US_ASCII);
        m = assertThrows(ImageDecodeException.class, () -> decoder.decodeGray(huge, "h.pgm", null)).getMessage();
        assertTrue(m.contains("over the limit") && m.contains("100000x100000"), m);

        byte[] zero = "P5\n0 10\n255\n".getBytes(StandardCharsets.US_ASCII);
        m = assertThrows(ImageDecodeException.class, () -> decoder.decodeGray(zero, "z.pgm", null)).getMessage();
        assertTrue(m.contains("zero-size"), m);

        byte[] junk = "P5\nab 10\n255\n".getBytes(StandardCharsets.US_ASCII);
        m = assertThrows(ImageDecodeException.class, () -> decoder.decodeGray(junk, "j.pgm", null)).getMessage();
        assertTrue(m.contains("not a number"), m);
    }

    @Test
    void refusesEmptyUnknownAndOversizedInputs() {
        String m = assertThrows(ImageDecodeException.class, () -> decoder.decodeGray(new byte[0], "empty", null)).getMessage();
        assertTrue(m.contains("empty input"), m);
        m = assertThrows(ImageDecodeException.class,
                () -> decoder.decodeGray("GIF89a....".getBytes(StandardCharsets.US_ASCII), "x.gif", null)).getMessage();
        assertTrue(m.contains("not a JPEG, PNG or PGM"), m);
        ImageDecoder small = new ImageDecoder(new ImageLimits(1000, 100));
        m = assertThrows(ImageDecodeException.class, () -> small.decodeGray(new byte[101], "big", null)).getMessage();
        assertTrue(m.contains("over the limit"), m);
    }

    @Test
    void pngRoundTripGrayAndRgbReusesPlanes() throws Exception {
        GrayImage g = randomGray(40, 30, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(g, "png", out);
        GrayImage dst = new GrayImage(40, 30);
        byte[] before = dst.pixels();
        decoder.decodeGray(out.toByteArray(), "g.png", dst);
        assertSame(before, dst.pixels(), "a same-size decode must reuse the plane");
        assertArrayEquals(Arrays.copyOf(g.pixels(), 1200), Arrays.copyOf(dst.pixels(), 1200));

        RgbImage rgb = new RgbImage(20, 10);
        Random r = new Random(3);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) rgb.setRgb(x, y, r.nextInt(1 << 24));
        out.reset();
        ImageEncoder.write(rgb, "png", out);
        RgbImage back = decoder.decodeRgb(out.toByteArray(), "c.png", null);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) assertEquals(rgb.getRgb(x, y), back.getRgb(x, y));
        // Gray from colour uses OpenCV's BT.601 fixed-point weights.
        GrayImage gray = decoder.decodeGray(out.toByteArray(), "c.png", null);
        int c = rgb.getRgb(5, 5);
        long expect = Math.round(((c >> 16) & 0xFF) * 0.299 + ((c >> 8) & 0xFF) * 0.587 + (c & 0xFF) * 0.114);
        assertTrue(Math.abs(gray.get(5, 5) - expect) <= 1);
    }

    @Test
    void refusesTruncatedAndCorruptJpeg() throws Exception {
        Path jpg = SharedData.require("data/detection/dlib-faces/2008_002079.jpg");
        byte[] full = Files.readAllBytes(jpg);
        RgbImage ok = decoder.decodeRgb(full, "full", null);
        assertTrue(ok.width() > 100);
        byte[] half = Arrays.copyOf(full, full.length / 2);
        String m = assertThrows(ImageDecodeException.class, () -> decoder.decodeRgb(half, "half.jpg", null)).getMessage();
        assertTrue(m.contains("half.jpg") && (m.contains("truncated") || m.contains("corrupt")), m);
        byte[] header = Arrays.copyOf(full, 200);
        assertThrows(ImageDecodeException.class, () -> decoder.decodeGray(header, "hdr.jpg", null));
    }

    @Test
    void refusesHugePngFromItsHeaderAlone() throws Exception {
        // A PNG whose IHDR claims 30000x30000 and whose data is missing: refused before decoding.
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(30000).putInt(30000).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        png.write(ByteBuffer.allocate(4).putInt(13).array());
        byte[] typeAndData = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).put(ihdr.array()).array();
        png.write(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        byte[] bytes = png.toByteArray();
        assertEquals(new ImageDecoder.Info(ImageFormat.PNG, 30000, 30000), decoder.probe(bytes, "bomb.png"));
        String m = assertThrows(ImageDecodeException.class, () -> decoder.decodeRgb(bytes, "bomb.png", null)).getMessage();
        assertTrue(m.contains("900000000 pixels") && m.contains("over the limit"), m);
        // Sanity: ImageIO itself accepts the header.
        assertEquals(30000, ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes)) != null ? 30000 : 0);
    }

    @Test
    void reshapeKeepsCapacity() {
        GrayImage g = new GrayImage(320, 240);
        byte[] p = g.pixels();
        g.reshape(160, 120);
        g.reshape(320, 240);
        assertSame(p, g.pixels());
        g.reshape(321, 240);
        assertTrue(g.pixels() != p);
        RgbImage c = new RgbImage(8, 8);
        byte[] r = c.red();
        c.reshape(4, 16);
        assertSame(r, c.red());
    }

    @Test
    void cropAndClampedCrop() {
        GrayImage g = randomGray(10, 8, 4);
        GrayImage c = g.crop(2, 3, 4, 2, new GrayImage(1, 1));
        assertEquals(g.get(2, 3), c.get(0, 0));
        assertEquals(g.get(5, 4), c.get(3, 1));
        assertThrows(IllegalArgumentException.class, () -> g.crop(8, 0, 4, 2, new GrayImage(1, 1)));
        GrayImage cc = g.cropClamped(-2, -1, 4, 3, new GrayImage(1, 1));
        assertEquals(g.get(0, 0), cc.get(0, 0));
        assertEquals(g.get(1, 1), cc.get(3, 2));
    }
}
