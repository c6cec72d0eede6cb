package io.tinyreid.app.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import io.tinyreid.app.face.Descriptor;
import io.tinyreid.app.testing.KnownFaces;
import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageLimits;
import io.tinyreid.vision.image.Pgm;

/** The doorbell's FaceReID path against what the GAP8 device itself computed for the same faces. */
class FaceReidNetTest {
    @Test
    void describesTheDeviceCheckFacesLikeTheDevice() throws Exception {
        FaceReidNet net = FaceReidNet.load(SharedData.require("models/facereid/quantized_model"));
        for (String name : new String[] {"Francesco", "Lena"}) {
            GrayImage face = pgm("models/facereid/device_check/" + name + ".pgm");
            Descriptor ours = net.describe(face, 0, 0, face.width(), face.height());
            Descriptor device = KnownFaces.deviceCheck(name);
            assertTrue(cosine(ours, device) >= 0.99, name + ": cosine " + cosine(ours, device));
        }
        GrayImage f = pgm("models/facereid/device_check/Francesco.pgm");
        assertTrue(cosine(net.describe(f, 0, 0, 128, 128), KnownFaces.deviceCheck("Lena")) < 0.9,
                "different people give different descriptors");
    }

    static GrayImage pgm(String rel) throws Exception {
        byte[] b = Files.readAllBytes(SharedData.require(rel));
        return Pgm.decode(b, b.length, ImageLimits.DEFAULT, null, rel);
    }

    static double cosine(Descriptor a, Descriptor b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.dimension(); i++) {
            ab += a.component(i) * b.component(i);
            aa += a.component(i) * a.component(i);
            bb += b.component(i) * b.component(i);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
