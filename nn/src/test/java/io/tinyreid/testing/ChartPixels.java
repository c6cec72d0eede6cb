package io.tinyreid.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/**
 * What a memory-map PNG must show beyond having a size: its buffers as filled blocks of distinct colours.
 * Counted from the pixels alone: a colour is a block's when it is saturated (not the white background,
 * the black/grey axes, borders and text) and covers more pixels than a legend swatch or a line could.
 */
public final class ChartPixels {
    /** More than a legend swatch (14x12) or a budget line across the plot (about 1,100 x 1). */
    static final int BLOCK_PIXELS = 2_000;

    private ChartPixels() {}

    /** Pixels per saturated colour (max - min channel above 40), the background, axes and text excluded. */
    public static Map<Integer, Integer> saturatedColours(BufferedImage img) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                int r = rgb >> 16, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
                    count.merge(rgb, 1, Integer::sum);
                }
            }
        }
        return count;
    }

    /** Fails unless at least {@code kinds} distinct colours each fill a block, together at least {@code minShare} of the image. */
    public static void requireBlocks(BufferedImage img, int kinds, double minShare, String what) {
        Map<Integer, Integer> colours = saturatedColours(img);
        long blocks = colours.values().stream().filter(n -> n >= BLOCK_PIXELS).count();
        long filled = colours.values().stream().filter(n -> n >= BLOCK_PIXELS).mapToLong(Integer::longValue).sum();
        double share = (double) filled / ((long) img.getWidth() * img.getHeight());
        assertTrue(blocks >= kinds, what + ": " + blocks + " colours fill blocks, want at least " + kinds);
        assertTrue(share >= minShare, what + ": blocks fill " + share + " of the image, want at least " + minShare);
    }
}
