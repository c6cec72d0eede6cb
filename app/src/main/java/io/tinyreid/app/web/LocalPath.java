package io.tinyreid.app.web;

import java.util.regex.Pattern;

/** Where the UI may send a browser after a form: only a path on this server, never another host. */
final class LocalPath {
    /** One leading slash, then plain path characters: "//host", "/\host" and "https:" are not local. */
    private static final Pattern LOCAL = Pattern.compile("/(?![/\\\\])[A-Za-z0-9_\\-/]{0,80}");

    private LocalPath() {}

    /** {@code candidate} when it is a local path, otherwise {@code fallback}. */
    static String orElse(String candidate, String fallback) {
        return candidate != null && LOCAL.matcher(candidate).matches() ? candidate : fallback;
    }
}
