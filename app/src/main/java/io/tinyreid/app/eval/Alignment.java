package io.tinyreid.app.eval;

import java.util.Locale;

/** How a face is cut out for dlib-resnet. */
public enum Alignment {
    /** dlib's chip fitted to face-api's 68 landmarks (landmark net run on our engine inside the face box). */
    LANDMARKS,
    /** dlib's chip through the two eye centres found by the eye cascade inside the face box. */
    EYES,
    /** The chip a face box implies, no landmarks (also the fallback when landmarks are missing). */
    BOX;

    /** Parses landmarks/eyes/box. */
    public static Alignment parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "landmarks" -> LANDMARKS;
            case "eyes" -> EYES;
            case "box" -> BOX;
            default -> throw new IllegalArgumentException("alignment must be landmarks, eyes or box, got '" + s + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
