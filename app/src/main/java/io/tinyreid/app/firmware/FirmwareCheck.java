package io.tinyreid.app.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Pgm;

/**
 * Runs the Java frame loop ({@link ReferenceLoop}) and a built firmware on the same frames and the same
 * household and reports, per target, the first frame where they differ.
 */
public final class FirmwareCheck {
    /** Where frames are staged inside the firmware directory (semihosting takes plain relative names). */
    static final String FRAMES = "frames";

    /** One target's outcome: frames compared, the first difference ("" when none), and the JSON lines. */
    public record Outcome(String target, int frames, String firstDifference, List<String> lines) {
        /**
         * The firmware's own timings summed up: detection per frame, crop and network per face (emulated
         * milliseconds; under QEMU -icount shift=0, millions of instructions).
         */
        public String timings() {
            double dSum = 0, dMin = Double.MAX_VALUE, dMax = 0, nSum = 0;
            int faces = 0;
            for (String l : lines) {
                java.util.Map<?, ?> m = (java.util.Map<?, ?>) io.tinyreid.nn.importer.Json.parse(l);
                double d = ((Number) m.get("detect_ms")).doubleValue();
                dSum += d;
                dMin = Math.min(dMin, d);
                dMax = Math.max(dMax, d);
                if (m.get("face") != null) {
                    nSum += ((Number) m.get("network_ms")).doubleValue();
                    faces++;
                }
            }
            return lines.isEmpty() ? "no frames" : String.format(Locale.ROOT,
                    "detection %.1f ms per frame (%.1f..%.1f, %d frames); crop + network %.1f ms per face (%d faces)",
                    dSum / lines.size(), dMin, dMax, lines.size(), faces == 0 ? 0 : nSum / faces, faces);
        }

        /** True when every frame agreed. */
        public boolean agrees() {
            return firstDifference.isEmpty();
        }
    }

    private final List<Path> sources = new ArrayList<>();
    private final List<String> staged = new ArrayList<>();
    private final List<FrameVerdict> truth = new ArrayList<>();

    /**
     * Stages {@code frames} (gray PGMs of at most 320x240) in {@code dir}/frames and runs the Java
     * loop on them with the firmware's model ({@code weights.bin}) and {@code gallery}.
     */
    public FirmwareCheck(Path dir, List<Path> frames, Gallery gallery) throws IOException {
        this(dir, FRAMES, frames, gallery);
    }

    /** The same, staging the frames in {@code dir}/{@code staging} (a plain directory name). */
    public FirmwareCheck(Path dir, String staging, List<Path> frames, Gallery gallery) throws IOException {
        if (!staging.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not a plain directory name: " + staging);
        }
        Files.createDirectories(dir.resolve(staging));
        ImageDecoder decoder = new ImageDecoder();
        try (ReferenceLoop loop = new ReferenceLoop(dir.resolve("weights.bin"), gallery)) {
            for (int i = 0; i < frames.size(); i++) {
                GrayImage g = decoder.decodeGray(frames.get(i));
                if (g.width() > io.tinyreid.app.source.Frame.MAX_WIDTH || g.height() > io.tinyreid.app.source.Frame.MAX_HEIGHT) {
                    throw new IllegalArgumentException(frames.get(i) + " is " + g.width() + "x" + g.height()
                            + "; camera frames are at most 320x240");
                }
                String name = String.format(Locale.ROOT, "%s/f%04d.pgm", staging, i);
                Pgm.write(g, dir.resolve(name));
                sources.add(frames.get(i));
                staged.add(name);
                truth.add(loop.run(g));
            }
        }
    }

    /** Reads a frame list: one path a line, relative to the list's directory; blank lines and # comments skipped. */
    public static List<Path> readList(Path list) throws IOException {
        Path base = list.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                Path p = base.resolve(t);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(list + ": no such frame " + p);
                }
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(list + " lists no frames");
        }
        return out;
    }

    /** What the Java loop said, frame by frame. */
    public List<FrameVerdict> truth() {
        return List.copyOf(truth);
    }

    /** Runs the built firmware for {@code target} on the staged frames and compares it with the Java loop. */
    public Outcome compare(Firmware firmware, String target, boolean countInstructions, int minutes) throws IOException {
        List<String> lines = firmware.runLines(staged, countInstructions, minutes);
        String first = "";
        for (int i = 0; i < truth.size() && first.isEmpty(); i++) {
            if (i >= lines.size()) {
                first = String.format(Locale.ROOT, "frame %d (%s): the firmware printed nothing (%d lines for %d frames)", i,
                        sources.get(i), lines.size(), truth.size());
                break;
            }
            String d = truth.get(i).differences(FrameVerdict.parse(lines.get(i)));
            if (!d.isEmpty()) {
                first = String.format(Locale.ROOT, "frame %d (%s): Java vs %s: %s", i, sources.get(i), target, d);
            }
        }
        return new Outcome(target, truth.size(), first, lines);
    }
}
