package io.tinyreid.vision.image;

/** Drawing for the display: box outlines, filled boxes, markers and 5x7 text. Clipped to the image; allocation-free. */
public final class Draw {
    private Draw() {}

    /** Fills the rectangle (x, y, w, h), clipped to the image, with one colour (0xRRGGBB). */
    public static void fillRect(RgbImage img, int x, int y, int w, int h, int rgb) {
        int x0 = Math.max(0, x), y0 = Math.max(0, y);
        int x1 = Math.min(img.width(), x + w), y1 = Math.min(img.height(), y + h);
        byte r = (byte) (rgb >> 16), g = (byte) (rgb >> 8), b = (byte) rgb;
        for (int yy = y0; yy < y1; yy++) {
            int o = yy * img.width();
            for (int xx = x0; xx < x1; xx++) {
                img.red()[o + xx] = r;
                img.green()[o + xx] = g;
                img.blue()[o + xx] = b;
            }
        }
    }

    /** Fills the rectangle (x, y, w, h), clipped to the image, with one gray value. */
    public static void fillRect(GrayImage img, int x, int y, int w, int h, int value) {
        int x0 = Math.max(0, x), y0 = Math.max(0, y);
        int x1 = Math.min(img.width(), x + w), y1 = Math.min(img.height(), y + h);
        byte v = (byte) value;
        for (int yy = y0; yy < y1; yy++) {
            java.util.Arrays.fill(img.pixels(), yy * img.width() + x0, yy * img.width() + Math.max(x0, x1), v);
        }
    }

    /** Outlines the rectangle (x, y, w, h) with lines {@code thickness} pixels wide drawn inside it. */
    public static void rect(RgbImage img, int x, int y, int w, int h, int rgb, int thickness) {
        int t = Math.max(1, Math.min(thickness, Math.min(w, h) / 2 + 1));
        fillRect(img, x, y, w, t, rgb);
        fillRect(img, x, y + h - t, w, t, rgb);
        fillRect(img, x, y + t, t, h - 2 * t, rgb);
        fillRect(img, x + w - t, y + t, t, h - 2 * t, rgb);
    }

    /** Outlines the rectangle on a gray image. */
    public static void rect(GrayImage img, int x, int y, int w, int h, int value, int thickness) {
        int t = Math.max(1, Math.min(thickness, Math.min(w, h) / 2 + 1));
        fillRect(img, x, y, w, t, value);
        fillRect(img, x, y + h - t, w, t, value);
        fillRect(img, x, y + t, t, h - 2 * t, value);
        fillRect(img, x + w - t, y + t, t, h - 2 * t, value);
    }

    /** A plus-shaped marker of half-size {@code r} centred on (cx, cy). */
    public static void marker(RgbImage img, int cx, int cy, int r, int rgb) {
        fillRect(img, cx - r, cy, 2 * r + 1, 1, rgb);
        fillRect(img, cx, cy - r, 1, 2 * r + 1, rgb);
    }

    /** Width in pixels of {@code text} drawn at {@code scale}. */
    public static int textWidth(CharSequence text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * BitmapFont.ADVANCE - 1) * scale;
    }

    /** Height in pixels of one line of text at {@code scale}. */
    public static int textHeight(int scale) {
        return BitmapFont.GLYPH_H * scale;
    }

    /** Draws {@code text} with its top-left corner at (x, y), each font pixel a {@code scale}x{@code scale} block. */
    public static void text(RgbImage img, int x, int y, CharSequence text, int rgb, int scale) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            int gx = x + i * BitmapFont.ADVANCE * scale;
            for (int row = 0; row < BitmapFont.GLYPH_H; row++) {
                int bits = BitmapFont.row(ch, row);
                for (int col = 0; col < BitmapFont.GLYPH_W; col++) {
                    if ((bits & (1 << (BitmapFont.GLYPH_W - 1 - col))) != 0) {
                        fillRect(img, gx + col * scale, y + row * scale, scale, scale, rgb);
                    }
                }
            }
        }
    }

    /** Draws {@code text} on a gray image. */
    public static void text(GrayImage img, int x, int y, CharSequence text, int value, int scale) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            int gx = x + i * BitmapFont.ADVANCE * scale;
            for (int row = 0; row < BitmapFont.GLYPH_H; row++) {
                int bits = BitmapFont.row(ch, row);
                for (int col = 0; col < BitmapFont.GLYPH_W; col++) {
                    if ((bits & (1 << (BitmapFont.GLYPH_W - 1 - col))) != 0) {
                        fillRect(img, gx + col * scale, y + row * scale, scale, scale, value);
                    }
                }
            }
        }
    }

    /** A box with a text label on a filled band above it (or inside when there is no room), as the live view shows faces. */
    public static void labelledBox(RgbImage img, int x, int y, int w, int h, CharSequence label, int rgb) {
        rect(img, x, y, w, h, rgb, 2);
        if (label == null || label.isEmpty()) {
            return;
        }
        int th = textHeight(1) + 4;
        int ty = y - th >= 0 ? y - th : y;
        fillRect(img, x, ty, textWidth(label, 1) + 4, th, rgb);
        int luminance = ((rgb >> 16 & 0xFF) * 299 + (rgb >> 8 & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
        text(img, x + 2, ty + 2, label, luminance > 128 ? 0x000000 : 0xFFFFFF, 1);
    }
}
