package io.tinyreid.app.face;

import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces in a decoded photo (port; the vision module's Haar detector implements it). */
public interface FaceFinder {
    /** Faces in {@code photo}, any order; empty when there is none. */
    List<FaceBox> find(BufferedImage photo);
}
