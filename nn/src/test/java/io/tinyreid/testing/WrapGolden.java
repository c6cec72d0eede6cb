package io.tinyreid.testing;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import io.tinyreid.nn.importer.Json;

/**
 * The device-arithmetic goldens of FaceReID at the edge: 24 LFW dev faces (128x128 gray PNGs) whose
 * descriptors the GAP8 arithmetic of DESIGN.md section 1 gives, 12 of them only with the 32-bit wrap
 * ({@code ../shared/models/facereid/device_check/wrap/golden.json}), plus the device's own
 * Francesco/Lena descriptors. Tests of every FaceReID exact path judge against these.
 */
public final class WrapGolden {
    /** One face: its name, raw int16 input, the device descriptor and what a 64-bit accumulator gives. */
    public record Face(String name, short[] input, short[] descriptor, short[] unwrapped, boolean wraps) {}

    private static List<Face> wrap;

    private WrapGolden() {}

    /** The 24 wrap goldens in file order; checks the file's own claims (24 faces, 12 wrapping). */
    public static synchronized List<Face> faces() {
        if (wrap == null) {
            Path dir = SharedData.require("models/facereid/device_check/wrap");
            List<Face> out = new ArrayList<>();
            try {
                Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("golden.json")));
                for (Object o : (List<?>) root.get("faces")) {
                    Map<?, ?> f = (Map<?, ?>) o;
                    String image = (String) f.get("image");
                    out.add(new Face(image, gray128(dir.resolve(image)), int16s(f.get("descriptor_q10")),
                            int16s(f.get("descriptor_q10_if_64bit_accumulator")), (Boolean) f.get("wraps")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long wrapping = out.stream().filter(Face::wraps).count();
            if (out.size() != 24 || wrapping != 12) {
                throw new IllegalStateException("golden.json: expected 24 faces, 12 wrapping; found " + out.size()
                        + " and " + wrapping);
            }
            wrap = List.copyOf(out);
        }
        return wrap;
    }

    /** The wrap goldens plus Francesco and Lena with the descriptors the GAP8 build produced. */
    public static List<Face> withDevice() {
        Path dc = SharedData.require("models/facereid/device_check");
        List<Face> out = new ArrayList<>(faces());
        for (String who : List.of("Francesco", "Lena")) {
            short[] d = TestImages.readInt16(dc.resolve(who + ".bin"));
            out.add(new Face(who, FaceReidFixture.raw(TestImages.pgm128(dc.resolve(who + ".pgm"))), d, d, false));
        }
        return List.copyOf(out);
    }

    private static short[] gray128(Path png) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            if (img == null || img.getWidth() != 128 || img.getHeight() != 128
                    || img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                throw new IllegalStateException(png + ": expected a 128x128 8-bit gray PNG");
            }
            Raster r = img.getRaster();
            short[] px = new short[128 * 128];
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    px[y * 128 + x] = (short) r.getSample(x, y, 0);
                }
            }
            return px;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static short[] int16s(Object list) {
        List<?> l = (List<?>) list;
        short[] s = new short[l.size()];
        for (int i = 0; i < s.length; i++) {
            double v = (Double) l.get(i);
            if (v != Math.rint(v) || v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                throw new IllegalStateException("golden.json: " + v + " is not an int16");
            }
            s[i] = (short) v;
        }
        return s;
    }
}
