package io.tinyreid.nn.plan;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws an arena as a PNG: time across (columns: weight tiles of a network, or phases of the
 * doorbell's frame loop), addresses up, one rectangle per buffer over the time it is live, a
 * dashed line at the peak and a red one at the budget. {@link MemoryMapImage} draws a network's
 * plan with it; the doorbell's whole-device budget draws its layout with it.
 */
public final class ArenaChart {
    /** A buffer: {@code category} picks its colour from the legend; live in columns {@code first..last}. */
    public record Block(String label, String category, long offset, long bytes, int first, int last) {}

    /** A label on the time axis at {@code column}. */
    public record Marker(int column, String label) {}

    /**
     * What to draw.
     *
     * @param title        headline
     * @param columns      number of time units across
     * @param blocks       the buffers
     * @param markers      time-axis labels (drawn under the column: upright when there are few
     *                     columns, rotated otherwise)
     * @param legend       category to colour, in legend order
     * @param peak         highest byte used
     * @param budget       the budget (drawn when within the shown span)
     * @param wholeBudget  show the address axis up to the budget (headroom visible) rather than
     *                     just above the peak
     * @param blockLabels  write each block's label inside it where it fits
     */
    public record Spec(String title, int columns, List<Block> blocks, List<Marker> markers, Map<String, Color> legend,
                       long peak, long budget, boolean wholeBudget, boolean blockLabels) {}

    private ArenaChart() {}

    /** Draws {@code spec} into {@code png}. */
    public static void write(Spec spec, Path png) {
        try {
            if (!ImageIO.write(draw(spec), "png", png.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** Draws {@code spec}. */
    public static BufferedImage draw(Spec spec) {
        boolean upright = spec.columns() <= 12;
        int left = 90;
        int right = 250;
        int top = 40;
        int bottom = upright ? 70 : 190;
        int plotW = 1100;
        int plotH = 560;
        BufferedImage img = new BufferedImage(left + plotW + right, top + plotH + bottom, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int cols = Math.max(1, spec.columns());
        long span = spec.wholeBudget() ? Math.max(spec.peak(), spec.budget())
                : Math.max(spec.peak(), Math.min(spec.budget(), spec.peak() * 5 / 4));
        span = Math.max(1, span);
        double xs = (double) plotW / cols;
        double ys = (double) plotH / span;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (Block b : spec.blocks()) {
            int x0 = left + (int) Math.round(b.first() * xs);
            int x1 = left + (int) Math.round((b.last() + 1) * xs);
            int y1 = top + plotH - (int) Math.round(b.offset() * ys);
            int y0 = top + plotH - (int) Math.round((b.offset() + b.bytes()) * ys);
            int w = Math.max(1, x1 - x0);
            int h = Math.max(1, y1 - y0);
            Color c = spec.legend().getOrDefault(b.category(), Color.LIGHT_GRAY);
            g.setColor(c);
            g.fillRect(x0, y0, w, h);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x0, y0, w, h);
            if (spec.blockLabels() && h >= fm.getHeight() + 2) {
                g.setColor(luma(c) < 120 ? Color.WHITE : Color.BLACK);
                int split = b.label().lastIndexOf("  ");
                if (fm.stringWidth(b.label()) > w - 6 && split > 0 && h >= 2 * fm.getHeight() + 2) {
                    // two lines: the name, then what follows the double space (the size)
                    int mid = y0 + h / 2;
                    g.drawString(fit(b.label().substring(0, split), fm, w - 6), x0 + 4, mid - fm.getDescent());
                    g.drawString(fit(b.label().substring(split + 2), fm, w - 6), x0 + 4, mid + fm.getAscent());
                } else {
                    String text = fit(b.label(), fm, w - 6);
                    if (!text.isEmpty()) {
                        g.drawString(text, x0 + 4, y0 + (h + fm.getAscent() - fm.getDescent()) / 2);
                    }
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        int step = span > 600 * 1024 ? 128 : span > 300 * 1024 ? 64 : 32;
        for (long kib = 0; kib * 1024L <= span; kib += step) {
            int y = top + plotH - (int) Math.round(kib * 1024L * ys);
            g.drawLine(left - 4, y, left, y);
            g.drawString(kib + " KiB", 20, y + 4);
        }
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        int peakY = top + plotH - (int) Math.round(spec.peak() * ys);
        g.drawLine(left, peakY, left + plotW, peakY);
        g.drawString(String.format(Locale.ROOT, "peak %,d B", spec.peak()), left + plotW + 6, peakY + 4);
        if (spec.budget() <= span) {
            int by = top + plotH - (int) Math.round(spec.budget() * ys);
            g.setColor(Color.RED);
            g.drawLine(left, by, left + plotW, by);
            g.drawString(String.format(Locale.ROOT, "budget %,d B", spec.budget()), left + plotW + 6, by + 4);
            g.setColor(Color.BLACK);
        }
        g.setStroke(new BasicStroke(1f));
        AffineTransform base = g.getTransform();
        for (Marker m : spec.markers()) {
            int x = left + (int) Math.round(m.column() * xs);
            g.setColor(new Color(0, 0, 0, 60));
            g.drawLine(x, top, x, top + plotH);
            g.setColor(Color.BLACK);
            if (upright) {
                String text = fit(m.label(), fm, (int) xs - 4);
                g.drawString(text, x + ((int) xs - fm.stringWidth(text)) / 2, top + plotH + 18);
            } else {
                g.setTransform(base);
                g.translate(x + 3, top + plotH + 8);
                g.rotate(Math.PI / 2);
                g.drawString(m.label().length() > 34 ? m.label().substring(0, 34) : m.label(), 0, 0);
                g.setTransform(base);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(spec.title(), left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int ly = top + 10;
        for (Map.Entry<String, Color> e : spec.legend().entrySet()) {
            g.setColor(e.getValue());
            g.fillRect(left + plotW + 100, ly, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + plotW + 120, ly + 11);
            ly += 20;
        }
        g.dispose();
        return img;
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        for (int n = s.length() - 1; n > 0; n--) {
            String t = s.substring(0, n) + "\u2026";
            if (fm.stringWidth(t) <= width) {
                return t;
            }
        }
        return "";
    }

    private static int luma(Color c) {
        return (c.getRed() * 299 + c.getGreen() * 587 + c.getBlue() * 114) / 1000;
    }
}
