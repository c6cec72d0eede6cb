package io.tinyreid.vision.cascade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import io.tinyreid.vision.cascade.Cascade.Feature;
import io.tinyreid.vision.cascade.Cascade.HaarFeature;
import io.tinyreid.vision.cascade.Cascade.LbpFeature;
import io.tinyreid.vision.cascade.Cascade.Stage;
import io.tinyreid.vision.cascade.Cascade.Tree;

/**
 * Reads OpenCV cascade XML: the current format ({@code <cascade>} with {@code stages},
 * {@code features}; Haar or LBP) and the old Haar format ({@code type_id="opencv-haar-classifier"}
 * with {@code trees}, {@code feature/rects}, {@code tilted}, {@code left_val}/{@code left_node}).
 * Any missing or malformed element is refused with its path, e.g.
 * {@code stages[3]/weakClassifiers[5]/internalNodes: expected 4 numbers per node, got 7}.
 */
public final class CascadeXml {
    private static final int MAX_CASCADE_BYTES = 64 << 20;

    private CascadeXml() {}

    /** Reads a cascade file. */
    public static Cascade read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CascadeFormatException(file + ": no such cascade file");
        }
        if (size > MAX_CASCADE_BYTES) {
            throw new CascadeFormatException(file + ": " + size + " bytes is too large for a cascade");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a cascade from a stream; {@code name} appears in error messages. */
    public static Cascade read(InputStream in, String name) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // A cascade is data: no DTDs, no external entities.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(in);
        } catch (SAXParseException e) {
            throw new CascadeFormatException(name + ": malformed XML at line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new CascadeFormatException(name + ": malformed XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (root == null || !root.getTagName().equals("opencv_storage")) {
            throw new CascadeFormatException(name + ": root element must be <opencv_storage>, found <"
                    + (root == null ? "" : root.getTagName()) + ">");
        }
        Element top = firstChildElement(root);
        if (top == null) {
            throw new CascadeFormatException(name + ": <opencv_storage> is empty");
        }
        Reader r = new Reader(name);
        if (child(top, "stageType") != null || child(top, "featureType") != null || top.getTagName().equals("cascade")
                && child(top, "features") != null) {
            return r.readNew(top);
        }
        if ("opencv-haar-classifier".equals(top.getAttribute("type_id")) || child(top, "size") != null) {
            return r.readOld(top);
        }
        throw new CascadeFormatException(name + ": <" + top.getTagName()
                + "> is neither a cascade (<stageType>, <features>) nor an old Haar classifier (<size>, <stages>)");
    }

    private static Element firstChildElement(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) return el;
        }
        return null;
    }

    private static Element child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals(tag)) return el;
        }
        return null;
    }

    private static List<Element> items(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) out.add(el);
        }
        return out;
    }

    /** Parsing with the file name and element paths for errors. */
    private static final class Reader {
        final String name;

        Reader(String name) {
            this.name = name;
        }

        CascadeFormatException error(String path, String what) {
            return new CascadeFormatException(name + ": " + path + ": " + what);
        }

        Element need(Element e, String tag, String path) throws CascadeFormatException {
            Element c = child(e, tag);
            if (c == null) throw error(path, "missing <" + tag + ">");
            return c;
        }

        String[] tokens(Element e) {
            String t = e.getTextContent().trim();
            return t.isEmpty() ? new String[0] : t.split("\\s+");
        }

        int intOf(String token, String path) throws CascadeFormatException {
            try {
                return Integer.parseInt(token);
            } catch (NumberFormatException ex) {
                throw error(path, "'" + token + "' is not an integer");
            }
        }

        float floatOf(String token, String path) throws CascadeFormatException {
            try {
                float v = Float.parseFloat(token);
                if (!Float.isFinite(v)) throw error(path, "'" + token + "' is not a finite number");
                return v;
            } catch (NumberFormatException ex) {
                throw error(path, "'" + token + "' is not a number");
            }
        }

        int intElement(Element parent, String tag, String path) throws CascadeFormatException {
            Element e = need(parent, tag, path);
            String[] t = tokens(e);
            if (t.length != 1) throw error(path + "/" + tag, "expected one integer, got " + t.length + " values");
            return intOf(t[0], path + "/" + tag);
        }

        float floatElement(Element parent, String tag, String path) throws CascadeFormatException {
            Element e = need(parent, tag, path);
            String[] t = tokens(e);
            if (t.length != 1) throw error(path + "/" + tag, "expected one number, got " + t.length + " values");
            return floatOf(t[0], path + "/" + tag);
        }

        void checkWindow(int w, int h, String path) throws CascadeFormatException {
            if (w < 1 || h < 1 || w > 255 || h > 255) {
                throw error(path, "window size " + w + "x" + h + " must be 1..255 pixels");
            }
        }

        Cascade readNew(Element top) throws CascadeFormatException {
            String stageType = need(top, "stageType", "cascade").getTextContent().trim();
            if (!stageType.equals("BOOST")) {
                throw error("cascade/stageType", "'" + stageType + "' is not supported (only BOOST)");
            }
            String ft = need(top, "featureType", "cascade").getTextContent().trim();
            Cascade.FeatureType type = switch (ft) {
                case "HAAR" -> Cascade.FeatureType.HAAR;
                case "LBP" -> Cascade.FeatureType.LBP;
                default -> throw error("cascade/featureType", "'" + ft + "' is not supported (HAAR or LBP)");
            };
            int w = intElement(top, "width", "cascade");
            int h = intElement(top, "height", "cascade");
            checkWindow(w, h, "cascade/width,height");
            Element fp = need(top, "featureParams", "cascade");
            int ncat = child(fp, "maxCatCount") == null ? 0 : intElement(fp, "maxCatCount", "cascade/featureParams");
            if (type == Cascade.FeatureType.LBP && ncat != 256) {
                throw error("cascade/featureParams/maxCatCount", "LBP cascades need 256 categories, got " + ncat);
            }
            if (type == Cascade.FeatureType.HAAR && ncat != 0) {
                throw error("cascade/featureParams/maxCatCount", "Haar cascades are ordered (0 categories), got " + ncat);
            }
            int subsetSize = (ncat + 31) / 32;
            int nodeStep = 3 + (ncat > 0 ? subsetSize : 1);

            List<Feature> features = new ArrayList<>();
            List<Element> fitems = items(need(top, "features", "cascade"));
            for (int i = 0; i < fitems.size(); i++) {
                String path = "cascade/features[" + i + "]";
                Element fe = fitems.get(i);
                features.add(type == Cascade.FeatureType.HAAR ? haarFeature(fe, path, w, h) : lbpFeature(fe, path, w, h));
            }
            if (features.isEmpty()) throw error("cascade/features", "no features");

            List<Stage> stages = new ArrayList<>();
            List<Element> sitems = items(need(top, "stages", "cascade"));
            if (sitems.isEmpty()) throw error("cascade/stages", "no stages");
            for (int si = 0; si < sitems.size(); si++) {
                String sp = "cascade/stages[" + si + "]";
                Element se = sitems.get(si);
                float thr = floatElement(se, "stageThreshold", sp);
                List<Element> witems = items(need(se, "weakClassifiers", sp));
                if (witems.isEmpty()) throw error(sp + "/weakClassifiers", "no weak classifiers");
                List<Tree> trees = new ArrayList<>();
                for (int wi = 0; wi < witems.size(); wi++) {
                    String wp = sp + "/weakClassifiers[" + wi + "]";
                    Element we = witems.get(wi);
                    String[] in = tokens(need(we, "internalNodes", wp));
                    String[] lv = tokens(need(we, "leafValues", wp));
                    if (in.length == 0 || in.length % nodeStep != 0) {
                        throw error(wp + "/internalNodes", "expected " + nodeStep + " numbers per node, got " + in.length);
                    }
                    int nn = in.length / nodeStep;
                    if (lv.length != nn + 1) {
                        throw error(wp + "/leafValues", "a tree with " + nn + " nodes needs " + (nn + 1) + " leaves, got " + lv.length);
                    }
                    List<Cascade.Node> nodes = new ArrayList<>();
                    for (int k = 0; k < nn; k++) {
                        int o = k * nodeStep;
                        String np = wp + "/internalNodes";
                        int left = intOf(in[o], np), right = intOf(in[o + 1], np), fi = intOf(in[o + 2], np);
                        if (fi < 0 || fi >= features.size()) {
                            throw error(np, "feature index " + fi + " is outside 0.." + (features.size() - 1));
                        }
                        checkChild(left, nn, np);
                        checkChild(right, nn, np);
                        if (ncat > 0) {
                            int[] subset = new int[subsetSize];
                            for (int j = 0; j < subsetSize; j++) subset[j] = intOf(in[o + 3 + j], np);
                            nodes.add(new Cascade.Node(left, right, fi, 0f, subset));
                        } else {
                            nodes.add(new Cascade.Node(left, right, fi, floatOf(in[o + 3], np), null));
                        }
                    }
                    float[] leaves = new float[lv.length];
                    for (int k = 0; k < lv.length; k++) leaves[k] = floatOf(lv[k], wp + "/leafValues");
                    trees.add(new Tree(List.copyOf(nodes), leaves));
                }
                stages.add(new Stage(thr, List.copyOf(trees)));
            }
            return new Cascade(name, type, w, h, List.copyOf(stages), List.copyOf(features));
        }

        void checkChild(int idx, int nodeCount, String path) throws CascadeFormatException {
            if (idx >= nodeCount || idx < -nodeCount) {
                throw error(path, "child index " + idx + " is outside the tree (" + nodeCount + " nodes)");
            }
        }

        HaarFeature haarFeature(Element fe, String path, int winW, int winH) throws CascadeFormatException {
            List<Element> rects = items(need(fe, "rects", path));
            if (rects.size() < 1 || rects.size() > 3) {
                throw error(path + "/rects", "a Haar feature has 1 to 3 rectangles, got " + rects.size());
            }
            boolean tilted = child(fe, "tilted") != null && intElement(fe, "tilted", path) != 0;
            int[] r = new int[rects.size() * 4];
            float[] wt = new float[rects.size()];
            for (int i = 0; i < rects.size(); i++) {
                String rp = path + "/rects[" + i + "]";
                String[] t = tokens(rects.get(i));
                if (t.length != 5) throw error(rp, "expected 'x y w h weight', got " + t.length + " values");
                for (int k = 0; k < 4; k++) r[4 * i + k] = intOf(t[k], rp);
                wt[i] = floatOf(t[4], rp);
                checkRect(r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3], tilted, winW, winH, rp);
            }
            return new HaarFeature(r, wt, tilted);
        }

        void checkRect(int x, int y, int w, int h, boolean tilted, int winW, int winH, String path) throws CascadeFormatException {
            boolean ok = w > 0 && h > 0 && x >= 0 && y >= 0;
            if (ok && !tilted) ok = x + w <= winW && y + h <= winH;
            if (ok && tilted) ok = x + w <= winW && x - h >= 0 && y + w + h <= winH;
            if (!ok) {
                throw error(path, (tilted ? "tilted " : "") + "rectangle " + x + "," + y + " " + w + "x" + h
                        + " does not fit the " + winW + "x" + winH + " window");
            }
        }

        LbpFeature lbpFeature(Element fe, String path, int winW, int winH) throws CascadeFormatException {
            String[] t = tokens(need(fe, "rect", path));
            if (t.length != 4) throw error(path + "/rect", "expected 'x y w h', got " + t.length + " values");
            int x = intOf(t[0], path + "/rect"), y = intOf(t[1], path + "/rect");
            int w = intOf(t[2], path + "/rect"), h = intOf(t[3], path + "/rect");
            if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + 3 * w > winW || y + 3 * h > winH) {
                throw error(path + "/rect", "LBP block grid " + x + "," + y + " 3x(" + w + "x" + h + ") does not fit the "
                        + winW + "x" + winH + " window");
            }
            return new LbpFeature(x, y, w, h);
        }

        Cascade readOld(Element top) throws CascadeFormatException {
            String[] size = tokens(need(top, "size", top.getTagName()));
            if (size.length != 2) throw error(top.getTagName() + "/size", "expected 'width height', got " + size.length + " values");
            int w = intOf(size[0], "size"), h = intOf(size[1], "size");
            checkWindow(w, h, top.getTagName() + "/size");
            List<Feature> features = new ArrayList<>();
            List<Stage> stages = new ArrayList<>();
            List<Element> sitems = items(need(top, "stages", top.getTagName()));
            if (sitems.isEmpty()) throw error("stages", "no stages");
            for (int si = 0; si < sitems.size(); si++) {
                String sp = "stages[" + si + "]";
                Element se = sitems.get(si);
                float thr = floatElement(se, "stage_threshold", sp);
                List<Element> titems = items(need(se, "trees", sp));
                if (titems.isEmpty()) throw error(sp + "/trees", "no trees");
                List<Tree> trees = new ArrayList<>();
                for (int ti = 0; ti < titems.size(); ti++) {
                    String tp = sp + "/trees[" + ti + "]";
                    List<Element> nitems = items(titems.get(ti));
                    if (nitems.isEmpty()) throw error(tp, "no nodes");
                    int nn = nitems.size();
                    List<Cascade.Node> nodes = new ArrayList<>();
                    List<Float> leaves = new ArrayList<>();
                    for (int ni = 0; ni < nn; ni++) {
                        String np = tp + "[" + ni + "]";
                        Element ne = nitems.get(ni);
                        features.add(haarFeature(need(ne, "feature", np), np + "/feature", w, h));
                        float nthr = floatElement(ne, "threshold", np);
                        int left = oldChild(ne, "left", np, nn, leaves);
                        int right = oldChild(ne, "right", np, nn, leaves);
                        nodes.add(new Cascade.Node(left, right, features.size() - 1, nthr, null));
                    }
                    float[] lv = new float[leaves.size()];
                    for (int k = 0; k < lv.length; k++) lv[k] = leaves.get(k);
                    if (lv.length != nn + 1) {
                        throw error(tp, "a tree with " + nn + " nodes needs " + (nn + 1) + " leaves, got " + lv.length);
                    }
                    trees.add(new Tree(List.copyOf(nodes), lv));
                }
                stages.add(new Stage(thr, List.copyOf(trees)));
            }
            return new Cascade(name, Cascade.FeatureType.HAAR, w, h, List.copyOf(stages), List.copyOf(features));
        }

        /** An old-format child: {@code <left_node>} (an internal node index) or {@code <left_val>} (a new leaf). */
        int oldChild(Element ne, String side, String path, int nodeCount, List<Float> leaves) throws CascadeFormatException {
            if (child(ne, side + "_node") != null) {
                int idx = intElement(ne, side + "_node", path);
                if (idx <= 0 || idx >= nodeCount) {
                    throw error(path + "/" + side + "_node", "node index " + idx + " is outside 1.." + (nodeCount - 1));
                }
                return idx;
            }
            if (child(ne, side + "_val") == null) {
                throw error(path, "missing <" + side + "_val> or <" + side + "_node>");
            }
            leaves.add(floatElement(ne, side + "_val", path));
            return -(leaves.size() - 1);
        }
    }
}
