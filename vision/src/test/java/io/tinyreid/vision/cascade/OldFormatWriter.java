package io.tinyreid.vision.cascade;

import java.util.List;

import io.tinyreid.vision.cascade.Cascade.HaarFeature;

/**
 * Writes a Haar cascade in OpenCV's old XML format ({@code opencv-haar-classifier}: inline features,
 * {@code left_val}/{@code left_node}, {@code tilted}). Tests use it to produce old-format files from
 * the shipped new-format ones, since OpenCV 4.10 ships none.
 */
public final class OldFormatWriter {
    private OldFormatWriter() {}

    /** The cascade as old-format XML text. */
    public static String write(Cascade c, String rootName) {
        if (c.type() != Cascade.FeatureType.HAAR) throw new IllegalArgumentException("old format is Haar only");
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<opencv_storage>\n");
        sb.append('<').append(rootName).append(" type_id=\"opencv-haar-classifier\">\n");
        sb.append("  <size>").append(c.windowWidth()).append(' ').append(c.windowHeight()).append("</size>\n  <stages>\n");
        List<Cascade.Stage> stages = c.stages();
        for (int si = 0; si < stages.size(); si++) {
            Cascade.Stage st = stages.get(si);
            sb.append("    <_>\n      <!-- stage ").append(si).append(" -->\n      <trees>\n");
            for (Cascade.Tree t : st.trees()) {
                sb.append("        <_>\n");
                for (Cascade.Node n : t.nodes()) {
                    HaarFeature f = (HaarFeature) c.features().get(n.feature());
                    sb.append("          <_>\n            <feature>\n              <rects>\n");
                    for (int r = 0; r < f.count(); r++) {
                        sb.append("                <_>").append(f.rects()[4 * r]).append(' ').append(f.rects()[4 * r + 1]).append(' ')
                                .append(f.rects()[4 * r + 2]).append(' ').append(f.rects()[4 * r + 3]).append(' ')
                                .append(f.weights()[r]).append("</_>\n");
                    }
                    sb.append("              </rects>\n              <tilted>").append(f.tilted() ? 1 : 0).append("</tilted></feature>\n");
                    sb.append("            <threshold>").append(n.threshold()).append("</threshold>\n");
                    child(sb, "left", n.left(), t.leaves());
                    child(sb, "right", n.right(), t.leaves());
                    sb.append("          </_>\n");
                }
                sb.append("        </_>\n");
            }
            sb.append("      </trees>\n      <stage_threshold>").append(st.threshold()).append("</stage_threshold>\n");
            sb.append("      <parent>").append(si - 1).append("</parent>\n      <next>-1</next></_>\n");
        }
        sb.append("  </stages>\n</").append(rootName).append(">\n</opencv_storage>\n");
        return sb.toString();
    }

    private static void child(StringBuilder sb, String side, int idx, float[] leaves) {
        if (idx > 0) {
            sb.append("            <").append(side).append("_node>").append(idx).append("</").append(side).append("_node>\n");
        } else {
            sb.append("            <").append(side).append("_val>").append(leaves[-idx]).append("</").append(side).append("_val>\n");
        }
    }
}
