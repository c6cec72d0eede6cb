package io.tinyreid.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.tinyreid.app.models.ModelFetcher;
import io.tinyreid.nn.models.ModelCache;
import io.tinyreid.nn.models.ModelCache.ModelSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyreid models fetch|status}: the model files that come from outside the repository. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Fetch and verify the model files (face-api via npm, FaceReID JSON) in the cache.",
        subcommands = {ModelsCommand.Fetch.class, ModelsCommand.Status.class})
public final class ModelsCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static ModelCache cacheFrom(Path dir) {
        return dir != null ? new ModelCache(dir) : ModelCache.standard();
    }

    /** Where FaceReID is taken from when no folder is given: $TINYREID_SHARED or ../shared, as the tests do. */
    static Path defaultFaceReidSource() {
        String shared = System.getenv("TINYREID_SHARED");
        Path base = shared != null && !shared.isBlank() ? Path.of(shared)
                : Path.of(System.getProperty("tinyreid.shared", "../shared"));
        Path p = base.resolve("models/facereid").toAbsolutePath().normalize();
        return Files.isDirectory(p) ? p : null;
    }

    /** Downloads what is missing and verifies everything. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "npm pack @vladmandic/face-api@1.7.15 into the cache and copy FaceReID's JSON; verify sizes and checksums.")
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--cache", description = "cache folder (default: $TINYREID_CACHE or ~/.cache/tinyreid)")
        Path cache;

        @Option(names = "--tarball", description = "use this face-api 1.7.15 .tgz instead of running npm pack")
        Path tarball;

        @Option(names = "--facereid-from", description = "folder with FaceReID's quantized_model/ (default: ../shared/models/facereid)")
        Path facereidFrom;

        @Option(names = "--force", description = "fetch again even when the cache verifies")
        boolean force;

        @Override
        public Integer call() throws Exception {
            ModelFetcher f = new ModelFetcher(cacheFrom(cache), System.out);
            int failures = 0;
            try {
                f.fetchFaceApi(tarball, force);
            } catch (java.io.IOException e) {
                System.err.println("error: " + e.getMessage());
                failures++;
            }
            try {
                f.fetchFaceReid(facereidFrom != null ? facereidFrom : defaultFaceReidSource(), force);
            } catch (java.io.IOException e) {
                System.err.println("error: " + e.getMessage());
                failures++;
            }
            return failures == 0 ? 0 : 1;
        }
    }

    /** Reports whether each model set is present and intact. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Verify the cached model files.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--cache", description = "cache folder (default: $TINYREID_CACHE or ~/.cache/tinyreid)")
        Path cache;

        @Override
        public Integer call() throws Exception {
            ModelCache c = cacheFrom(cache);
            int bad = 0;
            for (ModelSet set : ModelSet.values()) {
                List<String> problems = c.verify(set);
                if (problems.isEmpty()) {
                    System.out.println(set.folder() + ": ok (" + ModelCache.expected(set).size() + " files) in " + c.dir(set));
                } else if (problems.size() == ModelCache.expected(set).size()
                        && problems.stream().allMatch(p -> p.endsWith(": missing"))) {
                    bad++;
                    System.out.println(set.folder() + ": not fetched (run ./tinyreid models fetch)");
                } else {
                    bad++;
                    System.out.println(set.folder() + ": NOT USABLE\n  " + String.join("\n  ", problems));
                }
            }
            return bad == 0 ? 0 : 1;
        }
    }
}
