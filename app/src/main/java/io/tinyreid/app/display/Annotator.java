package io.tinyreid.app.display;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.source.Frame;

/**
 * Draws a live snapshot for people to look at: the colour frame with a box and a name tag per
 * face (green known, red stranger, amber still deciding), optionally enlarged for the screen.
 */
public final class Annotator {
    static final Color KNOWN = new Color(0x2E, 0xCC, 0x71);
    static final Color STRANGER = new Color(0xE7, 0x4C, 0x3C);
    static final Color PENDING = new Color(0xF3, 0x9C, 0x12);

    private final int scale;
    private BufferedImage frameImage;
    private BufferedImage out;

    /** @param scale output enlargement (1 = QVGA; 2 makes names readable on a desktop screen) */
    public Annotator(int scale) {
        if (scale < 1 || scale > 4) {
            throw new IllegalArgumentException("scale must be 1..4");
        }
        this.scale = scale;
    }

    /** Renders {@code s} into an image owned by this annotator (valid until the next call). */
    public BufferedImage render(LiveView.Snapshot s) {
        Frame f = s.frame;
        int w = Math.max(1, f.width());
        int h = Math.max(1, f.height());
        if (frameImage == null || frameImage.getWidth() != w || frameImage.getHeight() != h) {
            frameImage = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] bgr = ((DataBufferByte) frameImage.getRaster().getDataBuffer()).getData();
        byte[] r = f.rgb().red();
        byte[] gr = f.rgb().green();
        byte[] b = f.rgb().blue();
        int n = f.width() * f.height();
        for (int i = 0, j = 0; i < n; i++, j += 3) {
            bgr[j] = b[i];
            bgr[j + 1] = gr[i];
            bgr[j + 2] = r[i];
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(frameImage, 0, 0, w * scale, h * scale, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11 * scale));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < s.count; i++) {
                Color c = switch (s.kind[i]) {
                    case KNOWN -> KNOWN;
                    case STRANGER -> STRANGER;
                    case PENDING -> PENDING;
                };
                int bx = s.x[i] * scale;
                int by = s.y[i] * scale;
                int bw = s.w[i] * scale;
                int bh = s.h[i] * scale;
                g.setColor(c);
                g.setStroke(new BasicStroke(2f * scale));
                g.drawRect(bx, by, bw, bh);
                String text = tag(s, i);
                int tw = fm.stringWidth(text) + 6 * scale;
                int th = fm.getHeight();
                int ty = by - th >= 0 ? by - th : by + bh;
                g.fillRect(bx - scale, ty, tw, th);
                g.setColor(Color.WHITE);
                g.drawString(text, bx + 2 * scale, ty + fm.getAscent());
            }
            if (!s.signal) {
                String text = "no signal";
                g.setColor(STRANGER);
                g.fillRect(0, 0, fm.stringWidth(text) + 8 * scale, fm.getHeight() + 2 * scale);
                g.setColor(Color.WHITE);
                g.drawString(text, 4 * scale, scale + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The text next to a face: "Alice 0.41", "stranger", or "…" while votes are being collected. */
    public static String tag(LiveView.Snapshot s, int i) {
        return switch (s.kind[i]) {
            case PENDING -> "\u2026";
            case STRANGER -> s.label[i].isEmpty() ? "stranger" : s.label[i];
            case KNOWN -> s.label[i] + (Float.isNaN(s.distance[i]) ? "" : " " + Scores.format(s.distance[i]));
        };
    }
}
