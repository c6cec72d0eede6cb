package io.tinyreid.app.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Draws ROC curves (true accept rate against false accept rate, log scale) into a PNG. */
public final class RocPlot {
    private RocPlot() {}

    /** Writes the curves (label to points) with a title; FAR from 1e-3 to 1 on a log axis. */
    public static void write(Path png, String title, Map<String, List<VerificationProtocol.RocPoint>> curves) throws IOException {
        PlotFrame f = new PlotFrame(title, "false accept rate (log)", "true accept rate", false);
        for (Map.Entry<String, List<VerificationProtocol.RocPoint>> e : curves.entrySet()) {
            f.series(e.getKey(), false);
            for (VerificationProtocol.RocPoint p : e.getValue()) {
                f.step(p.far(), p.tar());
            }
        }
        f.write(png);
    }
}
