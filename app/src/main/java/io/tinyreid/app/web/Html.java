package io.tinyreid.app.web;

/**
 * Builds the UI's HTML. Every value that did not come from this class's own literals goes
 * through {@link #esc}; pages are plain server-rendered HTML with one stylesheet and small
 * scripts (no inline script, so the Content-Security-Policy can forbid it).
 */
public final class Html {
    private Html() {}

    /** Escapes text for HTML element content and double-quoted attributes. */
    public static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append(' ');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Navigation entries: path and label. */
    private static final String[][] NAV = {
            {"/live", "Live"}, {"/people", "People"}, {"/strangers", "Strangers"},
            {"/history", "History"}, {"/settings", "Settings"}};

    /**
     * A whole page: head, top bar with navigation (when {@code csrf} is not null, i.e. logged in),
     * an optional flash message, and {@code body}.
     */
    public static String page(String title, String active, String csrf, String flash, boolean flashIsError,
                              String body, String... scripts) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · TinyReID</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/app.css\">")
                .append("<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">");
        if (csrf != null) {
            sb.append("<meta name=\"csrf-token\" content=\"").append(esc(csrf)).append("\">");
        }
        for (String s : scripts) {
            sb.append("<script defer src=\"").append(esc(s)).append("\"></script>");
        }
        sb.append("</head><body><header class=\"bar\"><a class=\"brand\" href=\"/\">")
                .append("<img src=\"/static/icon.svg\" alt=\"\" width=\"22\" height=\"22\"> TinyReID</a>");
        if (csrf != null) {
            sb.append("<nav>");
            for (String[] n : NAV) {
                sb.append("<a href=\"").append(n[0]).append('"');
                if (n[0].equals(active)) {
                    sb.append(" class=\"active\" aria-current=\"page\"");
                }
                sb.append('>').append(n[1]).append("</a>");
            }
            sb.append("</nav><form method=\"post\" action=\"/logout\" class=\"logout\">")
                    .append(csrfField(csrf)).append("<button class=\"link\">Log out</button></form>");
        }
        sb.append("</header><main>");
        if (flash != null) {
            sb.append("<p class=\"flash").append(flashIsError ? " error" : "").append("\" role=\"")
                    .append(flashIsError ? "alert" : "status").append("\">").append(esc(flash)).append("</p>");
        }
        sb.append(body).append("</main></body></html>");
        return sb.toString();
    }

    /** The hidden form field carrying the CSRF token. */
    public static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"_csrf\" value=\"" + esc(csrf) + "\">";
    }
}
