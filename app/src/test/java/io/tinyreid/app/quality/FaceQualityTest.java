package io.tinyreid.app.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class FaceQualityTest {
    private static final int SIDE = 128;

    // a face-like test card: an oval, two eyes, a mouth, plus fine texture (noise)
    private static int[][] card(long seed, int eyeShift) {
        Random r = new Random(seed);
        int[][] img = new int[SIDE][SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double dx = (x - 64) / 44.0;
                double dy = (y - 64) / 56.0;
                int v = dx * dx + dy * dy < 1 ? 170 : 60;
                if (Math.hypot(x - (44 + eyeShift), y - 50) < 7 || Math.hypot(x - (84 + eyeShift), y - 50) < 7) {
                    v = 30;
                }
                if (Math.abs(y - 92) < 3 && Math.abs(x - 64 - eyeShift) < 18) {
                    v = 80;
                }
                img[y][x] = Math.clamp(v + r.nextInt(21) - 10, 0, 255);
            }
        }
        return img;
    }

    private static byte[] bytes(int[][] img) {
        byte[] b = new byte[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                b[y * SIDE + x] = (byte) img[y][x];
            }
        }
        return b;
    }

    // box blur of radius r, written plainly
    private static int[][] blur(int[][] img, int r) {
        int[][] out = new int[SIDE][SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int s = 0;
                int n = 0;
                for (int v = -r; v <= r; v++) {
                    for (int u = -r; u <= r; u++) {
                        int yy = y + v;
                        int xx = x + u;
                        if (yy >= 0 && yy < SIDE && xx >= 0 && xx < SIDE) {
                            s += img[yy][xx];
                            n++;
                        }
                    }
                }
                out[y][x] = Math.round((float) s / n);
            }
        }
        return out;
    }

    // the textbook definition: convolve with the 3x3 Laplacian kernel, variance of the response over
    // the valid interior, divided by the variance of the image
    private static double naiveSharpness(int[][] img) {
        int[][] k = {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}};
        java.util.List<Double> resp = new java.util.ArrayList<>();
        for (int y = 1; y < SIDE - 1; y++) {
            for (int x = 1; x < SIDE - 1; x++) {
                double s = 0;
                for (int v = 0; v < 3; v++) {
                    for (int u = 0; u < 3; u++) {
                        s += k[v][u] * img[y + v - 1][x + u - 1];
                    }
                }
                resp.add(s);
            }
        }
        java.util.List<Double> pix = new java.util.ArrayList<>();
        for (int[] row : img) {
            for (int v : row) {
                pix.add((double) v);
            }
        }
        return variance(resp) / variance(pix);
    }

    private static double variance(java.util.List<Double> v) {
        double m = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return v.stream().mapToDouble(d -> (d - m) * (d - m)).average().orElseThrow();
    }

    @Test
    void sharpnessIsTheContrastNormalisedLaplacianVariance() {
        for (long seed = 1; seed <= 3; seed++) {
            int[][] img = card(seed, 0);
            assertEquals(naiveSharpness(img), FaceQuality.sharpness(bytes(img), SIDE), 1e-9 * naiveSharpness(img));
            int[][] b = blur(img, 1);
            assertEquals(naiveSharpness(b), FaceQuality.sharpness(bytes(b), SIDE), 1e-9 * naiveSharpness(b));
        }
    }

    @Test
    void blurLowersSharpnessAndContrastDoesNot() {
        int[][] img = card(7, 0);
        double sharp = FaceQuality.sharpness(bytes(img), SIDE);
        double blurred1 = FaceQuality.sharpness(bytes(blur(img, 1)), SIDE);
        double blurred2 = FaceQuality.sharpness(bytes(blur(img, 2)), SIDE);
        assertTrue(blurred1 < sharp / 3, "blur r=1: " + blurred1 + " vs sharp " + sharp);
        assertTrue(blurred2 < blurred1, "blur r=2: " + blurred2 + " vs r=1 " + blurred1);
        // the same sharp face at half the contrast, darker: still about as sharp (rounding aside)
        int[][] dim = new int[SIDE][SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                dim[y][x] = img[y][x] / 2 + 10;
            }
        }
        double dimSharp = FaceQuality.sharpness(bytes(dim), SIDE);
        assertEquals(sharp, dimSharp, 0.15 * sharp, "half contrast");
        assertTrue(dimSharp > 2 * blurred1, "a dim sharp face must beat a bright blurred one");
        assertEquals(0, FaceQuality.sharpness(new byte[SIDE * SIDE], SIDE));
    }

    @Test
    void asymmetryIsZeroForAMirrorSymmetricFaceAndGrowsWhenTurned() {
        int[][] img = card(3, 0);
        int[][] sym = new int[SIDE][SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                sym[y][x] = x < SIDE / 2 ? img[y][x] : img[y][SIDE - 1 - x];
            }
        }
        assertEquals(0, FaceQuality.asymmetry(bytes(sym), SIDE), 1e-12);
        double frontal = FaceQuality.asymmetry(bytes(blur(card(3, 0), 1)), SIDE);
        double turned = FaceQuality.asymmetry(bytes(blur(card(3, 12), 1)), SIDE);
        assertTrue(turned > frontal + 0.1, "turned " + turned + " vs frontal " + frontal);
    }

    // 68 landmarks of a head model turned by yaw degrees (about the vertical axis) and rolled by roll degrees
    private static float[][] head(double yawDeg, double rollDeg) {
        double[][] model = new double[68][3];
        for (int i = 0; i < 68; i++) {
            model[i] = new double[] {0, 0, 0};
        }
        model[36] = new double[] {-45, -20, 0}; // outer eye corners
        model[45] = new double[] {45, -20, 0};
        model[30] = new double[] {0, 15, 35};  // nose tip, towards the camera
        double a = Math.toRadians(yawDeg);
        double b = Math.toRadians(rollDeg);
        float[][] pts = new float[68][];
        for (int i = 0; i < 68; i++) {
            double x = model[i][0] * Math.cos(a) + model[i][2] * Math.sin(a);
            double y = model[i][1];
            double rx = x * Math.cos(b) - y * Math.sin(b);
            double ry = x * Math.sin(b) + y * Math.cos(b);
            pts[i] = new float[] {(float) (rx + 100), (float) (ry + 100)};
        }
        return pts;
    }

    @Test
    void yawFromLandmarksHasTheTurnsSignAndIgnoresRoll() {
        assertEquals(0, FaceQuality.yaw(head(0, 0)), 1e-6);
        assertEquals(0, FaceQuality.yaw(head(0, 25)), 1e-5, "a tilted frontal head is not turned");
        double expected = 35 * Math.sin(Math.toRadians(30)) / (90 * Math.cos(Math.toRadians(30)));
        assertEquals(expected, FaceQuality.yaw(head(30, 0)), 1e-5);
        assertEquals(expected, FaceQuality.yaw(head(30, 20)), 1e-4, "turned and tilted");
        assertEquals(-expected, FaceQuality.yaw(head(-30, 0)), 1e-5);
        assertTrue(FaceQuality.yaw(head(50, 0)) > FaceQuality.yaw(head(20, 0)));
    }
}
