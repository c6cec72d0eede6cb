package io.tinyreid.app.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.models.ModelCache.ExpectedFile;
import io.tinyreid.nn.models.ModelCache.ModelSet;

/**
 * Fills the model cache: face-api through {@code npm pack} (its tarball checked against the
 * registry's published integrity), FaceReID's JSON layers copied from a local checkout. Every file
 * is verified by size and SHA-256 before it is moved into place, so the cache is never half-written.
 */
public final class ModelFetcher {
    /** The npm package spec we pin. */
    public static final String FACE_API_SPEC = "@vladmandic/face-api@1.7.15";
    /** {@code dist.integrity} of that version as the npm registry publishes it. */
    static final String FACE_API_INTEGRITY =
            "sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==";

    private final ModelCache cache;
    private final PrintStream log;

    /** A fetcher writing into {@code cache}, reporting steps to {@code log}. */
    public ModelFetcher(ModelCache cache, PrintStream log) {
        this.cache = cache;
        this.log = log;
    }

    /** Makes sure face-api is in the cache, from {@code tarball} if given, else by running {@code npm pack}. */
    public void fetchFaceApi(Path tarball, boolean force) throws IOException, InterruptedException {
        if (!force && cache.verify(ModelSet.FACE_API).isEmpty()) {
            log.println("face-api 1.7.15: already in " + cache.dir(ModelSet.FACE_API) + " (verified)");
            return;
        }
        Files.createDirectories(cache.root());
        Path work = Files.createTempDirectory(cache.root(), ".fetch-");
        try {
            Path tgz = tarball != null ? tarball : npmPack(work);
            String integrity = integrity(tgz);
            if (!integrity.equals(FACE_API_INTEGRITY)) {
                throw new IOException(tgz + ": integrity " + integrity + " does not match " + FACE_API_SPEC
                        + "'s published " + FACE_API_INTEGRITY + " (wrong version or corrupt download)");
            }
            log.println("face-api 1.7.15: tarball integrity verified");
            Path staging = work.resolve("face-api");
            Files.createDirectories(staging);
            Set<String> wanted = new LinkedHashSet<>();
            for (ExpectedFile f : ModelCache.expected(ModelSet.FACE_API)) {
                wanted.add(f.path());
            }
            Set<String> found = TarGzReader.extract(tgz, "package/", wanted, staging);
            if (!found.containsAll(wanted)) {
                Set<String> missing = new LinkedHashSet<>(wanted);
                missing.removeAll(found);
                throw new IOException(tgz + ": missing " + missing);
            }
            verifyStaged(staging, ModelSet.FACE_API);
            install(staging, cache.dir(ModelSet.FACE_API));
            log.println("face-api 1.7.15: " + wanted.size() + " files verified and installed in " + cache.dir(ModelSet.FACE_API));
        } finally {
            deleteTree(work);
        }
    }

    /** Copies and verifies FaceReID's files from a folder holding {@code LICENCE} and {@code quantized_model/}. */
    public void fetchFaceReid(Path from, boolean force) throws IOException {
        if (!force && cache.verify(ModelSet.FACEREID).isEmpty()) {
            log.println("facereid: already in " + cache.dir(ModelSet.FACEREID) + " (verified)");
            return;
        }
        if (from == null || !Files.isDirectory(from.resolve("quantized_model"))) {
            throw new IOException("FaceReID model not found" + (from == null ? "" : " in " + from)
                    + ": pass --facereid-from DIR with the folder holding quantized_model/ (in this project ../shared/models/facereid;"
                    + " upstream: GreenWaves-Technologies/FaceReID on GitHub, ReID-Demo/quantized_model and its LICENSE)");
        }
        Files.createDirectories(cache.root());
        Path work = Files.createTempDirectory(cache.root(), ".fetch-");
        try {
            Path staging = work.resolve("facereid");
            for (ExpectedFile f : ModelCache.expected(ModelSet.FACEREID)) {
                Path src = from.resolve(f.path());
                if (!Files.isRegularFile(src)) {
                    throw new IOException("FaceReID file missing: " + src);
                }
                Path dst = staging.resolve(f.path());
                Files.createDirectories(dst.getParent());
                Files.copy(src, dst);
            }
            verifyStaged(staging, ModelSet.FACEREID);
            install(staging, cache.dir(ModelSet.FACEREID));
            log.println("facereid: " + ModelCache.expected(ModelSet.FACEREID).size() + " files verified and installed in "
                    + cache.dir(ModelSet.FACEREID));
        } finally {
            deleteTree(work);
        }
    }

    private void verifyStaged(Path staging, ModelSet set) throws IOException {
        List<String> problems = new ArrayList<>();
        for (ExpectedFile f : ModelCache.expected(set)) {
            String p = ModelCache.check(staging.resolve(f.path()), f);
            if (p != null) {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("refusing " + set.folder() + ":\n  " + String.join("\n  ", problems));
        }
    }

    private static void install(Path staging, Path target) throws IOException {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    private Path npmPack(Path work) throws IOException, InterruptedException {
        log.println("face-api 1.7.15: npm pack " + FACE_API_SPEC + " ...");
        ProcessBuilder pb = new ProcessBuilder("npm", "pack", FACE_API_SPEC, "--pack-destination", work.toString(),
                "--silent").redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("npm not found on PATH: install Node.js 20 and npm (Debian: apt-get install nodejs npm),"
                    + " or run 'npm pack " + FACE_API_SPEC + "' elsewhere and pass --tarball FILE", e);
        }
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("npm pack timed out after 10 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IOException("npm pack " + FACE_API_SPEC + " failed (exit " + p.exitValue() + "):\n"
                    + new String(out, java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack wrote no .tgz into " + work));
        }
    }

    /** The npm-style {@code sha512-<base64>} integrity string of a file. */
    static String integrity(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
