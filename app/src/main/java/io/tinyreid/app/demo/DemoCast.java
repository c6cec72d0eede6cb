package io.tinyreid.app.demo;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.imageio.ImageIO;

import io.tinyreid.app.face.FaceBox;
import io.tinyreid.app.face.FaceFinder;

/**
 * The demo's visitors: faces found in face-api's demo photos (group photos from the npm package),
 * each cut out with some context. The first few become household members, the last a stranger.
 */
public final class DemoCast {
    /** Names given to the demo's household members, in order. */
    static final List<String> NAMES = List.of("Ada", "Grace", "Hedy");

    /** One demo person: a name (null for the stranger) and a portrait with the face in its middle. */
    public record Visitor(String name, BufferedImage portrait) {}

    private DemoCast() {}

    /**
     * Finds faces in {@code photos} with {@code finder} and picks {@code NAMES.size() + 1}, the
     * largest first, at most one per photo so that everybody looks different.
     */
    public static List<Visitor> pick(List<Path> photos, FaceFinder finder) throws IOException {
        record Candidate(BufferedImage photo, FaceBox box, int photoIndex) {}
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            BufferedImage img = ImageIO.read(photos.get(i).toFile());
            if (img == null) {
                throw new IOException("cannot read demo photo " + photos.get(i));
            }
            List<FaceBox> faces = finder.find(img);
            for (FaceBox b : faces) {
                // Group photos: keep only faces whose portrait shows nobody else.
                int[] sq = square(img, b);
                boolean alone = faces.stream().filter(o -> o != b).noneMatch(o ->
                        o.x() < sq[0] + sq[2] && o.x() + o.width() > sq[0] && o.y() < sq[1] + sq[2] && o.y() + o.height() > sq[1]);
                if (alone) {
                    all.add(new Candidate(img, b, i));
                }
            }
        }
        all.sort(Comparator.comparingLong((Candidate c) -> c.box().area()).reversed());
        List<Visitor> cast = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (Candidate c : all) {
            if (used.contains(c.photoIndex())) {
                continue;
            }
            used.add(c.photoIndex());
            String name = cast.size() < NAMES.size() ? NAMES.get(cast.size()) : null;
            cast.add(new Visitor(name, portrait(c.photo(), c.box())));
            if (cast.size() == NAMES.size() + 1) {
                return cast;
            }
        }
        throw new IOException("found faces in only " + cast.size() + " of the demo photos; need " + (NAMES.size() + 1));
    }

    /** A square portrait twice the face's size around it (clamped to the photo), 240 pixels a side. */
    static BufferedImage portrait(BufferedImage photo, FaceBox b) {
        int[] sq = square(photo, b);
        int x0 = sq[0];
        int y0 = sq[1];
        int side = sq[2];
        BufferedImage out = new BufferedImage(240, 240, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(java.awt.RenderingHints.KEY_RENDERING, java.awt.RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(photo, 0, 0, 240, 240, x0, y0, x0 + side, y0 + side, null);
        g.dispose();
        return out;
    }

    /** The portrait's square (x, y, side) in the photo: 1.8 times the face, clamped to the photo. */
    static int[] square(BufferedImage photo, FaceBox b) {
        int side = (int) (Math.max(b.width(), b.height()) * 1.8);
        int cx = b.x() + b.width() / 2;
        int cy = b.y() + b.height() / 2;
        side = Math.min(side, Math.min(photo.getWidth(), photo.getHeight()));
        int x0 = Math.clamp(cx - side / 2, 0, photo.getWidth() - side);
        int y0 = Math.clamp(cy - side / 2, 0, photo.getHeight() - side);
        return new int[] {x0, y0, side};
    }

    /** The demo photos in the model cache, or an error saying how to get them. */
    public static List<Path> photos(Path faceApiDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            Path p = faceApiDir.resolve("demo/sample" + i + ".jpg");
            if (!Files.isRegularFile(p)) {
                throw new IOException("demo photo missing: " + p + " (run 'tinyreid models fetch')");
            }
            out.add(p);
        }
        return out;
    }
}
