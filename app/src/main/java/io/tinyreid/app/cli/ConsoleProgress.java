package io.tinyreid.app.cli;

import java.io.PrintWriter;

import io.tinyreid.app.gallery.Progress;

/** Progress on stderr: a redrawn bar on a terminal, one line per item otherwise (logs, CI). */
final class ConsoleProgress implements Progress {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final String verb;
    private final boolean terminal;

    ConsoleProgress(PrintWriter err, String verb) {
        this.err = err;
        this.verb = verb;
        this.terminal = System.console() != null && System.getenv("TERM") != null;
    }

    @Override
    public void update(int done, int total, String item) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        String line = String.format("%s [%s%s] %d/%d %s", verb, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, total, item);
        if (terminal) {
            err.print("\r" + line + "\u001b[K" + (done == total ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}
