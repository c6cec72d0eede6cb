package io.tinyreid.app.face;

/** A face found in a photo: pixel rectangle in that photo's coordinates and the detector's score. */
public record FaceBox(int x, int y, int width, int height, double score) {
    public FaceBox {
        if (width <= 0 || height <= 0 || x < 0 || y < 0) {
            throw new IllegalArgumentException("bad face box " + x + "," + y + " " + width + "x" + height);
        }
    }

    /** Pixel area. */
    public long area() {
        return (long) width * height;
    }

    /** True when the box lies inside an image of the given size. */
    public boolean fitsIn(int imageWidth, int imageHeight) {
        return x + (long) width <= imageWidth && y + (long) height <= imageHeight;
    }
}
