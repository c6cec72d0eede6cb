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
    // Row-wise stage 0: per-window variance factors and stage sums of the current row.
    private float[] rowVnf;
    private int[] rowAcc;
    // Breadth-first later stages: the row's live windows, their stage sums and scores.
    private int[] liveIdx, liveAcc;
    private float[] liveScore;
    private final boolean stage0Rows;
    private final int stage1Node, stage1Rect;
    // LBP: per node, the four grid-row offsets and the block width for the current window row.
    private final int[] lbpRow;

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
        // Stage 0 runs row-wise when it is stumps of two or three upright rectangles (Haar) or LBP stumps.
        boolean rows = cascade.stumps;
        int rectsOfStage0 = 0;
        for (int n = 0; rows && n < cascade.stageTrees[0]; n++) {
            if (cascade.type == Cascade.FeatureType.HAAR) {
                int kind = cascade.nodeInfo[n] & 7;
                rows = kind == 2 || kind == 3;
                rectsOfStage0 += kind;
            }
        }
        this.stage0Rows = rows;
        this.lbpRow = cascade.type == Cascade.FeatureType.LBP ? new int[5 * cascade.rects.length] : null;
        this.stage1Node = cascade.stageTrees[0];
        this.stage1Rect = rectsOfStage0;
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
        rowVnf = new float[capW / 2 + 2];
        rowAcc = new int[capW / 2 + 2];
        liveIdx = new int[capW / 2 + 2];
        liveAcc = new int[capW / 2 + 2];
        liveScore = new float[capW / 2 + 2];
        resizer.setGeometry(capW, capH, capW, capH); // size the tables for the largest level
    }

    /** Bytes of working memory this detector holds (strip rings, row buffers, resize tables, candidates). */
    public int scratchBytes() {
        return sum.length * 4 + (tilt == null ? 0 : tilt.length * 4) + colSq.length * 4 + prefSq.length * 4
                + row.length + (prevRow == null ? 0 : prevRow.length) + rowBase.length * 4 + rowVnf.length * 4 + rowAcc.length * 4
                + liveIdx.length * 4 + liveAcc.length * 4 + liveScore.length * 4
                + (lbpRow == null ? 0 : lbpRow.length * 4)
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
        // Squared sums feed the variance normalisation, which only Haar cascades use.
        final boolean haar = c.type == Cascade.FeatureType.HAAR;
        java.util.Arrays.fill(colSq, 0, levelW, 0);
        if (haar) {
            for (int r = 1; r <= winH - 2; r++) addSquares(r, levelW, 1);
        }

        float area = (winW - 2) * (winH - 2);
        int lastY = levelH - winH;
        int lastX = levelW - winW;
        int prevY = 0;
        for (int y = 0; y <= lastY; y += ystep) {
            if (y > 0) {
                if (haar) {
                    for (int r = prevY + 1; r < y + 1; r++) addSquares(r, levelW, -1);
                }
                for (; next <= y + winH; next++) integralRow(src, srcOffset, srcStride, copy, levelW, next);
                if (haar) {
                    for (int r = prevY + winH - 1; r < y + winH - 1; r++) addSquares(r, levelW, 1);
                }
                prevY = y;
            }
            for (int i = 0; i <= winH; i++) rowBase[i] = ((y + i) % ringRows) * stride;
            int nwin = lastX / ystep + 1;
            if (haar) {
                int[] pq = prefSq;
                pq[0] = 0;
                for (int col = 0; col < levelW; col++) pq[col + 1] = pq[col] + colSq[col];
                rowVariance(nwin, ystep, area);
            } else {
                lbpRowOffsets();
            }
            if (stage0Rows) {
                if (haar) haarStage0Row(nwin, ystep);
                else lbpStage0Row(nwin, ystep);
            }
            if (stage0Rows) {
                rowStages(nwin, ystep, haar, sc, y, winSizeW, winSizeH);
                continue;
            }
            for (int k = 0; k < nwin; k++) {
                int x = k * ystep;
                int result;
                if (haar) {
                    float vnf = rowVnf[k];
                    if (vnf == 0f) {
                        continue; // OpenCV: setWindow fails, result -1 (no skip)
                    }
                    result = c.stumps ? haarStumps(x, vnf, 0, 0, 0, 0f) : haarTrees(x, vnf);
                } else {
                    result = lbpStumps(x, 0, 0, 0f);
                }
                if (result > 0) {
                    addCandidate((int) Math.rint(x * sc), (int) Math.rint(y * sc), winSizeW, winSizeH, windowScore);
                } else if (result == 0) {
                    k++; // a window rejected by the first stage skips its neighbour (OpenCV)
                }
            }
        }
    }

    /**
     * The rest of the cascade for one row, breadth first: the windows that pass stage 0 (after
     * OpenCV's skip rule) form a list, and each later stage runs node by node over the whole list
     * before the list is compacted to the survivors. Every window's outcome is the one the
     * window-by-window order gives; this order keeps each node's data in registers and walks the
     * integral strip left to right.
     */
    private void rowStages(int nwin, int ystep, boolean haar, float sc, int y, int winSizeW, int winSizeH) {
        final int[] live = liveIdx, acc = liveAcc, s = sum, rb = rowBase, rects = c.rects, leaves = c.leaves;
        final float[] score = liveScore, vnf = rowVnf;
        int n = 0;
        int t0 = c.stageThreshold[0];
        for (int k = 0; k < nwin; k++) {
            if (haar && vnf[k] == 0f) continue; // setWindow refused: no skip
            int a0 = rowAcc[k];
            if (a0 < t0) {
                k++; // rejected by stage 0: OpenCV skips the next window
                continue;
            }
            live[n] = k;
            score[n] = Math.scalb((float) (a0 - t0), -c.stageShift[0]);
            n++;
        }
        int node = stage1Node, ri = stage1Rect;
        for (int st = 1; st < c.stageCount && n > 0; st++) {
            java.util.Arrays.fill(acc, 0, n, 0);
            int end = node + c.stageTrees[st];
            for (; node < end; node++) {
                int left = leaves[2 * node], right = leaves[2 * node + 1];
                if (!haar) {
                    int q = 5 * node, w = lbpRow[q + 4], w2 = 2 * w, w3 = 3 * w, sub = 8 * node;
                    int q0 = lbpRow[q], q1 = lbpRow[q + 1], q2 = lbpRow[q + 2], q3 = lbpRow[q + 3];
                    final int[] subsets = c.subsets;
                    for (int j = 0; j < n; j++) {
                        int x = live[j] * ystep;
                        int code = lbpCode(s, q0 + x, q1 + x, q2 + x, q3 + x, w, w2, w3);
                        acc[j] += ((subsets[sub + (code >> 5)] >>> (code & 31)) & 1) != 0 ? left : right;
                    }
                    continue;
                }
                int inf = c.nodeInfo[node];
                int kind = inf & 7;
                float pw = PackedCascade.POW2[(inf & 0xFF) >>> 3];
                float thr = c.nodeThreshold[node];
                if (kind == 2 || kind == 3) {
                    final byte[] weights = c.weights;
                    int r0 = rects[ri], r1 = rects[ri + 1];
                    int w0 = (r0 >>> 16) & 0xFF, y0 = (r0 >>> 8) & 0xFF, w1 = (r1 >>> 16) & 0xFF, y1 = (r1 >>> 8) & 0xFF;
                    int p0 = rb[y0] + (r0 & 0xFF), d0 = rb[y0 + (r0 >>> 24)] + (r0 & 0xFF);
                    int p1 = rb[y1] + (r1 & 0xFF), d1 = rb[y1 + (r1 >>> 24)] + (r1 & 0xFF);
                    int g0 = weights[ri], g1 = weights[ri + 1];
                    if (kind == 2) {
                        for (int j = 0; j < n; j++) {
                            int k = live[j], x = k * ystep;
                            int f = g0 * (s[p0 + x] - s[p0 + w0 + x] - s[d0 + x] + s[d0 + w0 + x])
                                    + g1 * (s[p1 + x] - s[p1 + w1 + x] - s[d1 + x] + s[d1 + w1 + x]);
                            acc[j] += (f * vnf[k]) * pw < thr ? left : right;
                        }
                    } else {
                        int r2 = rects[ri + 2];
                        int w2 = (r2 >>> 16) & 0xFF, y2 = (r2 >>> 8) & 0xFF;
                        int p2 = rb[y2] + (r2 & 0xFF), d2 = rb[y2 + (r2 >>> 24)] + (r2 & 0xFF);
                        int g2 = weights[ri + 2];
                        for (int j = 0; j < n; j++) {
                            int k = live[j], x = k * ystep;
                            int f = g0 * (s[p0 + x] - s[p0 + w0 + x] - s[d0 + x] + s[d0 + w0 + x])
                                    + g1 * (s[p1 + x] - s[p1 + w1 + x] - s[d1 + x] + s[d1 + w1 + x])
                                    + g2 * (s[p2 + x] - s[p2 + w2 + x] - s[d2 + x] + s[d2 + w2 + x]);
                            acc[j] += (f * vnf[k]) * pw < thr ? left : right;
                        }
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        int k = live[j];
                        int f = featureValue(inf, ri, k * ystep);
                        acc[j] += (f * vnf[k]) * pw < thr ? left : right;
                    }
                }
                ri += kind & 3;
            }
            int t = c.stageThreshold[st];
            float unit = Math.scalb(1f, -c.stageShift[st]);
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (acc[j] >= t) {
                    live[m] = live[j];
                    score[m] = score[j] + (acc[j] - t) * unit;
                    m++;
                }
            }
            n = m;
        }
        for (int j = 0; j < n; j++) {
            addCandidate((int) Math.rint(live[j] * ystep * sc), (int) Math.rint(y * sc), winSizeW, winSizeH, score[j]);
        }
    }

    /**
     * Variance normalisation of every window of the current row: 1/sqrt(area*sqsum - sum^2) over the
     * window shrunk by one pixel, as a float; 0 marks a window OpenCV refuses (flat or low contrast).
     */
    private void rowVariance(int nwin, int ystep, float area) {
        final int[] s = sum, pq = prefSq;
        final float[] out = rowVnf;
        final int n0 = rowBase[1] + 1, n1 = rowBase[winH - 1] + 1, w2 = winW - 2, w1 = winW - 1;
        for (int k = 0, x = 0; k < nwin; k++, x += ystep) {
            int valsum = s[n0 + x] - s[n0 + x + w2] - s[n1 + x] + s[n1 + x + w2];
            int valsq = pq[x + w1] - pq[x + 1];
            double nf = (double) area * (valsq & 0xFFFFFFFFL) - (double) valsum * valsum;
            float vnf = nf > 0 ? (float) (1.0 / Math.sqrt(nf)) : 0f;
            out[k] = area * (double) vnf < 1e-1 ? vnf : 0f;
        }
    }

    /** Stage 0 of a Haar stump cascade for every window of the row, feature by feature (contiguous, JIT-friendly). */
    private void haarStage0Row(int nwin, int ystep) {
        final int[] acc = rowAcc, s = sum, rb = rowBase, rects = c.rects, leaves = c.leaves;
        final float[] vnf = rowVnf;
        final byte[] info = c.nodeInfo, weights = c.weights;
        java.util.Arrays.fill(acc, 0, nwin, 0);
        int ri = 0;
        for (int node = 0; node < stage1Node; node++) {
            int inf = info[node];
            int kind = inf & 7;
            int r0 = rects[ri], r1 = rects[ri + 1];
            int w0 = (r0 >>> 16) & 0xFF, y0 = (r0 >>> 8) & 0xFF, w1 = (r1 >>> 16) & 0xFF, y1 = (r1 >>> 8) & 0xFF;
            int t0 = rb[y0] + (r0 & 0xFF), b0 = rb[y0 + (r0 >>> 24)] + (r0 & 0xFF);
            int t1 = rb[y1] + (r1 & 0xFF), b1 = rb[y1 + (r1 >>> 24)] + (r1 & 0xFF);
            int g0 = weights[ri], g1 = weights[ri + 1];
            float pw = PackedCascade.POW2[(inf & 0xFF) >>> 3];
            float thr = c.nodeThreshold[node];
            int left = leaves[2 * node], right = leaves[2 * node + 1];
            if (kind == 2) {
                for (int k = 0, x = 0; k < nwin; k++, x += ystep) {
                    int f = g0 * (s[t0 + x] - s[t0 + w0 + x] - s[b0 + x] + s[b0 + w0 + x])
                            + g1 * (s[t1 + x] - s[t1 + w1 + x] - s[b1 + x] + s[b1 + w1 + x]);
                    acc[k] += (f * vnf[k]) * pw < thr ? left : right;
                }
            } else {
                int r2 = rects[ri + 2];
                int w2 = (r2 >>> 16) & 0xFF, y2 = (r2 >>> 8) & 0xFF;
                int t2 = rb[y2] + (r2 & 0xFF), b2 = rb[y2 + (r2 >>> 24)] + (r2 & 0xFF);
                int g2 = weights[ri + 2];
                for (int k = 0, x = 0; k < nwin; k++, x += ystep) {
                    int f = g0 * (s[t0 + x] - s[t0 + w0 + x] - s[b0 + x] + s[b0 + w0 + x])
                            + g1 * (s[t1 + x] - s[t1 + w1 + x] - s[b1 + x] + s[b1 + w1 + x])
                            + g2 * (s[t2 + x] - s[t2 + w2 + x] - s[b2 + x] + s[b2 + w2 + x]);
                    acc[k] += (f * vnf[k]) * pw < thr ? left : right;
                }
            }
            ri += kind;
        }
    }

    /** The grid-row offsets of every LBP node for the current window row (decoded once per row, not per window). */
    private void lbpRowOffsets() {
        final int[] rects = c.rects, o = lbpRow, rb = rowBase;
        for (int node = 0, q = 0; node < rects.length; node++, q += 5) {
            int r = rects[node];
            int x0 = r & 0xFF, y = (r >>> 8) & 0xFF, h = r >>> 24;
            o[q] = rb[y] + x0;
            o[q + 1] = rb[y + h] + x0;
            o[q + 2] = rb[y + 2 * h] + x0;
            o[q + 3] = rb[y + 3 * h] + x0;
            o[q + 4] = (r >>> 16) & 0xFF;
        }
    }

    /** Stage 0 of an LBP stump cascade for every window of the row. */
    private void lbpStage0Row(int nwin, int ystep) {
        final int[] acc = rowAcc, s = sum, rects = c.rects, subsets = c.subsets, leaves = c.leaves;
        java.util.Arrays.fill(acc, 0, nwin, 0);
        for (int node = 0; node < stage1Node; node++) {
            int r = rects[node];
            int x0 = r & 0xFF, y = (r >>> 8) & 0xFF, w = (r >>> 16) & 0xFF, h = r >>> 24;
            int q0 = rowBase[y] + x0, q1 = rowBase[y + h] + x0, q2 = rowBase[y + 2 * h] + x0, q3 = rowBase[y + 3 * h] + x0;
            int w2 = 2 * w, w3 = 3 * w, sub = 8 * node, left = leaves[2 * node], right = leaves[2 * node + 1];
            for (int k = 0, x = 0; k < nwin; k++, x += ystep) {
                int code = lbpCode(s, q0 + x, q1 + x, q2 + x, q3 + x, w, w2, w3);
                acc[k] += ((subsets[sub + (code >> 5)] >>> (code & 31)) & 1) != 0 ? left : right;
            }
        }
    }

    /** The 8-bit LBP code of a 3x3 grid of w-wide blocks whose grid rows start at r0..r3 (OpenCV's bit order). */
    private static int lbpCode(int[] s, int r0, int r1, int r2, int r3, int w, int w2, int w3) {
        // The 16 grid corners, each loaded once.
        int a0 = s[r0], a1 = s[r0 + w], a2 = s[r0 + w2], a3 = s[r0 + w3];
        int b0 = s[r1], b1 = s[r1 + w], b2 = s[r1 + w2], b3 = s[r1 + w3];
        int c0 = s[r2], c1 = s[r2 + w], c2 = s[r2 + w2], c3 = s[r2 + w3];
        int d0 = s[r3], d1 = s[r3 + w], d2 = s[r3 + w2], d3 = s[r3 + w3];
        int cval = b1 - b2 - c1 + c2;
        // Branch-free bits: (block >= cval) is the sign bit of ~(block - cval); data-dependent
        // branches here would mispredict about half the time.
        return (~(a0 - a1 - b0 + b1 - cval) >>> 31) << 7
                | (~(a1 - a2 - b1 + b2 - cval) >>> 31) << 6
                | (~(a2 - a3 - b2 + b3 - cval) >>> 31) << 5
                | (~(b2 - b3 - c2 + c3 - cval) >>> 31) << 4
                | (~(c2 - c3 - d2 + d3 - cval) >>> 31) << 3
                | (~(c1 - c2 - d1 + d2 - cval) >>> 31) << 2
                | (~(c0 - c1 - d0 + d1 - cval) >>> 31) << 1
                | (~(b0 - b1 - c0 + c1 - cval) >>> 31);
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

    /** Sum of a tilted rectangle (packed x | y << 8 | w << 16 | h << 24) of the window at column wx. */
    private int tiltedSum(int r, int wx) {
        int[] t = tilt;
        int rx = r & 0xFF, ry = (r >>> 8) & 0xFF, rw = (r >>> 16) & 0xFF, rh = r >>> 24;
        int x = wx + rx;
        return t[rowBase[ry] + x] - t[rowBase[ry + rh] + x - rh] - t[rowBase[ry + rw] + x + rw]
                + t[rowBase[ry + rw + rh] + x + rw - rh];
    }

    /** The integer feature value (weighted rectangle sums) of node {@code node} whose first rectangle is {@code ri}. */
    private int featureValue(int inf, int ri, int wx) {
        final int[] rects = c.rects, s = sum, rb = rowBase;
        final byte[] weights = c.weights;
        int nr = inf & 3;
        int f = 0;
        if ((inf & 4) == 0) {
            for (int k = 0; k < nr; k++) {
                int r = rects[ri + k];
                int rx = wx + (r & 0xFF), rw = (r >>> 16) & 0xFF;
                int top = rb[(r >>> 8) & 0xFF] + rx;
                int bot = rb[((r >>> 8) & 0xFF) + (r >>> 24)] + rx;
                f += weights[ri + k] * (s[top] - s[top + rw] - s[bot] + s[bot + rw]);
            }
        } else {
            for (int k = 0; k < nr; k++) {
                f += weights[ri + k] * tiltedSum(rects[ri + k], wx);
            }
        }
        return f;
    }

    /**
     * Haar stumps: returns 1 when every stage passes, else -(failing stage). The common case (two or
     * three upright rectangles) is written out flat for the JIT.
     */
    private int haarStumps(int wx, float vnf, int firstStage, int firstNode, int firstRect, float score0) {
        final byte[] info = c.nodeInfo, weights = c.weights;
        final int[] rects = c.rects, s = sum, rb = rowBase, leaves = c.leaves, stageThr = c.stageThreshold;
        final short[] thr = c.nodeThreshold, stageTrees = c.stageTrees;
        final float[] pow2 = PackedCascade.POW2;
        final int stages = c.stageCount;
        int node = firstNode, ri = firstRect;
        float score = score0;
        for (int st = firstStage; st < stages; st++) {
            int end = node + stageTrees[st];
            int acc = 0;
            for (; node < end; node++) {
                int inf = info[node];
                int f;
                int kind = inf & 7;
                if (kind == 2 || kind == 3) {
                    int r0 = rects[ri], r1 = rects[ri + 1];
                    int x0 = wx + (r0 & 0xFF), w0 = (r0 >>> 16) & 0xFF, y0 = (r0 >>> 8) & 0xFF;
                    int t0 = rb[y0] + x0, b0 = rb[y0 + (r0 >>> 24)] + x0;
                    int x1 = wx + (r1 & 0xFF), w1 = (r1 >>> 16) & 0xFF, y1 = (r1 >>> 8) & 0xFF;
                    int t1 = rb[y1] + x1, b1 = rb[y1 + (r1 >>> 24)] + x1;
                    f = weights[ri] * (s[t0] - s[t0 + w0] - s[b0] + s[b0 + w0])
                            + weights[ri + 1] * (s[t1] - s[t1 + w1] - s[b1] + s[b1 + w1]);
                    if (kind == 3) {
                        int r2 = rects[ri + 2];
                        int x2 = wx + (r2 & 0xFF), w2 = (r2 >>> 16) & 0xFF, y2 = (r2 >>> 8) & 0xFF;
                        int t2 = rb[y2] + x2, b2 = rb[y2 + (r2 >>> 24)] + x2;
                        f += weights[ri + 2] * (s[t2] - s[t2 + w2] - s[b2] + s[b2 + w2]);
                    }
                    ri += kind;
                } else {
                    f = featureValue(inf, ri, wx);
                    ri += inf & 3;
                }
                // OpenCV: (float) f * varianceNormFactor compared with the float threshold; ours: the same
                // product scaled by the threshold's power of two, against its int16 mantissa.
                float v = (f * vnf) * pow2[(inf & 0xFF) >>> 3];
                acc += leaves[2 * node + (v < thr[node] ? 0 : 1)];
            }
            int t = stageThr[st];
            if (acc < t) return -st;
            score += Math.scalb((float) (acc - t), -c.stageShift[st]);
        }
        windowScore = score;
        return 1;
    }

    /** Haar trees deeper than a stump. */
    private int haarTrees(int wx, float vnf) {
        final byte[] info = c.nodeInfo;
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
                    int inf = info[node];
                    int f = featureValue(inf, c.nodeRectStart[node], wx);
                    float v = (f * vnf) * pow2[(inf & 0xFF) >>> 3];
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

    /** LBP stumps from {@code firstStage}: 3x3 block sums, 8-bit code, subset lookup. */
    private int lbpStumps(int wx, int firstStage, int firstNode, float score0) {
        final int[] subsets = c.subsets, leaves = c.leaves, s = sum, o = lbpRow;
        int node = firstNode;
        float score = score0;
        for (int st = firstStage; st < c.stageCount; st++) {
            int end = node + c.stageTrees[st];
            int acc = 0;
            for (; node < end; node++) {
                int q = 5 * node, w = o[q + 4];
                int code = lbpCode(s, o[q] + wx, o[q + 1] + wx, o[q + 2] + wx, o[q + 3] + wx, w, 2 * w, 3 * w);
                acc += leaves[2 * node + 1 - ((subsets[8 * node + (code >> 5)] >>> (code & 31)) & 1)];
            }
            int thr = c.stageThreshold[st];
            if (acc < thr) return -st;
            score += Math.scalb((float) (acc - thr), -c.stageShift[st]);
        }
        windowScore = score;
        return 1;
    }
}
