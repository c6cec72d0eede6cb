package io.tinyreid.app.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;

/**
 * Builds and runs the firmware {@code tinyreid codegen} wrote, through its Makefile: the host binary,
 * or the Cortex-M7 image (sizes from {@code arm-none-eabi-size}, runs under QEMU).
 */
public final class Firmware {
    /** What to build. */
    public enum Target {
        HOST("host", "model-host"), HOST_SANITIZE("host-sanitize", "model-host-san"), CORTEX_M7("cortex-m7", "model-m7.elf"),
        NONE("", "");

        private final String make;
        private final String binary;

        Target(String make, String binary) {
            this.make = make;
            this.binary = binary;
        }

        /** The Makefile target. */
        public String makeTarget() {
            return make;
        }

        /** The file it builds. */
        public String binary() {
            return binary;
        }

        /** Parses {@code host|host-sanitize|cortex-m7|none}. */
        public static Target parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "host" -> HOST;
                case "host-sanitize" -> HOST_SANITIZE;
                case "cortex-m7", "m7" -> CORTEX_M7;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("unknown target '" + s + "' (host, host-sanitize, cortex-m7 or none)");
            };
        }
    }

    /** Section sizes of the Cortex-M7 image, in bytes. */
    public record Sizes(long text, long rodata, long data, long bss) {}

    private static final Pattern MS = Pattern.compile("\"ms\":([0-9.]+)");
    private final Path dir;
    private final Target target;

    /** The firmware in {@code dir} (with its Makefile) for {@code target}. */
    public Firmware(Path dir, Target target) {
        this.dir = dir;
        this.target = target;
    }

    /** Runs {@code make TARGET}; fails with make's output (and what to install) when it fails. */
    public void build() throws IOException {
        tool(target == Target.CORTEX_M7 ? "arm-none-eabi-gcc" : "cc");
        run(List.of("make", "-s", target.makeTarget()), 10);
    }

    /** {@code arm-none-eabi-size -A} of the Cortex-M7 image. */
    public Sizes sizes() throws IOException {
        String out = run(List.of("arm-none-eabi-size", "-A", target.binary()), 1);
        return new Sizes(section(out, ".text") + section(out, ".init"), section(out, ".rodata"), section(out, ".data"),
                section(out, ".bss"));
    }

    /** Best processor-time milliseconds of the host binary over {@code runs} inferences of {@code image}. */
    public double bestHostMs(Path image, int runs) throws IOException {
        String name = stage(image);
        List<String> cmd = new ArrayList<>(List.of("./" + Target.HOST.binary()));
        for (int i = 0; i < runs; i++) {
            cmd.add(name);
        }
        return bestMs(run(cmd, 10));
    }

    /**
     * One inference of {@code image} on the Cortex-M7 under QEMU with {@code -icount shift=0}: the
     * emulated milliseconds it reports, i.e. millions of instructions.
     */
    public double runM7Counted(Path image) throws IOException {
        tool("qemu-system-arm");
        String name = stage(image);
        return bestMs(run(List.of("make", "-s", "run-m7", "IMAGES=" + name, "QEMU_FLAGS=-icount shift=0"), 20));
    }

    /**
     * Runs the built program on files already in the firmware's directory ({@code names}: plain relative
     * paths): the host binary, or the Cortex-M7 image under QEMU, with {@code -icount shift=0} when
     * {@code countInstructions}. Returns the JSON lines it printed, one per file.
     */
    public List<String> runLines(List<String> names, boolean countInstructions, int minutes) throws IOException {
        for (String n : names) {
            if (!n.matches("[A-Za-z0-9_./-]+") || n.contains("..")) {
                throw new IllegalArgumentException("not a plain relative file name: " + n);
            }
        }
        List<String> cmd = new ArrayList<>();
        if (target == Target.CORTEX_M7) {
            tool("qemu-system-arm");
            cmd.addAll(List.of("make", "-s", "run-m7", "IMAGES=" + String.join(" ", names)));
            if (countInstructions) {
                cmd.add("QEMU_FLAGS=-icount shift=0");
            }
        } else {
            cmd.add("./" + target.binary());
            cmd.addAll(names);
        }
        return run(cmd, minutes).lines().filter(l -> l.startsWith("{")).toList();
    }

    /** A gray PGM's pixels (0..255) as the network input, which must be {@code width x height}. */
    public static float[] pgmPixels(Path image, int width, int height) throws IOException {
        GrayImage g = new ImageDecoder().decodeGray(image);
        if (g.width() != width || g.height() != height) {
            throw new IllegalArgumentException(image + " is " + g.width() + "x" + g.height() + "; the model takes "
                    + width + "x" + height);
        }
        float[] f = new float[width * height];
        byte[] p = g.pixels();
        for (int i = 0; i < f.length; i++) {
            f[i] = p[i] & 0xff;
        }
        return f;
    }

    /** Copies the image beside the firmware under a plain name (make and semihosting take it as a word). */
    private String stage(Path image) throws IOException {
        String name = "measure-input.pgm";
        Files.copy(image, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        return name;
    }

    private static double bestMs(String out) {
        Matcher m = MS.matcher(out);
        double best = Double.MAX_VALUE;
        while (m.find()) {
            best = Math.min(best, Double.parseDouble(m.group(1)));
        }
        if (best == Double.MAX_VALUE) {
            throw new IllegalStateException("the firmware printed no descriptor:\n" + out);
        }
        return best;
    }

    private static long section(String sizeA, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\d+)\\s").matcher(sizeA);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return;
            }
        }
        throw new IllegalStateException(name + " not found; install (Debian): apt-get install --no-install-recommends make gcc"
                + " gcc-arm-none-eabi picolibc-arm-none-eabi qemu-system-arm");
    }

    private String run(List<String> command, int minutes) throws IOException {
        Path log = Files.createTempFile("tinyreid-firmware", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + minutes + " minutes");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
