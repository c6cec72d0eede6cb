package io.tinyreid.app.notify;

import java.util.Locale;

import io.tinyreid.app.json.JsonString;

/** Builds one flat JSON object (strings, numbers, booleans, null), escaping strings per RFC 8259. */
final class JsonWriter {
    private final StringBuilder sb = new StringBuilder("{");
    private boolean first = true;

    JsonWriter put(String key, Object value) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        string(key);
        sb.append(':');
        switch (value) {
            case null -> sb.append("null");
            case String s -> string(s);
            case Boolean b -> sb.append(b);
            case Double d when !Double.isFinite(d) -> sb.append("null");
            case Double d -> sb.append(String.format(Locale.ROOT, "%.6g", d).replaceFirst("\\.?0+(e|$)", "$1"));
            case Number n -> sb.append(n);
            case RawJson raw -> sb.append(raw.json());
            default -> string(value.toString());
        }
        return this;
    }

    /** Already-encoded JSON (a nested object or array) to embed as is. */
    record RawJson(String json) {}

    private void string(String s) {
        JsonString.append(sb, s);
    }

    @Override
    public String toString() {
        return sb + "}";
    }
}
