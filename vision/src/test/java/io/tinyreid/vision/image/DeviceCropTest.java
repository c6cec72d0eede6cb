package io.tinyreid.vision.image;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.tinyreid.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference device's own crop (models/facereid/device_check): its level-0 128x128 output is the
 * frame's 120x120 square at (124, 80), copied pixel for pixel, inside a 4-pixel black border.
 * (Levels 1 and 2 are the same face from downscaled frames; their exact fixed-point resize kernel is
 * the device SDK's, not OpenCV's, so they are not a bit-exact truth for our resize.)
 */
class DeviceCropTest {
    @Test
    void levelZeroIsAnExactCropInABlackBorder() throws Exception {
        Path dir = SharedData.require("models/facereid/device_check");
        ImageDecoder dec = new ImageDecoder();
        GrayImage frame = dec.decodeGray(dir.resolve("pipeline_input_320x240.pgm"));
        GrayImage l0 = dec.decodeGray(dir.resolve("pipeline_expected_output_l0.pgm"));
        GrayImage ours = new GrayImage(128, 128);
        ours.fill(0);
        GrayImage inner = frame.crop(124, 80, 120, 120, new GrayImage(1, 1));
        for (int y = 0; y < 120; y++) {
            System.arraycopy(inner.pixels(), y * 120, ours.pixels(), (y + 4) * 128 + 4, 120);
        }
        for (int i = 0; i < 128 * 128; i++) {
            assertEquals(l0.pixels()[i], ours.pixels()[i], "pixel " + (i % 128) + "," + (i / 128));
        }
    }
}
