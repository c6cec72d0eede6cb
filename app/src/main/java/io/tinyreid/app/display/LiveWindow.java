package io.tinyreid.app.display;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.util.function.Supplier;

import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

import io.tinyreid.app.pipeline.LiveView;

/** The desktop display: a window showing the annotated live view and the status line. */
public final class LiveWindow implements AutoCloseable {
    private final JFrame frame;
    private final Thread painter;
    private volatile boolean running = true;
    private volatile BufferedImage shown;

    private LiveWindow(LiveView view, Supplier<String> status, Runnable onClose) {
        JLabel statusLabel = new JLabel(" ");
        JPanel screen = new JPanel() {
            @Override
            protected void paintComponent(Graphics g) {
                super.paintComponent(g);
                BufferedImage img = shown;
                if (img != null) {
                    double s = Math.min((double) getWidth() / img.getWidth(), (double) getHeight() / img.getHeight());
                    int w = (int) (img.getWidth() * s);
                    int h = (int) (img.getHeight() * s);
                    g.drawImage(img, (getWidth() - w) / 2, (getHeight() - h) / 2, w, h, null);
                }
            }
        };
        screen.setPreferredSize(new Dimension(640, 480));
        screen.setBackground(java.awt.Color.BLACK);
        frame = new JFrame("TinyReID doorbell");
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        frame.getContentPane().add(screen, BorderLayout.CENTER);
        frame.getContentPane().add(statusLabel, BorderLayout.SOUTH);
        frame.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosed(java.awt.event.WindowEvent e) {
                running = false;
                onClose.run();
            }
        });
        frame.pack();
        frame.setLocationByPlatform(true);
        frame.setVisible(true);
        painter = Thread.ofPlatform().name("window").daemon().start(() -> {
            Annotator annotator = new Annotator(2);
            LiveView.Snapshot snap = new LiveView.Snapshot();
            long seq = 0;
            while (running) {
                try {
                    if (view.copyNewer(seq, 500, snap)) {
                        seq = snap.sequence;
                        BufferedImage src = annotator.render(snap);
                        BufferedImage copy = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                        copy.getGraphics().drawImage(src, 0, 0, null);
                        shown = copy;
                    }
                    String line = status.get();
                    SwingUtilities.invokeLater(() -> {
                        statusLabel.setText(line);
                        screen.repaint();
                    });
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Opens the window, or explains why there is no display. */
    public static LiveWindow open(LiveView view, Supplier<String> status, Runnable onClose) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display for --window (DISPLAY is not set); use --web instead");
        }
        LiveWindow[] w = new LiveWindow[1];
        try {
            SwingUtilities.invokeAndWait(() -> w[0] = new LiveWindow(view, status, onClose));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the window");
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("cannot open a window: " + e.getCause().getMessage());
        }
        return w[0];
    }

    @Override
    public void close() {
        running = false;
        painter.interrupt();
        SwingUtilities.invokeLater(frame::dispose);
    }
}
