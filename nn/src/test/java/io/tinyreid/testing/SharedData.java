package io.tinyreid.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared evaluation data (DESIGN.md section 5) for tests.
 *
 * <p>The location comes from one place: the system property {@code tinyreid.shared}, set by the
 * build (root POM) and defaulting to {@code ../shared}. When a needed file is missing the test is
 * skipped with a message naming it, unless {@code tinyreid.requireShared=true} (CI), where it fails.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared directory, whether or not it exists. */
    public static Path root() {
        return Path.of(System.getProperty("tinyreid.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** Resolves a path under the shared directory, skipping (or failing in CI) the test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String msg = "shared test data missing: " + p
                    + " (set -Dtinyreid.shared=DIR; see DESIGN.md section 5)";
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    /** The model cache directory used by {@code tinyreid models fetch} (outside the source tree). */
    public static Path cache() {
        String prop = System.getProperty("tinyreid.cache");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tinyreid");
    }

    /** Resolves a path under the model cache, skipping (or failing in CI) when it has not been fetched. */
    public static Path requireCached(String relative) {
        Path p = cache().resolve(relative);
        if (!Files.exists(p)) {
            String msg = "fetched model missing: " + p + " (run ./tinyreid models fetch)";
            if (Boolean.getBoolean("tinyreid.requireShared")) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }
}
