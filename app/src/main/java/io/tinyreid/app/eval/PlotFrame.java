package io.tinyreid.app.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * The frame the evaluation plots (ROC, DET) draw their curves in: a white 760x560 picture with a
 * title, a log rate axis from 1e-3 to 1 across, and up either the same log axis or a linear 0..1
 * axis, grid lines, axis names and a legend; curves are step plots in the series' colours.
 */
public final class PlotFrame {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final Color GRID = new Color(0xdddddd);
    private static final double MIN_LOG = -3;
    private static final int WIDTH = 760;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int TOP = 50;
    private static final int PW = WIDTH - LEFT - 20;
    private static final int PH = HEIGHT - TOP - 60;

    private final BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    private final Graphics2D g = img.createGraphics();
    private final boolean logY;
    private int series;
    private int px = -1;
    private int py = -1;

    /** A frame titled {@code title} with axis names; {@code logY}: the vertical axis is log 1e-3..1, else linear 0..1. */
    public PlotFrame(String title, String xName, String yName, boolean logY) {
        this.logY = logY;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int e = -3; e <= 0; e++) {
            int x = x(Math.pow(10, e));
            tick(x, TOP, x, TOP + PH, e == 0 ? "1" : "1e" + e, x - width(e == 0 ? "1" : "1e" + e) / 2, TOP + PH + 18);
        }
        int steps = logY ? 3 : 10;
        for (int k = 0; k <= steps; k++) {
            double v = logY ? Math.pow(10, k - 3) : k / 10.0;
            String s = logY ? (k == 3 ? "1" : "1e" + (k - 3)) : String.format(Locale.ROOT, "%.1f", v);
            int y = y(v);
            tick(LEFT, y, LEFT + PW, y, s, LEFT - 8 - width(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, PW, PH);
        g.drawString(xName, LEFT + PW / 2 - width(xName) / 2, HEIGHT - 20);
        g.rotate(-Math.PI / 2);
        g.drawString(yName, -(TOP + PH / 2 + width(yName) / 2), 25);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }

    private void tick(int x0, int y0, int x1, int y1, String label, int lx, int ly) {
        g.setColor(GRID);
        g.drawLine(x0, y0, x1, y1);
        g.setColor(Color.DARK_GRAY);
        g.drawString(label, lx, ly);
    }

    private int width(String s) {
        return g.getFontMetrics().stringWidth(s);
    }

    /** Starts the next curve: its colour, and its legend line {@code label} (the legend stacks down from {@code legendTop}). */
    public void series(String label, boolean legendTop) {
        Color col = COLOURS[series % COLOURS.length];
        int ly = legendTop ? TOP + 20 + 20 * series : TOP + PH - 20 - 20 * series;
        g.setColor(col);
        g.fillRect(LEFT + PW - 300, ly - 9, 18, 4);
        g.setColor(Color.BLACK);
        g.drawString(label, LEFT + PW - 275, ly - 3);
        g.setColor(col);
        g.setStroke(new BasicStroke(2f));
        series++;
        px = -1;
        py = -1;
    }

    /** The curve's next point: a step (across at the previous height, then up or down). */
    public void step(double xRate, double yValue) {
        int x = x(xRate);
        int y = y(yValue);
        if (px >= 0) {
            g.drawLine(px, py, x, py);
            g.drawLine(x, py, x, y);
        }
        px = x;
        py = y;
    }

    /** A dot on the current curve (its operating point). */
    public void dot(double xRate, double yValue) {
        g.fillOval(x(xRate) - 5, y(yValue) - 5, 10, 10);
    }

    /** A note in the plot's lower left corner. */
    public void note(String s) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(s, LEFT + 10, TOP + PH - 10);
    }

    /** Writes the PNG. */
    public void write(Path png) throws IOException {
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static int x(double rate) {
        return LEFT + (int) Math.round((log(rate) - MIN_LOG) / -MIN_LOG * PW);
    }

    private int y(double v) {
        double f = logY ? (log(v) - MIN_LOG) / -MIN_LOG : v;
        return TOP + PH - (int) Math.round(f * PH);
    }

    private static double log(double rate) {
        return Math.log10(Math.max(rate, Math.pow(10, MIN_LOG)));
    }
}
