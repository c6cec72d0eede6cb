package io.tinyreid.vision.image;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** PPM files written byte by byte here: the expected planes are the bytes themselves. */
class PpmTest {
    @Test
    void binaryEightBitSamplesAreTheInterleavedBytes() throws Exception {
        byte[] header = "P6\n# colour\n5 3\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] samples = new byte[5 * 3 * 3];
        new Random(7).nextBytes(samples);
        byte[] file = Arrays.copyOf(header, header.length + samples.length);
        System.arraycopy(samples, 0, file, header.length, samples.length);
        RgbImage img = Ppm.decode(file, file.length, ImageLimits.DEFAULT, null, "t.ppm");
        assertEquals(5, img.width());
        assertEquals(3, img.height());
        for (int i = 0; i < 15; i++) {
            assertEquals(samples[3 * i], img.red()[i]);
            assertEquals(samples[3 * i + 1], img.green()[i]);
            assertEquals(samples[3 * i + 2], img.blue()[i]);
        }
    }

    @Test
    void sixteenBitSamplesAreScaledToEightBits() throws Exception {
        byte[] header = "P6\n1 1\n1000\n".getBytes(StandardCharsets.US_ASCII);
        // big-endian 1000 -> 255, 500 -> 128 (rounded), 0 -> 0
        byte[] file = Arrays.copyOf(header, header.length + 6);
        file[header.length] = (byte) (1000 >> 8);
        file[header.length + 1] = (byte) 1000;
        file[header.length + 2] = (byte) (500 >> 8);
        file[header.length + 3] = (byte) 500;
        RgbImage img = Ppm.decode(file, file.length, ImageLimits.DEFAULT, null, "t.ppm");
        assertEquals(0xFF8000, img.getRgb(0, 0));
        byte[] text = "P3 1 1 255 9 8 7".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x090807, Ppm.decode(text, text.length, ImageLimits.DEFAULT, null, "t.ppm").getRgb(0, 0));
    }

    @Test
    void badFilesGetClearErrors() {
        byte[] truncated = "P6\n4 4\n255\n\1\2\3".getBytes(StandardCharsets.US_ASCII);
        ImageDecodeException t = assertThrows(ImageDecodeException.class,
                () -> Ppm.decode(truncated, truncated.length, ImageLimits.DEFAULT, null, "t.ppm"));
        assertEquals("t.ppm: truncated PPM: 4x4 needs 48 pixel bytes, file has 3", t.getMessage());
        byte[] pgm = "P5\n1 1\n255\n\0".getBytes(StandardCharsets.US_ASCII);
        assertThrows(ImageDecodeException.class, () -> Ppm.decode(pgm, pgm.length, ImageLimits.DEFAULT, null, "g.pgm"));
        byte[] over = "P3 1 1 255 256 0 0".getBytes(StandardCharsets.US_ASCII);
        ImageDecodeException o = assertThrows(ImageDecodeException.class,
                () -> Ppm.decode(over, over.length, ImageLimits.DEFAULT, null, "o.ppm"));
        assertEquals("o.ppm: PPM sample 0 = 256 exceeds maxval 255", o.getMessage());
        byte[] huge = "P6 100000 100000 255 ".getBytes(StandardCharsets.US_ASCII);
        assertThrows(ImageDecodeException.class, () -> Ppm.decode(huge, huge.length, ImageLimits.DEFAULT, null, "h.ppm"));
    }
}
