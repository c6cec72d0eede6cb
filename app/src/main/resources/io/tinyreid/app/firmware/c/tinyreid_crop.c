/* See tinyreid_crop.h. Mirrors FaceReidFrames.cropInto and LinearResizer (Mode.LINEAR). */
#include "tinyreid_crop.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define COEF_SCALE 2048

typedef struct {
    int32_t src_w, src_h, dst_w, dst_h, halving;
    int32_t *xofs, *yofs, *row_a, *row_b;
    int16_t *alpha, *beta;
    int32_t row_a_src, row_b_src;
} resizer;

static int32_t clampi(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* LinearResizer.linearAxis: positions in float, weights rounded to 1/2048, optionally clamped at the edges. */
static void linear_axis(double scale, int32_t src, int32_t dst, int32_t *ofs, int16_t *coef, int clamp) {
    int32_t d;
    for (d = 0; d < dst; d++) {
        float f = (float) ((d + 0.5) * scale - 0.5);
        int32_t i = (int32_t) floor(f);
        f -= (float) i;
        if (clamp && i < 0) {
            f = 0;
            i = 0;
        }
        if (clamp && i >= src - 1) {
            f = 0;
            i = src - 1;
        }
        ofs[d] = i;
        coef[2 * d] = (int16_t) rintf((1.f - f) * COEF_SCALE);
        coef[2 * d + 1] = (int16_t) rintf(f * COEF_SCALE);
    }
}

/* LinearResizer.horizontal: one source row's horizontal pass, cached in two rows. */
static const int32_t *horizontal(resizer *r, const uint8_t *src, int32_t stride, int32_t sy, const int32_t *keep) {
    int32_t *dst, dx, last = r->src_w - 1;
    const uint8_t *base = src + (size_t) sy * (size_t) stride;
    if (sy == r->row_a_src) {
        return r->row_a;
    }
    if (sy == r->row_b_src) {
        return r->row_b;
    }
    if (keep != r->row_a && (keep == r->row_b || r->row_a_src <= r->row_b_src)) {
        dst = r->row_a;
        r->row_a_src = sy;
    } else {
        dst = r->row_b;
        r->row_b_src = sy;
    }
    for (dx = 0; dx < r->dst_w; dx++) {
        int32_t sx = r->xofs[dx], p0 = base[sx];
        dst[dx] = sx >= last ? p0 * COEF_SCALE : p0 * r->alpha[2 * dx] + base[sx + 1] * r->alpha[2 * dx + 1];
    }
    return dst;
}

/* LinearResizer.row in LINEAR mode. */
static void resize_row(resizer *r, const uint8_t *src, int32_t stride, int32_t dy, uint8_t *out) {
    int32_t x;
    if (r->halving) {
        const uint8_t *r0 = src + (size_t) (2 * dy) * (size_t) stride, *r1 = r0 + stride;
        for (x = 0; x < r->dst_w; x++) {
            out[x] = (uint8_t) ((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
        }
        return;
    }
    {
        int32_t sy = r->yofs[dy];
        int32_t s0 = clampi(sy, 0, r->src_h - 1), s1 = clampi(sy + 1, 0, r->src_h - 1);
        const int32_t *a = horizontal(r, src, stride, s0, NULL);
        const int32_t *b = horizontal(r, src, stride, s1, a);
        int32_t b0 = r->beta[2 * dy], b1 = r->beta[2 * dy + 1];
        /* OpenCV's vector rounding: (S >> 4) as int16, mulhi with beta, add, rounding shift by 2 */
        for (x = 0; x < r->dst_w; x++) {
            int32_t v = (((a[x] >> 4) * b0) >> 16) + (((b[x] >> 4) * b1) >> 16);
            v = (v + 2) >> 2;
            out[x] = (uint8_t) (v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

int trc_crop(const uint8_t *frame, int32_t fw, int32_t fh, int32_t x, int32_t y, int32_t w, int32_t h, uint8_t *out,
             int32_t side_out, void *tables) {
    int32_t side = w > h ? w : h, x0, y0, r;
    const uint8_t *src;
    resizer z;
    unsigned char *p = (unsigned char *) tables;
    side = side < (fw < fh ? fw : fh) ? side : (fw < fh ? fw : fh);
    if (side <= 0) {
        return -1;
    }
    x0 = clampi(x + w / 2 - side / 2, 0, fw - side);
    y0 = clampi(y + h / 2 - side / 2, 0, fh - side);
    src = frame + (size_t) y0 * (size_t) fw + (size_t) x0;
    if (side == side_out) {
        for (r = 0; r < side_out; r++) {
            memcpy(out + (size_t) r * (size_t) side_out, src + (size_t) r * (size_t) fw, (size_t) side_out);
        }
        return 0;
    }
    z.xofs = (int32_t *) (void *) p;
    z.yofs = z.xofs + side_out;
    z.row_a = z.yofs + side_out;
    z.row_b = z.row_a + side_out;
    z.alpha = (int16_t *) (void *) (z.row_b + side_out);
    z.beta = z.alpha + 2 * side_out;
    z.src_w = z.src_h = side;
    z.dst_w = z.dst_h = side_out;
    z.row_a_src = z.row_b_src = -1;
    {
        double inv = (double) side_out / side, scale = 1.0 / inv;
        z.halving = fabs(scale - 2) < DBL_EPSILON;
        linear_axis(scale, side, side_out, z.xofs, z.alpha, 1);
        linear_axis(scale, side, side_out, z.yofs, z.beta, 0);
    }
    for (r = 0; r < side_out; r++) {
        resize_row(&z, src, fw, r, out + (size_t) r * (size_t) side_out);
    }
    return 0;
}
