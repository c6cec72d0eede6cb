package io.tinyreid.nn.faceapi;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import io.tinyreid.nn.importer.Json;
import io.tinyreid.testing.SharedData;
import io.tinyreid.testing.TestImages;

/**
 * The golden outputs face-api itself produced (tools/faceapi-golden, run by
 * scripts/setup.d/30-faceapi-golden.sh into the model cache): PNG crops with their descriptors
 * and 68 landmarks.
 */
public final class FaceApiGolden {
    /** One crop: its pixels (interleaved RGB), face-api's descriptor and landmark positions. */
    public record Case(String file, int width, int height, byte[] rgb, float[] descriptor, float[][] landmarks) {}

    private FaceApiGolden() {}

    /**
     * One case of each padding geometry face-api distinguishes: square, taller with an odd
     * difference, wider with an odd difference (the odd pixel goes bottom/right), and an even one.
     */
    public static List<Case> geometrySample(List<Case> cases) {
        List<java.util.function.Predicate<Case>> kinds = List.of(
                c -> c.width() == c.height(),
                c -> c.width() < c.height() && (c.height() - c.width()) % 2 == 1,
                c -> c.width() > c.height() && (c.width() - c.height()) % 2 == 1,
                c -> c.width() != c.height() && (c.height() - c.width()) % 2 == 0);
        List<Case> out = new ArrayList<>();
        for (var kind : kinds) {
            out.add(cases.stream().filter(kind).findFirst()
                    .orElseThrow(() -> new IllegalStateException("golden set lacks a crop geometry; regenerate it")));
        }
        return out;
    }

    /** Loads every golden case (skips, or fails in CI, when the goldens were not generated). */
    public static List<Case> load() throws IOException {
        Path json = SharedData.requireCached("golden/face-api-1.7.15/golden.json");
        Path dir = json.getParent();
        Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(json));
        List<Case> out = new ArrayList<>();
        for (Object o : (List<?>) root.get("images")) {
            Map<?, ?> m = (Map<?, ?>) o;
            String file = (String) m.get("file");
            BufferedImage img = ImageIO.read(dir.resolve(file).toFile());
            int w = img.getWidth();
            int h = img.getHeight();
            if (w != ((Double) m.get("width")).intValue() || h != ((Double) m.get("height")).intValue()) {
                throw new IOException(file + ": size differs from golden.json");
            }
            byte[] rgb = TestImages.rgbBytes(img);
            List<?> d = (List<?>) m.get("descriptor");
            float[] desc = new float[d.size()];
            for (int i = 0; i < desc.length; i++) {
                desc[i] = ((Double) d.get(i)).floatValue();
            }
            List<?> l = (List<?>) m.get("landmarks");
            float[][] lm = new float[l.size()][2];
            for (int i = 0; i < lm.length; i++) {
                List<?> pt = (List<?>) l.get(i);
                lm[i][0] = ((Double) pt.get(0)).floatValue();
                lm[i][1] = ((Double) pt.get(1)).floatValue();
            }
            out.add(new Case(file, w, h, rgb, desc, lm));
        }
        return out;
    }
}
