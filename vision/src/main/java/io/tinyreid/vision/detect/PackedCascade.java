package io.tinyreid.vision.detect;

import io.tinyreid.vision.cascade.Cascade;
import io.tinyreid.vision.cascade.Cascade.HaarFeature;
import io.tinyreid.vision.cascade.Cascade.LbpFeature;
import io.tinyreid.vision.cascade.CascadeFormatException;

/**
 * The detector's in-memory cascade: each node carries its own feature inline in evaluation order,
 * rectangles as bytes, integer rectangle weights as bytes, node thresholds as an int16 mantissa with
 * a 5-bit power-of-two exponent (kept in the node's info byte, so each threshold keeps 15 significant
 * bits however small it is), leaf values as int32 fixed point with a power-of-two scale per stage
 * (as fine as the stage's sum allows: OpenCV's LBP and Haar stage thresholds are often exact sums of
 * leaves, separated from them by OpenCV's 1e-5 margin only, so 16-bit leaves would flip those ties).
 * {@link #sizeBytes()} is the memory it holds.
 *
 * <p>The stage comparison is exact for the quantised leaves (the stage threshold is rounded up, so
 * {@code sum < threshold} keeps its meaning for integer sums).
 */
public final class PackedCascade {
    final Cascade.FeatureType type;
    final int winW, winH;
    final String name;
    final int stageCount;
    final boolean stumps;
    final boolean tilted;
    /** Trees per stage. */
    final short[] stageTrees;
    /** Stage threshold at the stage's leaf scale. */
    final int[] stageThreshold;
    /** log2 of the stage's leaf scale. */
    final byte[] stageShift;
    /** 2^e for the 5-bit threshold exponents. */
    static final float[] POW2 = new float[32];

    static {
        for (int e = 0; e < 32; e++) POW2[e] = Math.scalb(1f, e);
    }

    /** Haar node: bits 0-1 = rectangle count, bit 2 = tilted, bits 3-7 = threshold exponent e (threshold = mantissa / 2^e). */
    final byte[] nodeInfo;
    /** One int per rectangle (Haar) or per node (LBP block): x | y << 8 | w << 16 | h << 24. */
    final int[] rects;
    /** Weight per Haar rectangle. */
    final byte[] weights;
    /** Haar node threshold mantissa (threshold * 2^e). */
    final short[] nodeThreshold;
    /** LBP: 8 ints (256 bits) per node. */
    final int[] subsets;
    /** Leaves at their stage's scale: 2 per stump, nodes+1 per tree. */
    final int[] leaves;
    // Trees deeper than a stump: per tree its node count; per node its children (<= 0: leaf) and first rectangle.
    final byte[] treeNodes;
    final byte[] nodeLeft, nodeRight;
    final short[] nodeRectStart;

    private PackedCascade(Cascade c) throws CascadeFormatException {
        this.type = c.type();
        this.name = c.name();
        this.winW = c.windowWidth();
        this.winH = c.windowHeight();
        this.stageCount = c.stages().size();
        int nodes = c.nodeCount();
        int trees = c.treeCount();
        boolean allStumps = true;
        int rectCount = 0;
        int leafCount = 0;
        boolean anyTilted = false;
        for (Cascade.Stage s : c.stages()) {
            for (Cascade.Tree t : s.trees()) {
                if (t.nodes().size() != 1) allStumps = false;
                if (t.nodes().size() > 127) {
                    throw new CascadeFormatException(c.name() + ": a tree has " + t.nodes().size() + " nodes; at most 127 can be packed");
                }
                leafCount += t.leaves().length;
                for (Cascade.Node n : t.nodes()) {
                    if (type == Cascade.FeatureType.HAAR) {
                        HaarFeature f = (HaarFeature) c.features().get(n.feature());
                        rectCount += f.count();
                        anyTilted |= f.tilted();
                    }
                }
            }
        }
        this.stumps = allStumps;
        this.tilted = anyTilted;
        stageTrees = new short[stageCount];
        stageThreshold = new int[stageCount];
        stageShift = new byte[stageCount];
        leaves = new int[leafCount];
        if (type == Cascade.FeatureType.HAAR) {
            nodeInfo = new byte[nodes];
            rects = new int[rectCount];
            weights = new byte[rectCount];
            nodeThreshold = new short[nodes];
            subsets = null;
        } else {
            nodeInfo = null;
            weights = null;
            nodeThreshold = null;
            rects = new int[nodes];
            subsets = new int[nodes * 8];
        }
        if (allStumps) {
            treeNodes = null;
            nodeLeft = nodeRight = null;
            nodeRectStart = null;
        } else {
            treeNodes = new byte[trees];
            nodeLeft = new byte[nodes];
            nodeRight = new byte[nodes];
            nodeRectStart = new short[nodes];
            if (rects.length > Short.MAX_VALUE) {
                throw new CascadeFormatException(c.name() + ": too many rectangles to pack (" + rects.length + ")");
            }
        }

        int node = 0, rect = 0, leaf = 0, tree = 0;
        for (int si = 0; si < stageCount; si++) {
            Cascade.Stage s = c.stages().get(si);
            if (s.trees().size() > Short.MAX_VALUE) {
                throw new CascadeFormatException(c.name() + ": stage " + si + " has too many trees");
            }
            stageTrees[si] = (short) s.trees().size();
            // The largest |sum| a stage can reach must stay below 2^30 at the chosen scale.
            double reach = Math.abs(s.threshold()) + 1;
            for (Cascade.Tree t : s.trees()) {
                float m = 0;
                for (float v : t.leaves()) m = Math.max(m, Math.abs(v));
                reach += m;
            }
            int shift = 0;
            while (shift < 40 && Math.scalb(reach, shift + 1) < (1 << 30)) shift++;
            if (shift < 8) {
                throw new CascadeFormatException(c.name() + ": stage " + si + " leaf values are too large to pack (sum reach " + reach + ")");
            }
            stageShift[si] = (byte) shift;
            // OpenCV subtracts 1e-5 from every stage threshold when it loads a cascade.
            float thr = s.threshold() - 1e-5f;
            stageThreshold[si] = (int) Math.ceil(Math.scalb((double) thr, shift));
            for (Cascade.Tree t : s.trees()) {
                if (!allStumps) treeNodes[tree] = (byte) t.nodes().size();
                tree++;
                for (int k = 0; k < t.nodes().size(); k++) {
                    Cascade.Node n = t.nodes().get(k);
                    if (!allStumps) {
                        nodeLeft[node] = (byte) n.left();
                        nodeRight[node] = (byte) n.right();
                        nodeRectStart[node] = (short) (type == Cascade.FeatureType.HAAR ? rect : node);
                    }
                    if (type == Cascade.FeatureType.HAAR) {
                        HaarFeature f = (HaarFeature) c.features().get(n.feature());
                        float nt = n.threshold();
                        int e = 0;
                        while (e < 31 && Math.abs(Math.scalb(nt, e + 1)) <= Short.MAX_VALUE) e++;
                        if (Math.abs(Math.scalb(nt, e)) > Short.MAX_VALUE + 0.5f) {
                            throw new CascadeFormatException(c.name() + ": node threshold " + nt + " is too large to pack");
                        }
                        nodeInfo[node] = (byte) (f.count() | (f.tilted() ? 4 : 0) | e << 3);
                        for (int r = 0; r < f.count(); r++) {
                            float w = f.weights()[r];
                            if (w != Math.rint(w) || w < -128 || w > 127) {
                                throw new CascadeFormatException(c.name() + ": rectangle weight " + w
                                        + " is not a small integer; this cascade cannot be packed");
                            }
                            int[] fr = f.rects();
                            rects[rect] = fr[4 * r] | fr[4 * r + 1] << 8 | fr[4 * r + 2] << 16 | fr[4 * r + 3] << 24;
                            weights[rect] = (byte) w;
                            rect++;
                        }
                        nodeThreshold[node] = (short) Math.round(Math.scalb(nt, e));
                    } else {
                        LbpFeature f = (LbpFeature) c.features().get(n.feature());
                        rects[node] = f.x() | f.y() << 8 | f.w() << 16 | f.h() << 24;
                        System.arraycopy(n.subset(), 0, subsets, 8 * node, 8);
                    }
                    node++;
                }
                for (float v : t.leaves()) {
                    leaves[leaf++] = (int) Math.round(Math.scalb((double) v, shift));
                }
            }
        }
    }

    /** Packs a cascade; fails with a message for cascades outside what the packing can hold. */
    public static PackedCascade pack(Cascade cascade) throws CascadeFormatException {
        return new PackedCascade(cascade);
    }

    /** Bytes held by this cascade's arrays (what a device would keep in RAM or flash). */
    public int sizeBytes() {
        return 32 + len(stageTrees) * 2 + len(stageThreshold) * 4 + len(stageShift) + len(nodeInfo) + len(rects) * 4
                + len(weights) + len(nodeThreshold) * 2 + len(subsets) * 4 + len(leaves) * 4 + len(treeNodes)
                + len(nodeLeft) + len(nodeRight) + len(nodeRectStart) * 2;
    }

    private static int len(byte[] a) { return a == null ? 0 : a.length; }

    private static int len(short[] a) { return a == null ? 0 : a.length; }

    private static int len(int[] a) { return a == null ? 0 : a.length; }

    /** Where the cascade came from. */
    public String name() { return name; }

    /** Haar or LBP. */
    public Cascade.FeatureType type() { return type; }

    /** Window width. */
    public int windowWidth() { return winW; }

    /** Window height. */
    public int windowHeight() { return winH; }

    /** Number of stages. */
    public int stageCount() { return stageCount; }

    /** True when every tree is a single node. */
    public boolean isStumps() { return stumps; }

    /** True when some Haar feature is tilted (the detector then keeps a tilted integral strip too). */
    public boolean hasTiltedFeatures() { return tilted; }

    @Override
    public String toString() {
        return "PackedCascade[" + name + ", " + type + " " + winW + "x" + winH + ", " + stageCount + " stages, "
                + sizeBytes() + " bytes]";
    }
}
