package io.tinyreid.app.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Ppm;
import io.tinyreid.vision.image.RgbImage;

/**
 * A folder of still images played in name order, each shrunk to fit QVGA.
 *
 * <p>Images are read with ImageIO source subsampling so a huge photo never becomes a huge raster.
 * A file that cannot be decoded is skipped and reported; only a folder with no readable image at
 * all is an error.
 */
public final class ImageFolderSource implements FrameSource {
    /** Files considered images, by extension. */
    static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".pgm", ".ppm");

    private static final ImageDecoder NETPBM = new ImageDecoder();

    private final Path dir;
    private final double framesPerSecond;
    private final boolean loop;
    private List<Path> files;
    private int next;
    private int decodedThisPass;
    private long index;
    private final List<String> skipped = new ArrayList<>();

    private ImageFolderSource(Path dir, List<Path> files, double framesPerSecond, boolean loop) {
        this.dir = dir;
        this.files = files;
        this.framesPerSecond = framesPerSecond;
        this.loop = loop;
    }

    /**
     * Lists the folder's images. A missing or empty folder is a permanent error when played once; a
     * looping folder (a camera dropping pictures into it) may fill later, so there it is worth a retry.
     */
    public static ImageFolderSource open(SourceSpec.ImageFolder spec) throws SourceException {
        Path dir = spec.folder();
        List<Path> files = list(dir, !spec.loop());
        return new ImageFolderSource(dir, files, spec.framesPerSecond(), spec.loop());
    }

    private static List<Path> list(Path dir, boolean permanent) throws SourceException {
        if (!Files.isDirectory(dir)) {
            throw new SourceException("image folder not found: " + dir, permanent);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolderSource::looksLikeImage).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SourceException("cannot list image folder " + dir + ": " + e.getMessage(), permanent, e);
        }
        if (files.isEmpty()) {
            throw new SourceException("no images (" + String.join(", ", EXTENSIONS) + ") in folder " + dir, permanent);
        }
        return files;
    }

    static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * The next image. A looping folder is listed again before each pass (pictures come and go); a
     * pass that decodes nothing (folder emptied, deleted, or only broken files) ends with an
     * exception instead of starting over at once, so the capture backs off rather than spinning.
     */
    @Override
    public boolean read(Frame into) throws SourceException {
        while (true) {
            if (next >= files.size()) {
                if (!loop) {
                    return false;
                }
                if (decodedThisPass == 0) {
                    List<String> last = skipped.subList(Math.max(0, skipped.size() - 3), skipped.size());
                    throw new SourceException("no readable image in folder " + dir
                            + (last.isEmpty() ? "" : " (skipped: " + String.join("; ", last) + ")"), false);
                }
                files = list(dir, false);
                next = 0;
                decodedThisPass = 0;
            }
            Path file = files.get(next++);
            try {
                decodeInto(file, into);
                decodedThisPass++;
                into.stamp(into.sequence(), (long) (index++ * 1_000_000 / framesPerSecond));
                return true;
            } catch (IOException | RuntimeException e) {
                if (skipped.size() >= 100) {
                    skipped.removeFirst();
                }
                skipped.add(file.getFileName() + ": " + e.getMessage());
            }
        }
    }

    /** Files that could not be decoded, with the reason (bounded list). */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Decodes one image file into the frame, subsampling while reading and area-averaging to fit. */
    static void decodeInto(Path file, Frame into) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pgm") || name.endsWith(".ppm")) {
            decodeNetpbm(file, into); // ImageIO has no reader for them
            return;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot open");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not an image format this program reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                int[] fit = Frame.fitQvga(w, h);
                // Subsample by the integer factor that keeps at least twice the target resolution,
                // then area-average the rest: fast on huge photos, still smooth.
                int step = Math.max(1, Math.min(w / (2 * fit[0]), h / (2 * fit[1])));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage img = reader.read(0, param);
                RgbScaler.areaResize(img, fit[0], fit[1], into);
            } finally {
                reader.dispose();
            }
        }
    }

    /** PGM (P5/P2) and PPM (P6/P3) through vision's own readers, which refuse oversized pictures. */
    private static void decodeNetpbm(Path file, Frame into) throws IOException {
        byte[] data = NETPBM.readFile(file);
        String what = file.getFileName().toString();
        RgbImage rgb = Ppm.looksLikePpm(data, data.length) ? Ppm.decode(data, data.length, NETPBM.limits(), null, what)
                : NETPBM.decodeRgb(data, what, null);
        int w = rgb.width();
        int h = rgb.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                row[x] = rgb.getRgb(x, y);
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        int[] fit = Frame.fitQvga(w, h);
        RgbScaler.areaResize(img, fit[0], fit[1], into);
    }

    @Override
    public boolean live() { return false; }

    @Override
    public double frameRate() { return framesPerSecond; }

    @Override
    public void close() {
        // nothing held open between reads
    }
}
