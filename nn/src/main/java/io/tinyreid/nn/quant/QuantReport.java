package io.tinyreid.nn.quant;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.ir.Conv2d;
import io.tinyreid.nn.ir.FullyConnected;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.ir.Layer;
import io.tinyreid.nn.ir.Scale;
import io.tinyreid.nn.ir.Weights;

/**
 * What quantisation did to each layer: its output format, its weight format(s) and shift, how many
 * output values saturated and the output's error against the float graph (relative RMS over the
 * inputs measured, each layer fed by the quantised layers before it, so errors accumulate as
 * they do at run time). Printed as a table and drawn as a PNG.
 */
public record QuantReport(String model, String precision, int inputs, List<Row> rows, double outputRelError,
                          double outputCosine) {
    /** One layer. */
    public record Row(String layer, String op, String outQ, String weightQ, String norm, long saturated,
                      long values, double maxAbs, double relError) {}

    /** Runs {@code inputs} through the folded float graph and the quantised one and compares every layer. */
    public static QuantReport measure(Quantiser.Result r, List<float[]> inputs) {
        Graph f = r.folded();
        Graph q = r.quantised();
        FloatExecutor fx = new FloatExecutor(f);
        IntegerReference ix = new IntegerReference(q);
        int n = q.layers().size();
        double[] errSq = new double[n];
        double[] refSq = new double[n];
        long[] count = new long[n];
        float[] out = new float[f.output().shape().size()];
        double oe = 0;
        double of = 0;
        double cos = 0;
        for (float[] in : inputs) {
            fx.run(in, out);
            float[] qo = ix.run(in);
            for (int i = 0; i < n; i++) {
                String name = q.layers().get(i).output().name();
                float[] a = fx.activation(name);
                float[] b = ix.real(name);
                for (int k = 0; k < a.length; k++) {
                    double d = a[k] - b[k];
                    errSq[i] += d * d;
                    refSq[i] += (double) a[k] * a[k];
                }
                count[i] += a.length;
            }
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int k = 0; k < out.length; k++) {
                oe += (out[k] - qo[k]) * (double) (out[k] - qo[k]);
                of += (double) out[k] * out[k];
                dot += (double) out[k] * qo[k];
                na += (double) out[k] * out[k];
                nb += (double) qo[k] * qo[k];
            }
            cos += dot / Math.sqrt(na * nb + 1e-30);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer l = q.layers().get(i);
            String wq = "";
            String norm = "";
            switch (l) {
                case Conv2d c -> {
                    wq = describe(c.weight());
                    int lo = Integer.MAX_VALUE;
                    int hi = Integer.MIN_VALUE;
                    for (int o = 0; o < c.outChannels(); o++) {
                        lo = Math.min(lo, c.norm(o));
                        hi = Math.max(hi, c.norm(o));
                    }
                    norm = lo == hi ? Integer.toString(lo) : lo + ".." + hi;
                }
                case FullyConnected fc -> {
                    wq = describe(fc.weight());
                    norm = fc.weight().perChannel() ? "per-ch" : Integer.toString(
                            fc.input().q().fracBits() + fc.weight().q().fracBits() - fc.output().q().fracBits());
                }
                case Scale s -> wq = describe(s.scale());
                default -> { }
            }
            String name = l.output().name();
            rows.add(new Row(l.name(), l.getClass().getSimpleName(), l.output().q().toString(), wq, norm,
                    ix.saturations(name), count[i], r.maxAbs().getOrDefault(name, 0f),
                    Math.sqrt(errSq[i] / Math.max(refSq[i], 1e-30))));
        }
        return new QuantReport(q.name(), r.options().precision().toString(), inputs.size(), rows,
                Math.sqrt(oe / Math.max(of, 1e-30)), cos / inputs.size());
    }

    private static String describe(Weights w) {
        if (!w.perChannel()) {
            return w.q().toString();
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int c = 0; c < w.channels(); c++) {
            lo = Math.min(lo, w.channelQ(c).fracBits());
            hi = Math.max(hi, w.channelQ(c).fracBits());
        }
        return "Q" + lo + ".." + hi + "/i8 per-ch";
    }

    /** The table as text. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "quantisation of %s to %s, measured on %d inputs%n", model, precision, inputs));
        sb.append(String.format(Locale.ROOT, "%-28s %-14s %-9s %-18s %-6s %10s %9s %10s%n",
                "layer", "op", "out Q", "weight Q", "norm", "saturated", "max|x|", "rel error"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-28s %-14s %-9s %-18s %-6s %10d %9.3f %10.2e%n", r.layer(), r.op(), r.outQ(),
                    r.weightQ(), r.norm(), r.saturated(), r.maxAbs(), r.relError()));
        }
        sb.append(String.format(Locale.ROOT, "output: relative RMS error %.3e, mean cosine to float %.6f%n", outputRelError, outputCosine));
        return sb.toString();
    }

    /** Draws the table with an error bar per layer (log scale 1e-6..1). */
    public void writePng(Path png) throws IOException {
        int rowH = 16;
        int top = 56;
        int w = 1100;
        int h = top + rowH * rows.size() + 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format(Locale.ROOT, "%s -> %s: per-layer output error vs float (%d inputs); output cosine %.5f",
                model, precision, inputs, outputCosine), 10, 22);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        int barX = 720;
        int barW = w - barX - 20;
        g.drawString(String.format("%-26s %-8s %-16s %5s %9s", "layer", "out Q", "weight Q", "norm", "saturated"), 10, top - 8);
        for (int e = -6; e <= 0; e++) {
            int x = barX + (int) ((e + 6) / 6.0 * barW);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top - 4, x, top + rowH * rows.size());
            g.setColor(Color.DARK_GRAY);
            g.drawString("1e" + e, x - 12, top - 8);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int y = top + i * rowH;
            g.setColor(i % 2 == 0 ? new Color(0xf4f4f4) : Color.WHITE);
            g.fillRect(0, y, barX - 4, rowH);
            g.setColor(r.saturated() > 0 ? new Color(0xb00000) : Color.BLACK);
            String name = r.layer().length() > 26 ? r.layer().substring(0, 26) : r.layer();
            g.drawString(String.format(Locale.ROOT, "%-26s %-8s %-16s %5s %9d", name, r.outQ(),
                    r.weightQ().length() > 16 ? r.weightQ().substring(0, 16) : r.weightQ(), r.norm(), r.saturated()), 10, y + 12);
            double e = Math.max(1e-6, Math.min(1, r.relError()));
            int len = (int) ((Math.log10(e) + 6) / 6.0 * barW);
            g.setColor(r.relError() > 0.05 ? new Color(0xd62728) : r.relError() > 0.01 ? new Color(0xff7f0e) : new Color(0x1f77b4));
            g.fillRect(barX, y + 3, Math.max(1, len), rowH - 6);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
