/* See tinyreid_detect.h. Each function mirrors the Java method named in its comment
 * (vision: CascadeDetector, LinearResizer in LINEAR_EXACT mode, CandidateGrouping). */
#include "tinyreid_detect.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* 2^e for the 5-bit node threshold exponents (PackedCascade.POW2). */
static const float POW2[32] = {
    0x1p0f, 0x1p1f, 0x1p2f, 0x1p3f, 0x1p4f, 0x1p5f, 0x1p6f, 0x1p7f,
    0x1p8f, 0x1p9f, 0x1p10f, 0x1p11f, 0x1p12f, 0x1p13f, 0x1p14f, 0x1p15f,
    0x1p16f, 0x1p17f, 0x1p18f, 0x1p19f, 0x1p20f, 0x1p21f, 0x1p22f, 0x1p23f,
    0x1p24f, 0x1p25f, 0x1p26f, 0x1p27f, 0x1p28f, 0x1p29f, 0x1p30f, 0x1p31f};

typedef struct {
    const trd_cascade *c;
    int32_t win_w, win_h, ring, stride;
    int32_t *sum, *row_base, *xofs, *yofs, *row_a, *row_b;
    uint32_t *col_sq, *pref_sq;
    int16_t *alpha, *beta, *cx, *cy, *cw, *ch, *label;
    float *cs;
    uint8_t *row;
    /* LinearResizer's geometry */
    int32_t src_w, src_h, dst_w, dst_h, halving, xmin, xmax, ymin, ymax, row_a_src, row_b_src;
    int32_t ncand, max_cand, overflow;
    float window_score;
} detector;

static int32_t imin(int32_t a, int32_t b) { return a < b ? a : b; }

static int32_t imax(int32_t a, int32_t b) { return a > b ? a : b; }

static int32_t iabs(int32_t a) { return a < 0 ? -a : a; }

/* LinearResizer.exactAxis: returns min in *lo and max in *hi. */
static void exact_axis(double scale, int32_t src, int32_t dst, int32_t *ofs, int16_t *coef, int32_t *lo, int32_t *hi) {
    int32_t min = 0, max = dst, d;
    for (d = 0; d < dst; d++) {
        double f = scale * (d + 0.5) - 0.5;
        int32_t i = (int32_t) floor(f);
        if (i >= 0 && src > 1) {
            if (i < src - 1) {
                int32_t c1 = (int32_t) rint((f - i) * 256);
                ofs[d] = i;
                coef[2 * d] = (int16_t) (256 - c1);
                coef[2 * d + 1] = (int16_t) c1;
            } else {
                ofs[d] = src - 1;
                max = imin(max, d);
            }
        } else {
            min = imax(min, d + 1);
        }
    }
    *lo = min;
    *hi = max;
}

/* LinearResizer.setGeometry in LINEAR_EXACT mode. */
static void set_geometry(detector *t, int32_t sw, int32_t sh, int32_t dw, int32_t dh) {
    double inv_x = (double) dw / sw, inv_y = (double) dh / sh;
    double scale_x = 1.0 / inv_x, scale_y = 1.0 / inv_y;
    t->src_w = sw;
    t->src_h = sh;
    t->dst_w = dw;
    t->dst_h = dh;
    t->row_a_src = t->row_b_src = -1;
    t->halving = fabs(scale_x - 2) < DBL_EPSILON && fabs(scale_y - 2) < DBL_EPSILON;
    exact_axis(scale_x, sw, dw, t->xofs, t->alpha, &t->xmin, &t->xmax);
    exact_axis(scale_y, sh, dh, t->yofs, t->beta, &t->ymin, &t->ymax);
}

/* LinearResizer.exactHorizontal: the 8.8 horizontal pass of source row sy, cached in two rows. */
static const int32_t *exact_horizontal(detector *t, const uint8_t *src, int32_t stride, int32_t sy, const int32_t *keep) {
    int32_t *dst;
    const uint8_t *base = src + (size_t) sy * (size_t) stride;
    int32_t x = 0, left, right;
    if (sy == t->row_a_src) {
        return t->row_a;
    }
    if (sy == t->row_b_src) {
        return t->row_b;
    }
    if (keep != t->row_a && (keep == t->row_b || t->row_a_src <= t->row_b_src)) {
        dst = t->row_a;
        t->row_a_src = sy;
    } else {
        dst = t->row_b;
        t->row_b_src = sy;
    }
    left = (int32_t) base[0] << 8;
    for (; x < t->xmin && x < t->dst_w; x++) {
        dst[x] = left;
    }
    for (; x < t->xmax; x++) {
        const uint8_t *o = base + t->xofs[x];
        dst[x] = (int32_t) o[0] * t->alpha[2 * x] + (int32_t) o[1] * t->alpha[2 * x + 1];
    }
    right = (int32_t) base[t->src_w - 1] << 8;
    for (; x < t->dst_w; x++) {
        dst[x] = right;
    }
    return dst;
}

/* LinearResizer.row in LINEAR_EXACT mode: destination row dy into out. */
static void resize_row(detector *t, const uint8_t *src, int32_t stride, int32_t dy, uint8_t *out) {
    int32_t x;
    if (t->halving) {
        const uint8_t *r0 = src + (size_t) (2 * dy) * (size_t) stride, *r1 = r0 + stride;
        for (x = 0; x < t->dst_w; x++) {
            out[x] = (uint8_t) ((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
        }
        return;
    }
    if (dy < t->ymin || dy >= t->ymax) {
        const int32_t *h = exact_horizontal(t, src, stride, dy < t->ymin ? 0 : t->src_h - 1, NULL);
        for (x = 0; x < t->dst_w; x++) {
            out[x] = (uint8_t) ((h[x] + 128) >> 8);
        }
    } else {
        int32_t sy = t->yofs[dy], b0 = t->beta[2 * dy], b1 = t->beta[2 * dy + 1];
        const int32_t *a = exact_horizontal(t, src, stride, sy, NULL);
        const int32_t *b = exact_horizontal(t, src, stride, sy + 1, a);
        for (x = 0; x < t->dst_w; x++) {
            out[x] = (uint8_t) ((a[x] * b0 + b[x] * b1 + (1 << 15)) >> 16);
        }
    }
}

/* CascadeDetector.integralRow: integral row r (from pyramid row r - 1) into its ring slot. */
static void integral_row(detector *t, const uint8_t *src, int32_t stride, int copy, int32_t level_w, int32_t r) {
    int32_t *s = t->sum;
    int32_t cur = (r % t->ring) * t->stride, prev = ((r - 1) % t->ring) * t->stride;
    int32_t acc = 0, col;
    if (copy) {
        memcpy(t->row, src + (size_t) (r - 1) * (size_t) stride, (size_t) level_w);
    } else {
        resize_row(t, src, stride, r - 1, t->row);
    }
    s[cur] = 0;
    for (col = 0; col < level_w; col++) {
        acc += t->row[col];
        s[cur + col + 1] = s[prev + col + 1] + acc;
    }
}

/* CascadeDetector.addSquares: adds (sign 1) or removes the squares of pyramid row r, from the ring.
 * Unsigned, because Java's int sums of squares wrap and the variance reads them as unsigned. */
static void add_squares(detector *t, int32_t r, int32_t level_w, int sign) {
    const int32_t *s = t->sum;
    int32_t a = (r % t->ring) * t->stride, b = ((r + 1) % t->ring) * t->stride, col;
    uint32_t *q = t->col_sq;
    for (col = 0; col < level_w; col++) {
        int32_t p = s[b + col + 1] - s[a + col + 1] - s[b + col] + s[a + col];
        uint32_t sq = (uint32_t) (p * p);
        q[col] = sign > 0 ? q[col] + sq : q[col] - sq;
    }
}

/* CascadeDetector.rowVariance for the window at column x: the variance factor, 0 when OpenCV refuses it. */
static float variance_factor(const detector *t, int32_t x, float area) {
    const int32_t *s = t->sum;
    int32_t n0 = t->row_base[1] + 1, n1 = t->row_base[t->win_h - 1] + 1, w2 = t->win_w - 2, w1 = t->win_w - 1;
    int32_t valsum = s[n0 + x] - s[n0 + x + w2] - s[n1 + x] + s[n1 + x + w2];
    uint32_t valsq = t->pref_sq[x + w1] - t->pref_sq[x + 1];
    double nf = (double) area * (double) valsq - (double) valsum * valsum;
    float vnf = nf > 0 ? (float) (1.0 / sqrt(nf)) : 0.0f;
    return area * (double) vnf < 1e-1 ? vnf : 0.0f;
}

/* CascadeDetector.haarStumps (upright features): 1 when every stage passes, else -(failing stage). */
static int32_t haar_stumps(detector *t, int32_t wx, float vnf) {
    const trd_cascade *c = t->c;
    const int32_t *s = t->sum, *rb = t->row_base;
    int32_t node = 0, ri = 0, st;
    float score = 0.0f;
    for (st = 0; st < c->stage_count; st++) {
        int32_t end = node + c->stage_trees[st], acc = 0, thr;
        for (; node < end; node++) {
            uint8_t inf = c->node_info[node];
            int32_t nr = inf & 3, k, f = 0;
            float v;
            for (k = 0; k < nr; k++) {
                uint32_t r = c->rects[ri + k];
                int32_t rx = wx + (int32_t) (r & 0xFFu), rw = (int32_t) ((r >> 16) & 0xFFu);
                int32_t ry = (int32_t) ((r >> 8) & 0xFFu), rh = (int32_t) (r >> 24);
                int32_t top = rb[ry] + rx, bot = rb[ry + rh] + rx;
                f += c->weights[ri + k] * (s[top] - s[top + rw] - s[bot] + s[bot + rw]);
            }
            ri += nr;
            /* Java: (f * vnf) * pow2[e] < thr, all in float */
            v = ((float) f * vnf) * POW2[inf >> 3];
            acc += c->leaves[2 * node + (v < (float) c->node_threshold[node] ? 0 : 1)];
        }
        thr = c->stage_threshold[st];
        if (acc < thr) {
            return -st;
        }
        score += ldexpf((float) (acc - thr), -c->stage_shift[st]);
    }
    t->window_score = score;
    return 1;
}

/* CascadeDetector.addCandidate */
static void add_candidate(detector *t, int32_t x, int32_t y, int32_t w, int32_t h, float score) {
    int32_t n = t->ncand;
    if (n == t->max_cand) {
        t->overflow = 1;
        return;
    }
    t->cx[n] = (int16_t) x;
    t->cy[n] = (int16_t) y;
    t->cw[n] = (int16_t) w;
    t->ch[n] = (int16_t) h;
    t->cs[n] = score;
    t->ncand = n + 1;
}

/* CascadeDetector.scanLevel, window by window (the Java row-wise order gives the same outcomes). */
static void scan_level(detector *t, const uint8_t *src, int32_t src_w, int32_t src_h, float sc) {
    int32_t win_w = t->win_w, win_h = t->win_h;
    int32_t level_w = (int32_t) rintf((float) src_w / sc), level_h = (int32_t) rintf((float) src_h / sc);
    int32_t ystep, copy, win_size_w, win_size_h, next, r, y, prev_y = 0, last_y, last_x, i;
    float area;
    if (level_w < win_w || level_h < win_h) {
        return;
    }
    ystep = sc >= 2 ? 1 : 2;
    copy = level_w == src_w && level_h == src_h;
    if (!copy) {
        set_geometry(t, src_w, src_h, level_w, level_h);
    }
    win_size_w = (int32_t) rintf((float) win_w * sc);
    win_size_h = (int32_t) rintf((float) win_h * sc);
    memset(t->sum, 0, sizeof(int32_t) * (size_t) (level_w + 1));
    for (next = 1; next <= win_h; next++) {
        integral_row(t, src, src_w, copy, level_w, next);
    }
    memset(t->col_sq, 0, sizeof(uint32_t) * (size_t) level_w);
    for (r = 1; r <= win_h - 2; r++) {
        add_squares(t, r, level_w, 1);
    }
    area = (float) ((win_w - 2) * (win_h - 2));
    last_y = level_h - win_h;
    last_x = level_w - win_w;
    for (y = 0; y <= last_y; y += ystep) {
        int32_t nwin = last_x / ystep + 1, k, col;
        if (y > 0) {
            for (r = prev_y + 1; r < y + 1; r++) {
                add_squares(t, r, level_w, -1);
            }
            for (; next <= y + win_h; next++) {
                integral_row(t, src, src_w, copy, level_w, next);
            }
            for (r = prev_y + win_h - 1; r < y + win_h - 1; r++) {
                add_squares(t, r, level_w, 1);
            }
            prev_y = y;
        }
        for (i = 0; i <= win_h; i++) {
            t->row_base[i] = ((y + i) % t->ring) * t->stride;
        }
        t->pref_sq[0] = 0;
        for (col = 0; col < level_w; col++) {
            t->pref_sq[col + 1] = t->pref_sq[col] + t->col_sq[col];
        }
        for (k = 0; k < nwin; k++) {
            int32_t x = k * ystep, result;
            float vnf = variance_factor(t, x, area);
            if (vnf == 0.0f) {
                continue; /* OpenCV: setWindow fails, result -1 (no skip) */
            }
            result = haar_stumps(t, x, vnf);
            if (result > 0) {
                add_candidate(t, (int32_t) rintf((float) x * sc), (int32_t) rintf((float) y * sc), win_size_w,
                              win_size_h, t->window_score);
            } else if (result == 0) {
                k++; /* a window rejected by the first stage skips its neighbour (OpenCV) */
            }
        }
    }
}

/* CandidateGrouping.emit: the box clipped to the image; empty boxes are dropped. */
static void emit(trd_boxes *out, int32_t bx, int32_t by, int32_t bw, int32_t bh, int32_t n, float s, int32_t img_w,
                 int32_t img_h) {
    int32_t x0 = imax(bx, 0), y0 = imax(by, 0), x1 = imin(bx + bw, img_w), y1 = imin(by + bh, img_h);
    trd_box *b;
    if (x1 <= x0 || y1 <= y0) {
        return;
    }
    if (out->count == out->capacity) {
        out->truncated = 1;
        return;
    }
    b = &out->box[out->count++];
    b->x = x0;
    b->y = y0;
    b->w = x1 - x0;
    b->h = y1 - y0;
    b->neighbors = n;
    b->score = s;
}

/* CandidateGrouping.find (path halving, iterative). */
static int32_t find(int16_t *p, int32_t i) {
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

/* CandidateGrouping.similar */
static int similar(int32_t x1, int32_t y1, int32_t w1, int32_t h1, int32_t x2, int32_t y2, int32_t w2, int32_t h2,
                   double eps) {
    double delta = eps * (imin(w1, w2) + imin(h1, h2)) * 0.5;
    return iabs(x1 - x2) <= delta && iabs(y1 - y2) <= delta && iabs(x1 + w1 - x2 - w2) <= delta
           && iabs(y1 + h1 - y2 - h2) <= delta;
}

/* CandidateGrouping.group: OpenCV's groupRectangles in place on the candidates. */
static void group(detector *t, int32_t group_threshold, double eps, int32_t img_w, int32_t img_h, trd_boxes *out) {
    int16_t *x = t->cx, *y = t->cy, *w = t->cw, *h = t->ch, *lab = t->label;
    float *score = t->cs;
    int32_t n = t->ncand, i, j, cl, nclasses = 0;
    if (group_threshold <= 0) {
        for (i = 0; i < n; i++) {
            emit(out, x[i], y[i], w[i], h[i], 1, score[i], img_w, img_h);
        }
        return;
    }
    for (i = 0; i < n; i++) {
        lab[i] = (int16_t) i;
    }
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
            if (similar(x[i], y[i], w[i], h[i], x[j], y[j], w[j], h[j], eps)) {
                int32_t ri = find(lab, i), rj = find(lab, j);
                if (ri != rj) {
                    if (ri < rj) {
                        lab[rj] = (int16_t) ri;
                    } else {
                        lab[ri] = (int16_t) rj;
                    }
                }
            }
        }
    }
    for (i = 0; i < n; i++) {
        lab[i] = lab[lab[i]];
    }
    for (i = 0; i < n; i++) {
        int32_t r = lab[i];
        lab[i] = r == i ? (int16_t) nclasses++ : lab[r];
    }
    for (cl = 0; cl < nclasses; cl++) {
        int32_t sx = 0, sy = 0, sw = 0, sh = 0, cnt = 0;
        float best = -INFINITY, s;
        for (i = cl; i < n; i++) {
            if (lab[i] == cl) {
                sx += x[i];
                sy += y[i];
                sw += w[i];
                sh += h[i];
                cnt++;
                if (score[i] > best) {
                    best = score[i];
                }
            }
        }
        s = 1.0f / (float) cnt;
        x[cl] = (int16_t) rintf((float) sx * s);
        y[cl] = (int16_t) rintf((float) sy * s);
        w[cl] = (int16_t) rintf((float) sw * s);
        h[cl] = (int16_t) rintf((float) sh * s);
        score[cl] = best;
        lab[cl] = (int16_t) cnt;
    }
    for (i = 0; i < nclasses; i++) {
        int32_t n1 = lab[i], inside = 0;
        if (n1 <= group_threshold) {
            continue;
        }
        for (j = 0; j < nclasses && !inside; j++) {
            int32_t n2 = lab[j], dx, dy;
            if (j == i || n2 <= group_threshold) {
                continue;
            }
            dx = (int32_t) rint(w[j] * eps);
            dy = (int32_t) rint(h[j] * eps);
            inside = x[i] >= x[j] - dx && y[i] >= y[j] - dy && x[i] + w[i] <= x[j] + w[j] + dx
                     && y[i] + h[i] <= y[j] + h[j] + dy && (n2 > imax(3, n1) || n1 < 3);
        }
        if (!inside) {
            emit(out, x[i], y[i], w[i], h[i], n1, score[i], img_w, img_h);
        }
    }
}

/* Carves the scratch: 4-byte arrays first, then 2-byte, then bytes (TRD_SCRATCH_BYTES). */
static void carve(detector *t, unsigned char *p, int32_t max_w, int32_t max_h, int32_t cand) {
    size_t rows = (size_t) t->ring, W = (size_t) max_w, H = (size_t) max_h, C = (size_t) cand;
    t->sum = (int32_t *) (void *) p;
    p += 4u * rows * (W + 1u);
    t->row_base = (int32_t *) (void *) p;
    p += 4u * rows;
    t->col_sq = (uint32_t *) (void *) p;
    p += 4u * W;
    t->pref_sq = (uint32_t *) (void *) p;
    p += 4u * (W + 1u);
    t->xofs = (int32_t *) (void *) p;
    p += 4u * W;
    t->row_a = (int32_t *) (void *) p;
    p += 4u * W;
    t->row_b = (int32_t *) (void *) p;
    p += 4u * W;
    t->yofs = (int32_t *) (void *) p;
    p += 4u * H;
    t->cs = (float *) (void *) p;
    p += 4u * C;
    t->alpha = (int16_t *) (void *) p;
    p += 2u * 2u * W;
    t->beta = (int16_t *) (void *) p;
    p += 2u * 2u * H;
    t->cx = (int16_t *) (void *) p;
    t->cy = t->cx + C;
    t->cw = t->cy + C;
    t->ch = t->cw + C;
    t->label = t->ch + C;
    p += 2u * 5u * C;
    t->row = p;
}

int trd_detect(const trd_cascade *c, const uint8_t *frame, int32_t w, int32_t h, const trd_params *p,
               void *scratch, size_t scratch_bytes, int32_t max_w, int32_t max_h, int32_t max_candidates,
               trd_boxes *out) {
    detector t;
    double factor;
    int32_t maxw, maxh;
    out->count = 0;
    out->truncated = 0;
    if (!(p->scale_factor > 1.0) || w <= 0 || h <= 0 || w > max_w || h > max_h || max_candidates < 1
        || max_candidates > 32767 || ((uintptr_t) scratch & 3u) != 0
        || scratch_bytes < TRD_SCRATCH_BYTES((size_t) c->win_h, (size_t) max_w, (size_t) max_h, (size_t) max_candidates)) {
        return -1;
    }
    memset(&t, 0, sizeof t);
    t.c = c;
    t.win_w = c->win_w;
    t.win_h = c->win_h;
    t.ring = c->win_h + 1;
    t.stride = max_w + 1;
    t.max_cand = max_candidates;
    carve(&t, (unsigned char *) scratch, max_w, max_h, max_candidates);
    maxw = p->max_w;
    maxh = p->max_h;
    if (maxw == 0 || maxh == 0) {
        maxw = w;
        maxh = h;
    }
    for (factor = 1;; factor *= p->scale_factor) {
        int32_t ww = (int32_t) rint(t.win_w * factor), wh = (int32_t) rint(t.win_h * factor);
        if (ww > maxw || wh > maxh || ww > w || wh > h) {
            break;
        }
        if (ww < p->min_w || wh < p->min_h) {
            continue;
        }
        scan_level(&t, frame, w, h, (float) factor);
    }
    if (t.overflow) {
        out->truncated = 1;
    }
    group(&t, p->min_neighbors, 0.2, w, h, out);
    return 0;
}
