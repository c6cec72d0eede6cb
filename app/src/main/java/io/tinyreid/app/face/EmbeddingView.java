package io.tinyreid.app.face;

/**
 * How an embedder looks at a face box: {@code cropScale} times the box's side is cut (FaceReID's
 * square crop; dlib aligns on landmarks and only takes 1), and with {@code mirrorAverage} the
 * network also runs on the left-right mirror of its input and the two outputs are averaged
 * (test-time flip: same buffers, a second pass).
 */
public record EmbeddingView(double cropScale, boolean mirrorAverage) {
    /** The side of the box as found, one pass. */
    public static final EmbeddingView PLAIN = new EmbeddingView(1.0, false);

    /** The network also run on the mirrored input, the two outputs averaged. */
    public static final EmbeddingView FLIP = new EmbeddingView(1.0, true);

    /** The view the product embeds {@code model}'s faces with (its {@link FaceModel#view()}). */
    public static EmbeddingView of(FaceModel model) {
        return model.view().isEmpty() ? PLAIN : parse(model.view());
    }

    public EmbeddingView {
        if (!(cropScale >= 0.5 && cropScale <= 2.0)) {
            throw new IllegalArgumentException("crop scale must be within 0.5..2, got " + cropScale);
        }
    }

    /** A short name for descriptor files and reports: "plain", "flip", "crop1.15", "crop1.15+flip". */
    public String id() {
        String crop = cropScale == 1.0 ? "" : "crop" + trim(cropScale);
        String flip = mirrorAverage ? "flip" : "";
        return crop.isEmpty() && flip.isEmpty() ? "plain" : crop + (crop.isEmpty() || flip.isEmpty() ? "" : "+") + flip;
    }

    /** Parses {@link #id()}'s form. */
    public static EmbeddingView parse(String s) {
        String t = s.trim();
        if (t.equals("plain")) {
            return PLAIN;
        }
        boolean flip = false;
        double scale = 1.0;
        for (String part : t.split("\\+")) {
            if (part.equals("flip")) {
                flip = true;
            } else if (part.startsWith("crop")) {
                try {
                    scale = Double.parseDouble(part.substring(4));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a crop scale: '" + part + "' (e.g. crop1.15)");
                }
            } else {
                throw new IllegalArgumentException("unknown embedding view '" + s + "' (plain | flip | cropS | cropS+flip)");
            }
        }
        return new EmbeddingView(scale, flip);
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
