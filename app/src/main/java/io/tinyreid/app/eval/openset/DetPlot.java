package io.tinyreid.app.eval.openset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws open-set DET curves into a PNG: genuine probes not named correctly against strangers named,
 * both on log axes from 1e-3 to 1, with a marker at each curve's operating point.
 */
public final class DetPlot {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final double MIN_LOG = -3;

    /** A curve and its operating point (strangers named, missed). */
    public record Curve(List<OpenSetProtocol.DetPoint> points, double namedAtDefault, double missedAtDefault) {}

    private DetPlot() {}

    /** Writes the curves (label to curve) with a title. */
    public static void write(Path png, String title, Map<String, Curve> curves) throws IOException {
        int w = 760;
        int h = 560;
        int left = 80;
        int top = 50;
        int pw = w - left - 20;
        int ph = h - top - 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int e = -3; e <= 0; e++) {
            String s = e == 0 ? "1" : "1e" + e;
            int x = left + (int) Math.round((e - MIN_LOG) / -MIN_LOG * pw);
            int y = top + ph - (int) Math.round((e - MIN_LOG) / -MIN_LOG * ph);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, top + ph);
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, top + ph + 18);
            g.drawString(s, left - 8 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("strangers named (log)", left + pw / 2 - 60, h - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("household members not named (log)", -(top + ph / 2 + 100), 25);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int c = 0;
        for (Map.Entry<String, Curve> e : curves.entrySet()) {
            Color col = COLOURS[c % COLOURS.length];
            g.setColor(col);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (OpenSetProtocol.DetPoint p : e.getValue().points()) {
                int x = xOf(p.strangersNamed(), left, pw);
                int y = yOf(p.missed(), top, ph);
                if (px >= 0) {
                    g.drawLine(px, py, x, py);
                    g.drawLine(x, py, x, y);
                }
                px = x;
                py = y;
            }
            int ox = xOf(e.getValue().namedAtDefault(), left, pw);
            int oy = yOf(e.getValue().missedAtDefault(), top, ph);
            g.fillOval(ox - 5, oy - 5, 10, 10);
            int ly = top + 20 + 20 * c;
            g.fillRect(left + pw - 300, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw - 275, ly - 3);
            c++;
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("dots: the product's accept rule", left + 10, top + ph - 10);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static int xOf(double rate, int left, int pw) {
        double v = Math.log10(Math.max(rate, Math.pow(10, MIN_LOG)));
        return left + (int) Math.round((v - MIN_LOG) / -MIN_LOG * pw);
    }

    private static int yOf(double rate, int top, int ph) {
        double v = Math.log10(Math.max(rate, Math.pow(10, MIN_LOG)));
        return top + ph - (int) Math.round((v - MIN_LOG) / -MIN_LOG * ph);
    }
}
