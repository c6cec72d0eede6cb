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

    private final List<Path> files;
    private final double framesPerSecond;
    private final boolean loop;
    private int next;
    private int decoded;
    private long index;
    private final List<String> skipped = new ArrayList<>();

    private ImageFolderSource(List<Path> files, double framesPerSecond, boolean loop) {
        this.files = files;
        this.framesPerSecond = framesPerSecond;
        this.loop = loop;
    }

    /** Lists the folder's images; fails when there are none. */
    public static ImageFolderSource open(SourceSpec.ImageFolder spec) throws SourceException {
        Path dir = spec.folder();
        if (!Files.isDirectory(dir)) {
            throw new SourceException("image folder not found: " + dir, true);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolderSource::looksLikeImage).sorted().toList();
        } catch (IOException e) {
            throw new SourceException("cannot list image folder " + dir + ": " + e.getMessage(), true, e);
        }
        if (files.isEmpty()) {
            throw new SourceException("no images (" + String.join(", ", EXTENSIONS) + ") in folder " + dir, true);
        }
        return new ImageFolderSource(files, spec.framesPerSecond(), spec.loop());
    }

    static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    @Override
    public boolean read(Frame into) throws SourceException {
        while (true) {
            if (next >= files.size()) {
                if (!loop) {
                    return false;
                }
                if (decoded == 0) {
                    throw new SourceException("no readable image in folder (skipped: " + String.join("; ", skipped) + ")", true);
                }
                next = 0;
            }
            Path file = files.get(next++);
            try {
                decodeInto(file, into);
                decoded++;
                into.stamp(into.sequence(), (long) (index++ * 1_000_000 / framesPerSecond));
                return true;
            } catch (IOException | RuntimeException e) {
                if (skipped.size() < 100) {
                    skipped.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Files that could not be decoded, with the reason (bounded list). */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Decodes one image file into the frame, subsampling while reading and area-averaging to fit. */
    static void decodeInto(Path file, Frame into) throws IOException {
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

    @Override
    public boolean live() { return false; }

    @Override
    public double frameRate() { return framesPerSecond; }

    @Override
    public void close() {
        // nothing held open between reads
    }
}
