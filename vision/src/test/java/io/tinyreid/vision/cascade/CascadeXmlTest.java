package io.tinyreid.vision.cascade;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.vision.detect.CascadeDetector;
import io.tinyreid.vision.detect.DetectionParams;
import io.tinyreid.vision.detect.Detections;
import io.tinyreid.vision.detect.PackedCascade;
import io.tinyreid.vision.testing.OpenCvDetector;
import io.tinyreid.vision.testing.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CascadeXmlTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheNewFormatHaarAndLbpCascades() throws Exception {
        Cascade haar = CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE);
        // The reference device's detector (DESIGN.md): 25 stages, 2,913 weak classifiers, 24x24.
        assertEquals(Cascade.FeatureType.HAAR, haar.type());
        assertEquals(25, haar.stages().size());
        assertEquals(2913, haar.treeCount());
        assertEquals(24, haar.windowWidth());
        assertEquals(-5.0425500869750977f, haar.stages().get(0).threshold());
        Cascade.HaarFeature f0 = (Cascade.HaarFeature) haar.features().get(0);
        assertArrayEquals(new int[] {6, 4, 12, 9, 6, 7, 12, 3}, f0.rects());
        assertArrayEquals(new float[] {-1f, 3f}, f0.weights());
        assertFalse(haar.hasTiltedFeatures());

        Cascade lbp = CascadeLibrary.load("lbpcascade_frontalface_improved");
        assertEquals(Cascade.FeatureType.LBP, lbp.type());
        assertEquals(45, lbp.windowWidth());
        assertEquals(8, lbp.stages().get(0).trees().get(0).nodes().get(0).subset().length);

        Cascade tilted = CascadeLibrary.load("haarcascade_eye_tree_eyeglasses");
        assertTrue(tilted.hasTiltedFeatures());
        assertTrue(tilted.nodeCount() > tilted.treeCount(), "trees deeper than stumps");
    }

    @Test
    void everyShippedCascadeLoadsAndPacks() throws Exception {
        for (String family : List.of("haarcascades", "lbpcascades")) {
            Path dir = Path.of(CascadeLibrary.class.getResource("/io/tinyreid/vision/cascades/" + family).toURI());
            // Independent truth for what ships: the OpenCV artifact's own listing (its jar is on the test
            // classpath), so an empty or partial unpack fails instead of looping over nothing.
            Set<String> expected = openCvJarCascades(family);
            assertTrue(expected.size() >= 3, family + " in the OpenCV jar: " + expected);
            Set<String> shipped = new TreeSet<>();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    shipped.add(f.getFileName().toString());
                    Cascade c = CascadeXml.read(f);
                    assertTrue(c.stages().size() > 0 && c.treeCount() > 0, f + ": no stages or trees");
                    PackedCascade p = PackedCascade.pack(c);
                    assertTrue(p.sizeBytes() > 0, f.toString());
                }
            }
            assertEquals(expected, shipped, family);
        }
    }

    private static Set<String> openCvJarCascades(String family) throws Exception {
        String inJar = "/org/bytedeco/opencv/linux-x86_64/share/opencv4/" + family + "/";
        URI jarDir = CascadeXmlTest.class.getResource(inJar).toURI();
        assertEquals("jar", jarDir.getScheme(), "OpenCV's cascades should come from its jar: " + jarDir);
        Set<String> names = new TreeSet<>();
        try (FileSystem jar = FileSystems.newFileSystem(jarDir, Map.of()); var files = Files.list(jar.getPath(inJar))) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".xml")).forEach(names::add);
        }
        return names;
    }

    @Test
    void oldFormatWithTiltedFeaturesAndTreesReadsTheSameAsTheNewFormat() throws Exception {
        for (String name : List.of("haarcascade_frontalface_default", "haarcascade_eye_tree_eyeglasses")) {
            Cascade fresh = CascadeLibrary.load(name);
            Path old = tmp.resolve(name + "_old.xml");
            Files.writeString(old, OldFormatWriter.write(fresh, name));
            assertTrue(Files.readString(old).contains("opencv-haar-classifier"));
            Cascade back = CascadeXml.read(old);
            assertEquals(fresh.stages().size(), back.stages().size());
            assertEquals(fresh.windowWidth(), back.windowWidth());
            assertEquals(fresh.hasTiltedFeatures(), back.hasTiltedFeatures());
            for (int s = 0; s < fresh.stages().size(); s++) {
                assertEquals(fresh.stages().get(s).threshold(), back.stages().get(s).threshold());
                List<Cascade.Tree> a = fresh.stages().get(s).trees(), b = back.stages().get(s).trees();
                assertEquals(a.size(), b.size());
                for (int t = 0; t < a.size(); t++) {
                    assertArrayEquals(a.get(t).leaves(), b.get(t).leaves());
                    for (int n = 0; n < a.get(t).nodes().size(); n++) {
                        Cascade.Node na = a.get(t).nodes().get(n), nb = b.get(t).nodes().get(n);
                        assertEquals(na.threshold(), nb.threshold());
                        assertEquals(na.left(), nb.left());
                        assertEquals(na.right(), nb.right());
                        Cascade.HaarFeature fa = (Cascade.HaarFeature) fresh.features().get(na.feature());
                        Cascade.HaarFeature fb = (Cascade.HaarFeature) back.features().get(nb.feature());
                        assertArrayEquals(fa.rects(), fb.rects());
                        assertArrayEquals(fa.weights(), fb.weights());
                        assertEquals(fa.tilted(), fb.tilted());
                    }
                }
            }
        }
    }

    @Test
    void openCvAgreesOnOurOldFormatFile() throws Exception {
        // OpenCV 4.10 converts old-format files itself: its boxes from our old file must equal
        // its boxes from the new file, and so must ours.
        Cascade fresh = CascadeLibrary.load(CascadeLibrary.DEFAULT_FACE);
        Path old = tmp.resolve("old.xml");
        Files.writeString(old, OldFormatWriter.write(fresh, "haarcascade_frontalface_default"));
        CascadeDetector ours = new CascadeDetector(PackedCascade.pack(CascadeXml.read(old)), 500, 500, 4096);
        Detections out = new Detections(64);
        try (OpenCvDetector cvOld = new OpenCvDetector(old);
             OpenCvDetector cvNew = OpenCvDetector.builtIn("haarcascades", CascadeLibrary.DEFAULT_FACE)) {
            for (TestImages.Named n : TestImages.dlibFaces().subList(0, 3)) {
                List<int[]> a = cvOld.detect(n.image(), DetectionParams.DEFAULT);
                List<int[]> b = cvNew.detect(n.image(), DetectionParams.DEFAULT);
                assertEquals(b.size(), a.size(), n.name());
                ours.detect(n.image(), DetectionParams.DEFAULT, out);
                assertEquals(b.size(), out.size(), n.name());
                for (int[] r : b) {
                    boolean found = false;
                    for (int i = 0; i < out.size(); i++) {
                        found |= out.x(i) == r[0] && out.y(i) == r[1] && out.width(i) == r[2] && out.height(i) == r[3];
                    }
                    assertTrue(found, n.name() + ": OpenCV box " + java.util.Arrays.toString(r) + " not among ours");
                }
            }
        }
    }

    private static String error(String xml) {
        return assertThrows(CascadeFormatException.class,
                () -> CascadeXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "bad.xml")).getMessage();
    }

    @Test
    void malformedFilesAreRefusedWithTheElementThatIsWrong() throws Exception {
        String good = Files.readString(Path.of(CascadeLibrary.class.getResource(
                "/io/tinyreid/vision/cascades/haarcascades/haarcascade_frontalface_default.xml").toURI()));
        String m = error(good.substring(0, good.length() / 2));
        assertTrue(m.startsWith("bad.xml: malformed XML at line"), m);

        m = error(good.replaceFirst("<stageThreshold>[^<]*</stageThreshold>", "<stageThreshold>abc</stageThreshold>"));
        assertTrue(m.contains("cascade/stages[0]/stageThreshold") && m.contains("'abc' is not a number"), m);

        m = error(good.replaceFirst("0 -1 0 -3.1511999666690826e-02", "0 -1 0"));
        assertTrue(m.contains("cascade/stages[0]/weakClassifiers[0]/internalNodes") && m.contains("expected 4 numbers per node"), m);

        m = error(good.replaceFirst("0 -1 1 1.2396000325679779e-02", "0 -1 99999 1.2396000325679779e-02"));
        assertTrue(m.contains("feature index 99999"), m);

        m = error(good.replaceFirst("6 4 12 9 -1\\.", "6 4 30 9 -1."));
        assertTrue(m.contains("cascade/features[0]/rects[0]") && m.contains("does not fit the 24x24 window"), m);

        m = error(good.replaceFirst("<featureType>HAAR</featureType>", "<featureType>HOG</featureType>"));
        assertTrue(m.contains("cascade/featureType") && m.contains("HOG"), m);

        m = error(good.replaceFirst("(?s)<leafValues>.*?</leafValues>", "<leafValues>1.0</leafValues>"));
        assertTrue(m.contains("leafValues") && m.contains("needs 2 leaves, got 1"), m);

        m = error("<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType></cascade></opencv_storage>");
        assertTrue(m.contains("missing <width>"), m);

        m = error("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><opencv_storage>&e;</opencv_storage>");
        assertTrue(m.contains("malformed XML"), m);

        String old = OldFormatWriter.write(CascadeLibrary.load("haarcascade_eye"), "eye");
        m = error(old.replaceFirst("<left_val>[^<]*</left_val>", ""));
        assertTrue(m.contains("stages[0]/trees[0][0]") && m.contains("missing <left_val> or <left_node>"), m);

        assertThrows(CascadeFormatException.class, () -> CascadeLibrary.load("no_such_cascade"));
    }
}
