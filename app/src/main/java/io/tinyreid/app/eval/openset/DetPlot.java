package io.tinyreid.app.eval.openset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tinyreid.app.eval.PlotFrame;

/**
 * Draws open-set DET curves into a PNG: genuine probes not named correctly against strangers named,
 * both on log axes from 1e-3 to 1, with a marker at each curve's operating point.
 */
public final class DetPlot {
    /** A curve and its operating point (strangers named, missed). */
    public record Curve(List<OpenSetProtocol.DetPoint> points, double namedAtDefault, double missedAtDefault) {}

    private DetPlot() {}

    /** Writes the curves (label to curve) with a title. */
    public static void write(Path png, String title, Map<String, Curve> curves) throws IOException {
        PlotFrame f = new PlotFrame(title, "strangers named (log)", "household members not named (log)", true);
        for (Map.Entry<String, Curve> e : curves.entrySet()) {
            f.series(e.getKey(), true);
            for (OpenSetProtocol.DetPoint p : e.getValue().points()) {
                f.step(p.strangersNamed(), p.missed());
            }
            f.dot(e.getValue().namedAtDefault(), e.getValue().missedAtDefault());
        }
        f.note("dots: the product's accept rule");
        f.write(png);
    }
}
