package io.tinyreid.vision.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.tinyreid.vision.image.Affine;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.RgbImage;

class DlibChipTest {
    /** Landmarks of a face that is the mean face moved by a known similarity (rotation 0.2 rad, scale 0.8). */
    static float[][] movedMeanFace(Affine chipToImage) {
        float[][] p = new float[68][2];
        for (int i = 17; i < 68; i++) {
            double x = DlibChip.chipX(i, 150, 0.25);
            double y = DlibChip.chipY(i, 150, 0.25);
            p[i][0] = (float) chipToImage.mapX(x, y);
            p[i][1] = (float) chipToImage.mapY(x, y);
        }
        // Jaw points (unused by dlib) far away: they must not matter.
        for (int i = 0; i < 17; i++) {
            p[i][0] = 9999;
            p[i][1] = -9999;
        }
        return p;
    }

    /** The frame loop's allocation-free fitter gives the Affine path's chip, pixel for pixel. */
    @Test
    void theReusableFitterCutsTheSameChipAsFromLandmarksAndExtract() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(68);
        RgbImage img = new RgbImage(320, 240);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRgb(x, y, rnd.nextInt(1 << 24));
            }
        }
        DlibChip.Fitter fitter = new DlibChip.Fitter(150, 0.25);
        RgbImage a = new RgbImage(150, 150);
        RgbImage b = new RgbImage(150, 150);
        for (double[] pose : new double[][] {{0.2, 0.8, 40, 25}, {-0.4, 1.3, 120, -10}, {0.0, 0.5, 200, 150}}) {
            float[][] pts = movedMeanFace(Affine.rotateScale(pose[0], pose[1], pose[2], pose[3]));
            DlibChip.extract(img, DlibChip.fromLandmarks68(pts, 150, 0.25), 150, a);
            fitter.fit(pts);
            fitter.extract(img, b);
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.red(), b.red());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.green(), b.green());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.blue(), b.blue());
        }
    }

    @Test
    void landmarkFitInvertsTheFacesPose() {
        Affine chipToImage = Affine.rotateScale(0.2, 0.8, 40, 25);
        Affine toChip = DlibChip.fromLandmarks68(movedMeanFace(chipToImage), 150, 0.25);
        Affine round = chipToImage.then(toChip);
        assertEquals(1, round.a(), 1e-5);
        assertEquals(0, round.b(), 1e-5);
        assertEquals(0, round.c(), 1e-3);
        assertEquals(0, round.d(), 1e-5);
        assertEquals(1, round.e(), 1e-5);
        assertEquals(0, round.f(), 1e-3);
    }

    @Test
    void eyesLandOnTheMeanFacesEyes() {
        Affine toChip = DlibChip.fromEyes(100, 120, 160, 110, 150, 0.25);
        double[] l = DlibChip.chipCentre(36, 42, 150, 0.25);
        double[] r = DlibChip.chipCentre(42, 48, 150, 0.25);
        assertEquals(l[0], toChip.mapX(100, 120), 1e-9);
        assertEquals(l[1], toChip.mapY(100, 120), 1e-9);
        assertEquals(r[0], toChip.mapX(160, 110), 1e-9);
        assertEquals(r[1], toChip.mapY(160, 110), 1e-9);
        // dlib's mean face: eyes level, about a third of the chip apart, in its upper part.
        assertEquals(l[1], r[1], 1e-9);
        assertEquals(0.35, (r[0] - l[0]) / 150, 0.01);
    }

    @Test
    void boxChipIsCentredOnTheBox() {
        Affine toChip = DlibChip.fromBox(50, 60, 100, 100, 150, new DlibChip.BoxFit(1.5, 0));
        assertEquals(74.5, toChip.mapX(50 + 49.5, 60 + 49.5), 1e-9);
        assertEquals(74.5, toChip.mapY(50 + 49.5, 60 + 49.5), 1e-9);
        assertEquals(1.0, toChip.a(), 1e-12, "150 px chip over a 150 px square");
    }

    @Test
    void extractWarpsIntoTheChip() {
        RgbImage img = new RgbImage(200, 200);
        img.fill(0x102030);
        RgbImage chip = DlibChip.extract(img, DlibChip.fromBox(50, 50, 100, 100, 150, new DlibChip.BoxFit(1.0, 0)), 150,
                new RgbImage(1, 1));
        assertEquals(150, chip.width());
        assertEquals(0x102030, chip.getRgb(75, 75));
        assertThrows(IllegalArgumentException.class, () -> DlibChip.fromLandmarks68(new float[5][2], 150, 0.25));
    }

    @Test
    void squareCropScalesTheBoxToTheNetSide() {
        GrayImage g = new GrayImage(100, 80);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 100; x++) {
                g.set(x, y, x < 50 ? 40 : 200);
            }
        }
        GrayImage out = new SquareCrop().crop(g, 30, 20, 40, 40, 128, new GrayImage(1, 1));
        assertEquals(128, out.width());
        assertEquals(40, out.get(10, 64));
        assertEquals(200, out.get(117, 64));
    }
}
