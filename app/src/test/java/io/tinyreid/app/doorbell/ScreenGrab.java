package io.tinyreid.app.doorbell;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.io.File;

import javax.imageio.ImageIO;

/** Child-process helper for {@link WindowTest}: writes a PNG of the whole X screen named by DISPLAY. */
public final class ScreenGrab {
    private ScreenGrab() {}

    public static void main(String[] args) throws Exception {
        var shot = new Robot().createScreenCapture(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()));
        ImageIO.write(shot, "png", new File(args[0]));
    }
}
