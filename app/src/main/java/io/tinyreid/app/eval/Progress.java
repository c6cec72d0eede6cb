package io.tinyreid.app.eval;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress report on the console: count, rate and time left, redrawn in place. */
public final class Progress {
    private final PrintStream out;
    private final String what;
    private final int total;
    private final long start = System.nanoTime();
    private int last = -1;

    /** Reports on {@code out} about {@code total} images of {@code what}. */
    public Progress(PrintStream out, String what, int total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    /** Shows {@code done} of the total. */
    public void show(int done) {
        if (done == last) {
            return;
        }
        last = done;
        double s = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(s, 1e-9);
        long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
        out.printf(Locale.ROOT, "\r%s: %d/%d images (%.1f/s, %s left)   ", what, done, total, rate,
                eta < 0 ? "?" : eta / 60 + "m" + String.format(Locale.ROOT, "%02d", eta % 60) + "s");
        out.flush();
    }

    /** Ends the line. */
    public void finish() {
        out.println();
    }
}
