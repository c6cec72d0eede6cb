package io.tinyreid.vision.cascade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds cascades by name or path. OpenCV's cascade files are not in the repository: the build unpacks
 * them from the Maven artifact {@code org.bytedeco:opencv:4.10.0-1.5.11:jar:linux-x86_64} into this
 * module's classpath ({@code io/tinyreid/vision/cascades/haarcascades}, {@code .../lbpcascades}).
 * Debian's {@code opencv-data} directories are searched as well.
 */
public final class CascadeLibrary {
    /** The default face cascade (Viola-Jones, 24x24, 25 stages, as the reference device). */
    public static final String DEFAULT_FACE = "haarcascade_frontalface_default";
    /** The default eye cascade, run inside face boxes. */
    public static final String DEFAULT_EYE = "haarcascade_eye";

    private static final String RESOURCE_ROOT = "/io/tinyreid/vision/cascades/";
    private static final List<String> FAMILIES = List.of("haarcascades", "lbpcascades");
    private static final List<Path> SYSTEM_DIRS = List.of(Path.of("/usr/share/opencv4"), Path.of("/usr/share/opencv"));

    private CascadeLibrary() {}

    /**
     * Loads a cascade: an existing file path, or a name such as {@code haarcascade_frontalface_default}
     * or {@code lbpcascade_frontalface_improved} (with or without {@code .xml}).
     */
    public static Cascade load(String nameOrPath) throws IOException {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return CascadeXml.read(p);
        }
        String file = nameOrPath.endsWith(".xml") ? nameOrPath : nameOrPath + ".xml";
        if (file.contains("/") || file.contains("\\")) {
            throw new CascadeFormatException(nameOrPath + ": no such cascade file");
        }
        for (String family : FAMILIES) {
            try (InputStream in = CascadeLibrary.class.getResourceAsStream(RESOURCE_ROOT + family + "/" + file)) {
                if (in != null) {
                    return CascadeXml.read(in, file);
                }
            }
        }
        for (Path dir : SYSTEM_DIRS) {
            for (String family : FAMILIES) {
                Path f = dir.resolve(family).resolve(file);
                if (Files.isRegularFile(f)) {
                    return CascadeXml.read(f);
                }
            }
        }
        throw new CascadeFormatException("cascade '" + nameOrPath + "' not found: not a file, not among the built-in "
                + "cascades (rebuild the vision module to unpack them from org.bytedeco:opencv), not in /usr/share/opencv4");
    }
}
