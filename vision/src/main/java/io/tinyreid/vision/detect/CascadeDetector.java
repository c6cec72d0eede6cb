package io.tinyreid.vision.detect;

import io.tinyreid.vision.cascade.Cascade;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.LinearResizer;

/**
 * Multi-scale cascade detection with OpenCV's {@code detectMultiScale} semantics: the same scale
 * list, pyramid ({@code INTER_LINEAR_EXACT} resize of the frame per scale, bit-exact), window stepping
 * (2 pixels below scale 2, 1 above; a window rejected by stage 0 skips its neighbour), variance
 * normalisation over the window shrunk by one pixel, and {@link CandidateGrouping OpenCV's grouping}.
 *
 * <p>Memory: integral images exist only for a horizontal strip as tall as the window (a ring of
 * {@code windowHeight + 1} rows, plus a tilted ring for tilted Haar features); squared sums for the
 * variance are kept as running column sums. All scratch is allocated in the constructor for the
 * largest frame (or grown once by a larger frame) and reported by {@link #scratchBytes()};
 * {@link #detect} itself allocates nothing.
 *
 * <p>Not thread-safe: one detector per thread.
 */
public final class CascadeDetector {
    private final PackedCascade c;
    private final int winW, winH, ringRows;
    private final int maxCandidates;
    private final int[] rowBase;
    private final LinearResizer resizer = new LinearResizer(LinearResizer.Mode.LINEAR_EXACT);
    private int capW, capH, stride;
    private int[] sum, tilt, colSq, prefSq;
    private byte[] row, prevRow;
    private short[] cx, cy, cw, ch, label;
    private float[] cs;
    private int ncand;
    private boolean candOverflow;
    // Per-window state of the last evaluation.
    private float windowScore;

    /** A detector with scratch for frames up to {@code maxWidth x maxHeight} and {@code maxCandidates} raw windows. */
    public CascadeDetector(PackedCascade cascade, int maxWidth, int maxHeight, int maxCandidates) {
        this.c = cascade;
        this.winW = cascade.winW;
        this.winH = cascade.winH;
        this.ringRows = winH + 1;
        this.maxCandidates = maxCandidates;
        this.rowBase = new int[winH + 1];
        cx = new short[maxCandidates];
        cy = new short[maxCandidates];
        cw = new short[maxCandidates];
        ch = new short[maxCandidates];
        cs = new float[maxCandidates];
        label = new short[maxCandidates];
        if (maxCandidates < 1 || maxCandidates > Short.MAX_VALUE) {
            throw new IllegalArgumentException("maxCandidates must be 1.." + Short.MAX_VALUE);
        }
        ensureCapacity(maxWidth, maxHeight);
    }

    /** A detector for QVGA-sized frames with room for 1024 raw windows. */
    public CascadeDetector(PackedCascade cascade) {
        this(cascade, 320, 240, 1024);
    }

    /** The cascade this detector runs. */
    public PackedCascade cascade() {
        return c;
    }

    private void ensureCapacity(int w, int h) {
        if (w > Short.MAX_VALUE || h > Short.MAX_VALUE) {
            throw new IllegalArgumentException("frame " + w + "x" + h + " is too large for detection (max 32767 per side)");
        }
        if (w <= capW && h <= capH) return;
        capW = Math.max(capW, w);
        capH = Math.max(capH, h);
        stride = capW + 1;
        sum = new int[ringRows * stride];
        tilt = c.tilted ? new int[ringRows * stride] : null;
        colSq = new int[capW];
        prefSq = new int[capW + 1];
        row = new byte[capW];
        prevRow = c.tilted ? new byte[capW] : null;
        resizer.setGeometry(capW, capH, capW, capH); // size the tables for the largest level
    }

    /** Bytes of working memory this detector holds (strip rings, row buffers, resize tables, candidates). */
    public int scratchBytes() {
        return sum.length * 4 + (tilt == null ? 0 : tilt.length * 4) + colSq.length * 4 + prefSq.length * 4
                + row.length + (prevRow == null ? 0 : prevRow.length) + rowBase.length * 4
                + resizer.capacityBytes() + maxCandidates * (5 * 2 + 4);
    }

    /** Detects in the whole frame into {@code out} (cleared first). */
    public void detect(GrayImage frame, DetectionParams p, Detections out) {
        detect(frame, 0, 0, frame.width(), frame.height(), p, out);
    }

    /**
     * Detects inside the region (rx, ry, rw, rh) of the frame, as if it were cropped out; boxes are in
     * frame coordinates.
     */
    public void detect(GrayImage frame, int rx, int ry, int rw, int rh, DetectionParams p, Detections out) {
        detect(frame, rx, ry, rw, rh, p.scaleFactor(), p.minNeighbors(), p.minWidth(), p.minHeight(), p.maxWidth(),
                p.maxHeight(), out);
    }

    /** The same with the parameters spelled out (no parameter object, for allocation-free callers). */
    public void detect(GrayImage frame, int rx, int ry, int rw, int rh, double scaleFactor, int minNeighbors,
                       int minWidth, int minHeight, int maxWidthIn, int maxHeightIn, Detections out) {
        if (!(scaleFactor > 1.0)) throw new IllegalArgumentException("scale factor must be > 1, got " + scaleFactor);
        if (rx < 0 || ry < 0 || rw <= 0 || rh <= 0 || rx + rw > frame.width() || ry + rh > frame.height()) {
            throw new IllegalArgumentException("region " + rw + "x" + rh + "+" + rx + "+" + ry
                    + " is not inside the " + frame.width() + "x" + frame.height() + " frame");
        }
        out.clear();
        ensureCapacity(rw, rh);
        ncand = 0;
        candOverflow = false;
        int maxW = maxWidthIn, maxH = maxHeightIn;
        if (maxW == 0 || maxH == 0) {
            maxW = rw;
            maxH = rh;
        }
        byte[] src = frame.pixels();
        int srcOffset = ry * frame.width() + rx;
        for (double factor = 1; ; factor *= scaleFactor) {
            int ww = (int) Math.rint(winW * factor);
            int wh = (int) Math.rint(winH * factor);
            if (ww > maxW || wh > maxH || ww > rw || wh > rh) break;
            if (ww < minWidth || wh < minHeight) continue;
            scanLevel(src, srcOffset, frame.width(), rw, rh, (float) factor);
        }
        if (candOverflow) out.markTruncated();
        CandidateGrouping.group(cx, cy, cw, ch, cs, label, ncand, minNeighbors, 0.2, rw, rh, out);
        if (rx != 0 || ry != 0) {
            for (int i = 0; i < out.size(); i++) {
                out.x[i] += rx;
                out.y[i] += ry;
            }
        }
    }

    private void scanLevel(byte[] src, int srcOffset, int srcStride, int srcW, int srcH, float sc) {
        int levelW = (int) Math.rint(srcW / sc);
        int levelH = (int) Math.rint(srcH / sc);
        if (levelW < winW || levelH < winH) return;
        int ystep = sc >= 2 ? 1 : 2;
        boolean copy = levelW == srcW && levelH == srcH;
        if (!copy) resizer.setGeometry(srcW, srcH, levelW, levelH);
        int winSizeW = (int) Math.rint(winW * sc);
        int winSizeH = (int) Math.rint(winH * sc);

        // Integral row 0 is zero; rows 1..winH come from image rows 0..winH-1.
        java.util.Arrays.fill(sum, 0, levelW + 1, 0);
        if (tilt != null) java.util.Arrays.fill(tilt, 0, levelW + 1, 0);
        int next = 1;
        for (; next <= winH; next++) {
            integralRow(src, srcOffset, srcStride, copy, levelW, next);
        }
        java.util.Arrays.fill(colSq, 0, levelW, 0);
        for (int r = 1; r <= winH - 2; r++) addSquares(r, levelW, 1);

        float area = (winW - 2) * (winH - 2);
        int lastY = levelH - winH;
        int lastX = levelW - winW;
        int prevY = 0;
        for (int y = 0; y <= lastY; y += ystep) {
            if (y > 0) {
                for (int r = prevY + 1; r < y + 1; r++) addSquares(r, levelW, -1);
                for (; next <= y + winH; next++) integralRow(src, srcOffset, srcStride, copy, levelW, next);
                for (int r = prevY + winH - 1; r < y + winH - 1; r++) addSquares(r, levelW, 1);
                prevY = y;
            }
            for (int i = 0; i <= winH; i++) rowBase[i] = ((y + i) % ringRows) * stride;
            int[] pq = prefSq;
            pq[0] = 0;
            for (int col = 0; col < levelW; col++) pq[col + 1] = pq[col] + colSq[col];
            int n0 = rowBase[1] + 1, n1 = rowBase[winH - 1] + 1;
            for (int x = 0; x <= lastX; x += ystep) {
                int result;
                if (c.type == Cascade.FeatureType.HAAR) {
                    int valsum = sum[n0 + x] - sum[n0 + x + winW - 2] - sum[n1 + x] + sum[n1 + x + winW - 2];
                    int valsq = pq[x + winW - 1] - pq[x + 1];
                    double nf = (double) area * (valsq & 0xFFFFFFFFL) - (double) valsum * valsum;
                    if (nf <= 0) {
                        continue; // OpenCV: setWindow fails, result -1 (no skip)
                    }
                    float vnf = (float) (1.0 / Math.sqrt(nf));
                    if (!(area * (double) vnf < 1e-1)) {
                        continue;
                    }
                    result = c.stumps ? haarStumps(x, vnf) : haarTrees(x, vnf);
                } else {
                    result = lbpStumps(x);
                }
                if (result > 0) {
                    addCandidate((int) Math.rint(x * sc), (int) Math.rint(y * sc), winSizeW, winSizeH, windowScore);
                } else if (result == 0) {
                    x += ystep;
                }
            }
        }
    }

    private void addCandidate(int x, int y, int w, int h, float score) {
        if (ncand == maxCandidates) {
            candOverflow = true;
            return;
        }
        cx[ncand] = (short) x;
        cy[ncand] = (short) y;
        cw[ncand] = (short) w;
        ch[ncand] = (short) h;
        cs[ncand] = score;
        ncand++;
    }

    /** Computes integral row {@code r} (from scaled image row r-1) into its ring slot, and the tilted row. */
    private void integralRow(byte[] src, int srcOffset, int srcStride, boolean copy, int levelW, int r) {
        byte[] px = row;
        if (tilt != null) {
            byte[] t = prevRow;
            prevRow = row;
            row = t;
            px = row;
        }
        if (copy) {
            System.arraycopy(src, srcOffset + (r - 1) * srcStride, px, 0, levelW);
        } else {
            resizer.row(src, srcOffset, srcStride, r - 1, px, 0);
        }
        int[] s = sum;
        int cur = (r % ringRows) * stride;
        int prev = ((r - 1) % ringRows) * stride;
        s[cur] = 0;
        int acc = 0;
        for (int col = 0; col < levelW; col++) {
            acc += px[col] & 0xFF;
            s[cur + col + 1] = s[prev + col + 1] + acc;
        }
        if (tilt != null) tiltedRow(levelW, r);
    }

    /**
     * Tilted integral row r: T(X, r) sums the pixels of rows < r within the 45-degree triangle whose
     * apex is pixel (X-1, r-1), clipped to the image (OpenCV's definition), by
     * T(X,r) = T(X-1,r-1) + T(X+1,r-1) - T(X,r-2) + p(X-1,r-1) + p(X-1,r-2), with the clipped edges
     * T(0,r) = T(1,r-1) and T(W+1,r-1) = T(W,r-2).
     */
    private void tiltedRow(int levelW, int r) {
        int[] t = tilt;
        int cur = (r % ringRows) * stride;
        byte[] p1 = row;     // image row r-1
        byte[] p2 = prevRow; // image row r-2
        if (r == 1) {
            t[cur] = 0;
            for (int x = 1; x <= levelW; x++) t[cur + x] = p1[x - 1] & 0xFF;
            return;
        }
        int a = ((r - 1) % ringRows) * stride;
        int b = ((r - 2) % ringRows) * stride;
        if (levelW == 1) {
            t[cur] = t[a + 1];
            t[cur + 1] = t[a] + (p1[0] & 0xFF) + (p2[0] & 0xFF);
            return;
        }
        t[cur] = t[a + 1];
        for (int x = 1; x < levelW; x++) {
            t[cur + x] = t[a + x - 1] + t[a + x + 1] - t[b + x] + (p1[x - 1] & 0xFF) + (p2[x - 1] & 0xFF);
        }
        t[cur + levelW] = t[a + levelW - 1] + (p1[levelW - 1] & 0xFF) + (p2[levelW - 1] & 0xFF);
    }

    /** Adds (sign 1) or removes (sign -1) the squares of scaled image row {@code r}, recovered from the integral ring. */
    private void addSquares(int r, int levelW, int sign) {
        int[] s = sum;
        int a = (r % ringRows) * stride;
        int b = ((r + 1) % ringRows) * stride;
        int[] q = colSq;
        for (int col = 0; col < levelW; col++) {
            int p = s[b + col + 1] - s[a + col + 1] - s[b + col] + s[a + col];
            q[col] += sign * p * p;
        }
    }

    private int rectSum(int[] s, byte[] rects, int rp, int wx) {
        int rx = rects[rp] & 0xFF, ry = rects[rp + 1] & 0xFF, rw = rects[rp + 2] & 0xFF, rh = rects[rp + 3] & 0xFF;
        int top = rowBase[ry] + wx + rx;
        int bot = rowBase[ry + rh] + wx + rx;
        return s[top] - s[top + rw] - s[bot] + s[bot + rw];
    }

    private int tiltedSum(byte[] rects, int rp, int wx) {
        int[] t = tilt;
        int rx = rects[rp] & 0xFF, ry = rects[rp + 1] & 0xFF, rw = rects[rp + 2] & 0xFF, rh = rects[rp + 3] & 0xFF;
        int x = wx + rx;
        return t[rowBase[ry] + x] - t[rowBase[ry + rh] + x - rh] - t[rowBase[ry + rw] + x + rw]
                + t[rowBase[ry + rw + rh] + x + rw - rh];
    }

    private int featureValue(byte[] info, byte[] rects, byte[] weights, int node, int rp, int wx) {
        int inf = info[node];
        int nr = inf & 3;
        int w = rp >> 2;
        int f;
        if ((inf & 4) == 0) {
            int[] s = sum;
            f = weights[w] * rectSum(s, rects, rp, wx);
            if (nr > 1) f += weights[w + 1] * rectSum(s, rects, rp + 4, wx);
            if (nr > 2) f += weights[w + 2] * rectSum(s, rects, rp + 8, wx);
        } else {
            f = weights[w] * tiltedSum(rects, rp, wx);
            if (nr > 1) f += weights[w + 1] * tiltedSum(rects, rp + 4, wx);
            if (nr > 2) f += weights[w + 2] * tiltedSum(rects, rp + 8, wx);
        }
        return f;
    }

    /** Haar stumps: returns 1 when every stage passes, else -(failing stage). */
    private int haarStumps(int wx, float vnf) {
        final byte[] info = c.nodeInfo, rects = c.rects, weights = c.weights;
        final short[] thr = c.nodeThreshold;
        final int[] leaves = c.leaves;
        final float[] pow2 = PackedCascade.POW2;
        int node = 0, rp = 0;
        float score = 0;
        for (int s = 0; s < c.stageCount; s++) {
            int n = c.stageTrees[s];
            int acc = 0;
            for (int t = 0; t < n; t++, node++) {
                int f = featureValue(info, rects, weights, node, rp, wx);
                rp += (info[node] & 3) << 2;
                // OpenCV: (float) f * varianceNormFactor compared with the float threshold;
                // ours: the same product scaled by the threshold's power of two, against its int16 mantissa.
                float v = (f * vnf) * pow2[(info[node] & 0xFF) >>> 3];
                acc += leaves[2 * node + (v < thr[node] ? 0 : 1)];
            }
            int st = c.stageThreshold[s];
            if (acc < st) return -s;
            score += Math.scalb((float) (acc - st), -c.stageShift[s]);
        }
        windowScore = score;
        return 1;
    }

    /** Haar trees deeper than a stump. */
    private int haarTrees(int wx, float vnf) {
        final byte[] info = c.nodeInfo, rects = c.rects, weights = c.weights;
        final short[] thr = c.nodeThreshold;
        final int[] leaves = c.leaves;
        final float[] pow2 = PackedCascade.POW2;
        int root = 0, leafBase = 0, tree = 0;
        float score = 0;
        for (int s = 0; s < c.stageCount; s++) {
            int n = c.stageTrees[s];
            int acc = 0;
            for (int t = 0; t < n; t++, tree++) {
                int idx = 0;
                do {
                    int node = root + idx;
                    int rp = c.nodeRectStart[node] << 2;
                    int f = featureValue(info, rects, weights, node, rp, wx);
                    float v = (f * vnf) * pow2[(info[node] & 0xFF) >>> 3];
                    idx = v < thr[node] ? c.nodeLeft[node] : c.nodeRight[node];
                } while (idx > 0);
                acc += leaves[leafBase - idx];
                int nn = c.treeNodes[tree];
                root += nn;
                leafBase += nn + 1;
            }
            int st = c.stageThreshold[s];
            if (acc < st) return -s;
            score += Math.scalb((float) (acc - st), -c.stageShift[s]);
        }
        windowScore = score;
        return 1;
    }

    /** LBP stumps: 3x3 block sums, 8-bit code, subset lookup. */
    private int lbpStumps(int wx) {
        final byte[] rects = c.rects;
        final int[] subsets = c.subsets;
        final int[] leaves = c.leaves;
        final int[] s = sum;
        int node = 0;
        float score = 0;
        for (int st = 0; st < c.stageCount; st++) {
            int n = c.stageTrees[st];
            int acc = 0;
            for (int t = 0; t < n; t++, node++) {
                int rp = node << 2;
                int x = wx + (rects[rp] & 0xFF), y = rects[rp + 1] & 0xFF, w = rects[rp + 2] & 0xFF, h = rects[rp + 3] & 0xFF;
                int r0 = rowBase[y] + x, r1 = rowBase[y + h] + x, r2 = rowBase[y + 2 * h] + x, r3 = rowBase[y + 3 * h] + x;
                int w2 = 2 * w, w3 = 3 * w;
                int cval = s[r1 + w] - s[r1 + w2] - s[r2 + w] + s[r2 + w2];
                int code = (s[r0] - s[r0 + w] - s[r1] + s[r1 + w] >= cval ? 128 : 0)
                        | (s[r0 + w] - s[r0 + w2] - s[r1 + w] + s[r1 + w2] >= cval ? 64 : 0)
                        | (s[r0 + w2] - s[r0 + w3] - s[r1 + w2] + s[r1 + w3] >= cval ? 32 : 0)
                        | (s[r1 + w2] - s[r1 + w3] - s[r2 + w2] + s[r2 + w3] >= cval ? 16 : 0)
                        | (s[r2 + w2] - s[r2 + w3] - s[r3 + w2] + s[r3 + w3] >= cval ? 8 : 0)
                        | (s[r2 + w] - s[r2 + w2] - s[r3 + w] + s[r3 + w2] >= cval ? 4 : 0)
                        | (s[r2] - s[r2 + w] - s[r3] + s[r3 + w] >= cval ? 2 : 0)
                        | (s[r1] - s[r1 + w] - s[r2] + s[r2 + w] >= cval ? 1 : 0);
                boolean left = (subsets[8 * node + (code >> 5)] & (1 << (code & 31))) != 0;
                acc += leaves[2 * node + (left ? 0 : 1)];
            }
            int thr = c.stageThreshold[st];
            if (acc < thr) return -st;
            score += Math.scalb((float) (acc - thr), -c.stageShift[st]);
        }
        windowScore = score;
        return 1;
    }
}
