package io.tinyreid.app.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.EnrolReport;
import io.tinyreid.app.gallery.PhotoInput;
import io.tinyreid.app.gallery.Progress;
import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import io.tinyreid.app.testing.ColourCodedEngine;

class EnrolmentQualityTest {
    @TempDir
    Path dir;

    // a 200x200 mirror-symmetric photo: broad shading and fine texture (blurred by a box of radius r)
    private static BufferedImage photo(int r) {
        int[][] v = new int[200][200];
        Random rnd = new Random(9);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 100; x++) {
                v[y][x] = (int) (128 + 70 * Math.sin((99.5 - x) / 12.0) * Math.cos(y / 16.0)) + rnd.nextInt(41) - 20;
                v[y][199 - x] = v[y][x];
            }
        }
        BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 200; x++) {
                int s = 0;
                int n = 0;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        if (y + dy >= 0 && y + dy < 200 && x + dx >= 0 && x + dx < 200) {
                            s += v[y + dy][x + dx];
                            n++;
                        }
                    }
                }
                int g = s / n;
                img.setRGB(x, y, g << 16 | g << 8 | g);
            }
        }
        return img;
    }

    @Test
    void sharpFrontalFacesPassAndPoorOnesAreNamed() {
        FaceBox box = new FaceBox(40, 40, 120, 120, 0);
        assertNull(EnrolmentQuality.warning(photo(0), box));
        String blurred = EnrolmentQuality.warning(photo(3), box);
        assertTrue(blurred != null && blurred.startsWith("blurred"), blurred);
        String small = EnrolmentQuality.warning(photo(0), new FaceBox(80, 80, 30, 30, 0));
        assertTrue(small != null && small.startsWith("face too small"), small);
    }

    @Test
    void aPoorPhotoIsEnrolledWithAWarningNeverLost() throws Exception {
        ColourCodedEngine engine = new ColourCodedEngine(FaceModel.FACEREID)
                .register(0xE02020, io.tinyreid.app.testing.KnownFaces.person(0));
        try (Household h = Household.open(new DataDirectory(dir), FaceModel.FACEREID, Clock.systemUTC())) {
            // a flat red photo: its face crop has no detail at all
            EnrolReport r = h.gallery().enrol(engine.engine(), "Alex",
                    List.of(new PhotoInput("alex.png", ColourCodedEngine.photo(0xE02020, 200, 200))), Progress.NONE);
            assertEquals(1, r.acceptedCount(), "enrolled");
            EnrolReport.Outcome o = r.outcomes().getFirst();
            assertTrue(o.warned(), o.message());
            assertTrue(o.message().startsWith("alex.png: blurred"), o.message());
            assertEquals(1, h.gallery().people().getFirst().photoCount());
        }
    }
}
