package io.tinyreid.nn.plan;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import javax.imageio.ImageIO;

/** Draws a memory plan as a PNG: time (weight tiles, steps labelled) across, arena addresses up. */
public final class MemoryMapImage {
    private static final Map<MemoryPlan.Kind, Color> COLOURS = new EnumMap<>(Map.of(
            MemoryPlan.Kind.INPUT, new Color(0x4e79a7),
            MemoryPlan.Kind.ACTIVATION, new Color(0x59a14f),
            MemoryPlan.Kind.ROWS, new Color(0x8cd17d),
            MemoryPlan.Kind.POOL_ROWS, new Color(0xb6992d),
            MemoryPlan.Kind.WEIGHTS, new Color(0xe15759),
            MemoryPlan.Kind.OUTPUT, new Color(0x76b7b2),
            MemoryPlan.Kind.KERNEL, new Color(0xb07aa1)));

    private MemoryMapImage() {}

    /** Writes the map of {@code plan} to {@code png}. */
    public static void write(MemoryPlan plan, Path png) {
        int left = 90;
        int right = 230;
        int top = 40;
        int bottom = 190;
        int plotW = 1100;
        int plotH = 560;
        BufferedImage img = new BufferedImage(left + plotW + right, top + plotH + bottom, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int tiles = plan.tileCount();
        long span = Math.max(plan.peak(), Math.min(plan.options().budgetBytes(), plan.peak() * 5 / 4));
        double xs = (double) plotW / tiles;
        double ys = (double) plotH / span;
        for (MemoryPlan.Buffer b : plan.buffers()) {
            int x0 = left + (int) Math.round(b.first() * xs);
            int x1 = left + (int) Math.round((b.last() + 1) * xs);
            int y1 = top + plotH - (int) Math.round(b.offset() * ys);
            int y0 = top + plotH - (int) Math.round(b.end() * ys);
            g.setColor(COLOURS.get(b.kind()));
            g.fillRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int kib = 0; kib * 1024L <= span; kib += span > 300 * 1024 ? 64 : 32) {
            int y = top + plotH - (int) Math.round(kib * 1024L * ys);
            g.drawLine(left - 4, y, left, y);
            g.drawString(kib + " KiB", 20, y + 4);
        }
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        int peakY = top + plotH - (int) Math.round(plan.peak() * ys);
        g.drawLine(left, peakY, left + plotW, peakY);
        g.drawString(String.format("peak %,d B", plan.peak()), left + plotW + 6, peakY + 4);
        if (plan.options().budgetBytes() <= span) {
            int by = top + plotH - (int) Math.round(plan.options().budgetBytes() * ys);
            g.setColor(Color.RED);
            g.drawLine(left, by, left + plotW, by);
            g.drawString("budget", left + plotW + 6, by + 4);
            g.setColor(Color.BLACK);
        }
        g.setStroke(new BasicStroke(1f));
        AffineTransform base = g.getTransform();
        for (MemoryPlan.Step s : plan.steps()) {
            int x = left + (int) Math.round(s.tiles().getFirst().index() * xs);
            g.setColor(new Color(0, 0, 0, 60));
            g.drawLine(x, top, x, top + plotH);
            g.setColor(Color.BLACK);
            g.setTransform(base);
            g.translate(x + 3, top + plotH + 8);
            g.rotate(Math.PI / 2);
            String label = s.ops().getFirst().label() + (s.ops().size() > 1 ? " ... (" + s.ops().size() + " streamed)" : "");
            g.drawString(label.length() > 34 ? label.substring(0, 34) : label, 0, 0);
        }
        g.setTransform(base);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(String.format("%s memory plan: peak %.1f KiB, budget %.0f KiB, %d weight tiles (time ->)",
                plan.graph().name(), plan.peak() / 1024.0, plan.options().budgetBytes() / 1024.0, tiles), left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int ly = top + 10;
        for (Map.Entry<MemoryPlan.Kind, Color> e : COLOURS.entrySet()) {
            g.setColor(e.getValue());
            g.fillRect(left + plotW + 90, ly, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), left + plotW + 110, ly + 11);
            ly += 20;
        }
        g.dispose();
        try {
            ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
