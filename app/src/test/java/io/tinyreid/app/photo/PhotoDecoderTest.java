package io.tinyreid.app.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.tinyreid.testing.SharedData;

public class PhotoDecoderTest {
    final PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.DEFAULT);

    /** A real PNG of {@code w}x{@code h} gray pixels, all zero, streamed so no w*h buffer is ever built. */
    public static byte[] hugeBlackPng(int w, int h) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[w + 1]; // filter byte + pixels
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aHundredMegapixelPhotoIsRefusedBeforeDecoding() throws Exception {
        byte[] png = hugeBlackPng(10_000, 10_000); // a genuine, valid 100 MP PNG of ~100 KB
        assertTrue(png.length < 200_000, "png is " + png.length);
        PhotoException e = assertThrows(PhotoException.class, () -> decoder.decode("huge.png", png));
        assertEquals("huge.png: 10000x10000 is 100.0 megapixels, more than the 64 megapixel limit; scale it down first",
                e.getMessage());

        // The same in a JPEG: a real small JPEG whose frame header claims 10000x10000.
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        byte[] jpeg = out.toByteArray();
        for (int i = 2; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && ((jpeg[i + 1] & 0xff) == 0xC0 || (jpeg[i + 1] & 0xff) == 0xC2)) {
                ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) 10_000).putShort((short) 10_000);
                break;
            }
        }
        PhotoException j = assertThrows(PhotoException.class, () -> decoder.decode("huge.jpg", jpeg));
        assertTrue(j.getMessage().contains("10000x10000 is 100.0 megapixels"), j.getMessage());
    }

    @Test
    void largePhotosWithinTheLimitAreSubsampledWhileDecoding() throws Exception {
        byte[] png = hugeBlackPng(6000, 4000); // 24 MP
        DecodedPhoto p = decoder.decode("big.png", png);
        assertEquals(6000, p.width());
        assertEquals(4000, p.height());
        assertTrue(p.image().getWidth() <= 2048 && p.image().getHeight() <= 2048, p.image().toString());
        assertEquals(2000, p.image().getWidth()); // every 3rd pixel
    }

    @Test
    void corruptTruncatedEmptyAndForeignFilesAreRefusedWithReasons() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] png = out.toByteArray();
        assertEquals("x: the file is empty", assertThrows(PhotoException.class, () -> decoder.decode("x", new byte[0])).getMessage());
        assertEquals("x: not a JPEG, PNG or PGM photo",
                assertThrows(PhotoException.class, () -> decoder.decode("x", "GIF89a....".getBytes())).getMessage());
        assertTrue(assertThrows(PhotoException.class, () -> decoder.decode("x", Arrays.copyOf(png, png.length / 2)))
                .getMessage().startsWith("x: corrupt or truncated PNG"));
        byte[] garbled = png.clone();
        for (int i = 40; i < garbled.length - 12; i++) {
            garbled[i] ^= 0x5A;
        }
        assertTrue(assertThrows(PhotoException.class, () -> decoder.decode("x", garbled))
                .getMessage().startsWith("x: corrupt or truncated PNG"));
        PhotoDecoder small = new PhotoDecoder(new PhotoLimits(1000, 1_000_000, 512));
        assertTrue(assertThrows(PhotoException.class, () -> small.decode("x", new byte[2000]))
                .getMessage().contains("larger than the 0.0 MiB limit"));
        byte[] pgm = "P5\n10 10\n255\nabc".getBytes();
        assertTrue(assertThrows(PhotoException.class, () -> decoder.decode("x", pgm)).getMessage().contains("truncated PGM"));
        byte[] pgm16 = "P5\n10 10\n65535\n".getBytes();
        assertTrue(assertThrows(PhotoException.class, () -> decoder.decode("x", pgm16)).getMessage().contains("only 8-bit"));
    }

    @Test
    void theReferencePgmCropsDecodeExactly() throws Exception {
        byte[] bytes = Files.readAllBytes(SharedData.require("models/facereid/device_check/Francesco.pgm"));
        DecodedPhoto p = decoder.decode("Francesco.pgm", bytes);
        assertEquals(PhotoFormat.PGM, p.format());
        assertEquals(128, p.width());
        assertEquals(128, p.height());
        // the last pixel of the file is the last pixel of the image
        assertEquals(bytes[bytes.length - 1] & 0xff, p.image().getRaster().getSample(127, 127, 0));
        assertEquals(bytes[bytes.length - 128 * 128] & 0xff, p.image().getRaster().getSample(0, 0, 0));
    }

    /** {@code image} followed by {@code junk} random bytes (which hold every byte value, markers included). */
    public static byte[] withJunk(byte[] image, int junk) {
        byte[] out = Arrays.copyOf(image, image.length + junk);
        byte[] tail = new byte[junk];
        new java.util.Random(30).nextBytes(tail);
        System.arraycopy(tail, 0, out, image.length, junk);
        return out;
    }

    static byte[] encode(BufferedImage img, String format, boolean progressive) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            javax.imageio.ImageWriteParam param = w.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            }
            w.write(null, new javax.imageio.IIOImage(img, null, null), param);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    @Test
    void bytesAfterTheImageAreNotPartOfThePhoto() throws Exception {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                img.setRGB(x, y, (x * 2654435761L + y * 40503L) % 0xFFFFFF > 0x7FFFFF ? 0xFFFFFF : x * 0x020301 + y * 0x010203);
            }
        }
        java.util.List<byte[]> images = new java.util.ArrayList<>();
        images.add(encode(img, "jpeg", false));
        images.add(encode(img, "jpeg", true)); // several scans, tables between them
        images.add(encode(img, "png", false));
        // An Exif-style APP1 segment holding a whole thumbnail JPEG (its own end-of-image marker inside).
        byte[] thumb = encode(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpeg", false);
        byte[] main = images.getFirst();
        ByteArrayOutputStream exif = new ByteArrayOutputStream();
        exif.write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1});
        int length = 2 + 6 + thumb.length;
        exif.write(new byte[] {(byte) (length >> 8), (byte) length, 'E', 'x', 'i', 'f', 0, 0});
        exif.write(thumb);
        exif.write(main, 2, main.length - 2);
        images.add(exif.toByteArray());
        // Real photos from a camera pipeline (LFW).
        for (String person : new String[] {"Tony_Blair", "Pete_Sampras", "Colin_Powell"}) {
            try (var files = Files.list(SharedData.require("data/lfw-dev/images/" + person))) {
                images.add(Files.readAllBytes(files.sorted().findFirst().orElseThrow()));
            }
        }
        byte[] header = PhotoDecoder.pgmHeader(96, 64);
        byte[] pgm = Arrays.copyOf(header, header.length + 96 * 64);
        images.add(pgm);
        for (byte[] image : images) {
            BufferedImage alone = decoder.decode("x", image).image();
            for (int junk : new int[] {1, 4096, 30 << 20}) {
                byte[] padded = withJunk(image, junk);
                DecodedPhoto p = decoder.decode("x", padded);
                assertEquals(image.length, p.length(), p.format() + " followed by " + junk + " bytes");
                byte[] kept = p.imageBytes(padded);
                assertTrue(Arrays.equals(image, kept), p.format() + ": the image's own bytes are kept");
                assertEquals(alone.getRGB(5, 7), decoder.decode("x", kept).image().getRGB(5, 7));
            }
            DecodedPhoto whole = decoder.decode("x", image);
            assertTrue(whole.imageBytes(image) == image, "nothing to trim: the same array");
        }
    }
}
