package io.tinyreid.app.gallery;

import java.util.List;

/** Result of re-embedding stored photos for a model: how many were embedded, and which failed and why. */
public record ReembedReport(String modelId, int embedded, int alreadyPresent, List<String> failures) {}
