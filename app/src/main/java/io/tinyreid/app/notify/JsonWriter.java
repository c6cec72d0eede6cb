package io.tinyreid.app.notify;

import java.util.Locale;

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
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb + "}";
    }
}
