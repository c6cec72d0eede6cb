package io.tinyreid.app.eval;

/**
 * Where a face is in an image: its box, optionally the two eye centres ({@code lx, ly, rx, ry},
 * image-left eye first), and whether it is a real detection or the centred fallback.
 */
public record FoundFace(int x, int y, int width, int height, float[] eyes, boolean detected) {
    /** The centred square used when no face is found: side {@code fraction} of the shorter image side. */
    public static FoundFace centred(int imageWidth, int imageHeight, double fraction) {
        int side = (int) Math.round(Math.min(imageWidth, imageHeight) * fraction);
        return new FoundFace((imageWidth - side) / 2, (imageHeight - side) / 2, side, side, null, false);
    }
}
