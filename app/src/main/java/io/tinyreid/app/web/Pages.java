package io.tinyreid.app.web;

import java.nio.charset.StandardCharsets;

import io.javalin.http.Context;

import io.tinyreid.app.json.JsonString;

/** Renders pages for the logged-in UI and the error page, with the session's CSRF token and flash. */
public final class Pages {
    private final WebServer server;
    private volatile java.util.function.Supplier<String> banner = () -> "";

    Pages(WebServer server) {
        this.server = server;
    }

    /** Sends a full page for the logged-in user. */
    public void render(Context ctx, String title, String active, String body, String... scripts) {
        Sessions.Session s = WebServer.session(ctx);
        String b = banner.get();
        String all = b.isEmpty() ? body : "<section class=\"card banner\" role=\"alert\">" + b + "</section>" + body;
        send(ctx, 200, Html.page(title, active, s.csrf(), s.takeFlash(), s.flashIsError(), all, scripts));
    }

    /** Puts {@code html} (escaped by the caller; "" for none), asked anew for every page, atop each logged-in page. */
    public void banner(java.util.function.Supplier<String> html) {
        banner = java.util.Objects.requireNonNull(html);
    }

    /** The session's CSRF token (for forms). */
    public String csrf(Context ctx) {
        return WebServer.session(ctx).csrf();
    }

    /** Leaves a one-shot message for the next page and redirects there (POST-redirect-GET). */
    public void redirect(Context ctx, String to, String message, boolean error) {
        WebServer.session(ctx).flash(message, error);
        ctx.redirect(to, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void send(Context ctx, int status, String html) {
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(html.getBytes(StandardCharsets.UTF_8));
    }

    /** A friendly error: JSON for scripts, a page for people. Never a stack trace. */
    void error(Context ctx, int status, String message) {
        if (status == 302) {
            return; // a redirect already decided by the guard
        }
        String msg = message == null || message.isBlank() ? "The request could not be handled." : message;
        String accept = ctx.header("Accept");
        if (ctx.path().startsWith("/api/") || (accept != null && accept.startsWith("application/json"))) {
            ctx.status(status).contentType("application/json").result("{\"error\":" + JsonString.quote(msg) + "}");
            return;
        }
        Sessions.Session s = WebServer.session(ctx);
        boolean in = s != null && s.authenticated();
        String back = in ? "<a class=\"button\" href=\"/live\">Live view</a> <a class=\"button\" href=\"/people\">People</a>"
                : "<a class=\"button\" href=\"/login\">Log in</a>";
        send(ctx, status, Html.page("Problem", null, in ? s.csrf() : null, null, false,
                "<section class=\"card narrow\"><h1>" + (status >= 500 ? "Sorry" : "That did not work")
                        + "</h1><p class=\"flash error\" role=\"alert\">" + Html.esc(msg) + "</p><p>" + back + "</p></section>"));
    }

    WebServer server() {
        return server;
    }
}
