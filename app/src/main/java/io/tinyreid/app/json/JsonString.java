package io.tinyreid.app.json;

/**
 * JSON string literals per RFC 8259, made safe for every place the product puts JSON: '<' is
 * escaped so a literal never closes an HTML script element, U+2028/U+2029 so JavaScript accepts it.
 */
public final class JsonString {
    private JsonString() {}

    /** {@code s} as a JSON string literal; {@code null} as {@code null}. */
    public static String quote(String s) {
        return s == null ? "null" : append(new StringBuilder(s.length() + 2), s).toString();
    }

    /** Appends {@code s} to {@code sb} as a JSON string literal ({@code null} as {@code null}). */
    public static StringBuilder append(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append("null");
        }
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
                    if (c < 0x20 || c == '<' || c == 0x2028 || c == 0x2029) {
                        sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
