package io.tinyreid.app.eval;

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

/** Draws ROC curves (true accept rate against false accept rate, log scale) into a PNG. */
public final class RocPlot {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private RocPlot() {}

    /** Writes the curves (label to points) with a title; FAR from 1e-3 to 1 on a log axis. */
    public static void write(Path png, String title, Map<String, List<VerificationProtocol.RocPoint>> curves) throws IOException {
        int w = 760;
        int h = 560;
        int left = 80;
        int right = 20;
        int top = 50;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int pw = w - left - right;
        int ph = h - top - bottom;
        double minLog = -3;
        // Grid and axes: FAR decades, TAR tenths.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int e = -3; e <= 0; e++) {
            int x = left + (int) Math.round((e - minLog) / -minLog * pw);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            String s = e == 0 ? "1" : "1e" + e;
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, top + ph + 18);
        }
        for (int k = 0; k <= 10; k++) {
            int y = top + ph - (int) Math.round(k / 10.0 * ph);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            String s = String.format("%.1f", k / 10.0);
            g.drawString(s, left - 8 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("false accept rate (log)", left + pw / 2 - 60, h - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("true accept rate", -(top + ph / 2 + 45), 25);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int c = 0;
        for (Map.Entry<String, List<VerificationProtocol.RocPoint>> e : curves.entrySet()) {
            Color col = COLOURS[c % COLOURS.length];
            g.setColor(col);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (VerificationProtocol.RocPoint p : e.getValue()) {
                double far = Math.max(p.far(), Math.pow(10, minLog));
                int x = left + (int) Math.round((Math.log10(far) - minLog) / -minLog * pw);
                int y = top + ph - (int) Math.round(p.tar() * ph);
                if (px >= 0) {
                    // Step plot: horizontal at the old TAR, then up.
                    g.drawLine(px, py, x, py);
                    g.drawLine(x, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = top + ph - 20 - 20 * (curves.size() - 1 - c);
            g.fillRect(left + pw - 230, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw - 205, ly - 3);
            c++;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
