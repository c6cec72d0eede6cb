/* TinyReID integer kernels: see tinyreid_integer.h. */
#include "tinyreid_integer.h"

/* A value of `width` bytes (little-endian two's complement) at byte offset off. */
static int32_t ld(const uint8_t *a, uint32_t off, unsigned width) {
    if (width == 1u) {
        return a[off] < 128u ? (int32_t) a[off] : (int32_t) a[off] - 256;
    } else {
        int32_t v = (int32_t) a[off] | (int32_t) a[off + 1u] << 8;
        return v < 32768 ? v : v - 65536;
    }
}

/* Stores v (in range for the width) as `width` little-endian bytes. */
static void st(uint8_t *a, uint32_t off, unsigned width, int32_t v) {
    uint32_t u = (uint32_t) v;
    a[off] = (uint8_t) (u & 0xffu);
    if (width == 2u) {
        a[off + 1u] = (uint8_t) ((u >> 8) & 0xffu);
    }
}

static uint32_t ld32(const uint8_t *a, uint32_t off) {
    return (uint32_t) a[off] | (uint32_t) a[off + 1u] << 8 | (uint32_t) a[off + 2u] << 16 | (uint32_t) a[off + 3u] << 24;
}

static void st32(uint8_t *a, uint32_t off, uint32_t v) {
    a[off] = (uint8_t) (v & 0xffu);
    a[off + 1u] = (uint8_t) ((v >> 8) & 0xffu);
    a[off + 2u] = (uint8_t) ((v >> 16) & 0xffu);
    a[off + 3u] = (uint8_t) (v >> 24);
}

/* Two's complement value of a 32-bit pattern, without implementation-defined conversion. */
static int32_t signed32(uint32_t u) {
    return u <= 0x7fffffffu ? (int32_t) u : -(int32_t) (~u) - 1;
}

/* floor(v / 2^n), the arithmetic right shift spelled out. */
static int64_t asr64(int64_t v, unsigned n) {
    return v >= 0 ? v >> n : -(((-(v + 1)) >> n) + 1);
}

/* round(v * 2^-shift) half up; a negative shift multiplies. */
static int64_t shift_round(int64_t v, int shift) {
    if (shift > 0) {
        return asr64(v + ((int64_t) 1 << (shift - 1)), (unsigned) shift);
    }
    return v * ((int64_t) 1 << -shift);
}

static int32_t clamp(int64_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : v > hi ? hi : (int32_t) v;
}

static int32_t rescale(int64_t v, const tr_rescale *r) {
    return clamp(shift_round(v, r->shift), r->lo, r->hi);
}

/* floor(n / d) for d > 0. */
static int64_t floor_div(int64_t n, int64_t d) {
    int64_t q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}

/* round(sum * 2^shift / n) half up, exactly. */
static int64_t div_round(int64_t sum, int64_t n, int shift) {
    int64_t num = shift >= 0 ? sum * ((int64_t) 1 << shift) : sum;
    int64_t den = shift >= 0 ? n : n * ((int64_t) 1 << -shift);
    return floor_div(2 * num + den, 2 * den);
}

static uint32_t at(const tr_tensor *t, unsigned c, unsigned y, unsigned x) {
    return t->base + (((uint32_t) c * t->h + y) * t->w + x) * t->width;
}

/* Conv row y of the tile's channels into the rows scratch (int32, saturated to the conv's output). */
static void conv_row(uint8_t *a, const tr_iconv *c, unsigned c0, unsigned c1, uint32_t w, uint32_t b, unsigned y) {
    unsigned rel;
    unsigned taps = (unsigned) c->kh * c->kw;
    for (rel = 0; rel < c1 - c0; rel++) {
        unsigned o = c0 + rel;
        int n = c->norm[o];
        int32_t bias = ld(a, b + 2u * rel, 2u);
        uint32_t acc0 = n >= 0 ? (uint32_t) bias << n : 0u;
        int64_t late = n < 0 ? bias : 0;
        unsigned g = o / c->opg;
        uint32_t row = c->rows + 4u * rel * c->conv_w;
        unsigned x;
        unsigned i;
        for (x = 0; x < c->conv_w; x++) {
            st32(a, row + 4u * x, acc0);
        }
        for (i = 0; i < c->ipg; i++) {
            unsigned ci = g * c->ipg + i;
            unsigned ky;
            for (ky = 0; ky < c->kh; ky++) {
                long iy = (long) y * c->sh + (long) ky - c->pt;
                unsigned kx;
                if (iy < 0 || iy >= (long) c->in.h) {
                    continue;
                }
                for (kx = 0; kx < c->kw; kx++) {
                    /* output columns whose input column x * sw - pl + kx is inside the row */
                    unsigned lo = kx >= c->pl ? 0u : (c->pl - kx + c->sw - 1u) / c->sw;
                    long last = ((long) c->in.w - 1 + c->pl - (long) kx) / (long) c->sw;
                    unsigned hi = last < 0 ? 0u : (unsigned) last + 1u < c->conv_w ? (unsigned) last + 1u : c->conv_w;
                    int32_t k = ld(a, w + ((rel * c->ipg + i) * taps + ky * c->kw + kx) * c->wwidth, c->wwidth);
                    uint32_t src = at(&c->in, ci, (unsigned) iy, 0);
                    for (x = lo; x < hi; x++) {
                        int32_t v = ld(a, src + (x * c->sw + kx - c->pl) * c->in.width, c->in.width);
                        /* |v * k| <= 2^30: the product fits; the sum wraps in 32 bits */
                        st32(a, row + 4u * x, ld32(a, row + 4u * x) + (uint32_t) (v * k));
                    }
                }
            }
        }
        for (x = 0; x < c->conv_w; x++) {
            int64_t v = shift_round(signed32(ld32(a, row + 4u * x)), n) + late;
            st32(a, row + 4u * x, (uint32_t) clamp(v, c->lo, c->hi));
        }
    }
}

static int32_t row_value(const uint8_t *a, const tr_iconv *c, unsigned rel, unsigned x) {
    return signed32(ld32(a, c->rows + 4u * (rel * c->conv_w + x)));
}

static void pool_row(uint8_t *a, const tr_iconv *c, unsigned c0, unsigned c1, unsigned py) {
    unsigned rel;
    unsigned px;
    long r0 = (long) py * c->ps - c->ppt;
    for (rel = 0; rel < c1 - c0; rel++) {
        for (px = 0; px < c->out_w; px++) {
            int32_t m = INT32_MIN;
            long x0 = (long) px * c->ps - c->ppl;
            unsigned ky;
            for (ky = 0; ky < c->pk; ky++) {
                long r = r0 + (long) ky;
                unsigned kx;
                uint32_t src;
                if (r < 0 || r >= (long) c->conv_h) {
                    continue;
                }
                src = c->ring + (((uint32_t) r % c->pk) * (c1 - c0) + rel) * c->conv_w * c->cwidth;
                for (kx = 0; kx < c->pk; kx++) {
                    long x = x0 + (long) kx;
                    if (x >= 0 && x < (long) c->conv_w) {
                        int32_t v = ld(a, src + (uint32_t) x * c->cwidth, c->cwidth);
                        m = v > m ? v : m;
                    }
                }
            }
            st(a, at(&c->out, c->choff + c0 + rel, py, px), c->out.width, m);
        }
    }
}

/* Row y of relu(add(shortcut, pad(conv))) written over the shortcut. */
static void add_row(uint8_t *a, const tr_iconv *c, unsigned c0, unsigned c1, unsigned y) {
    unsigned rel;
    int conv = y < c->conv_h;
    for (rel = 0; rel < c1 - c0; rel++) {
        unsigned x;
        for (x = 0; x < c->out_w; x++) {
            uint32_t d = at(&c->out, c0 + rel, y, x);
            int64_t branch = 0;
            int32_t v;
            if (conv && x < c->conv_w) {
                branch = row_value(a, c, rel, x);
                if (c->conv_pad) {
                    branch = rescale(branch, &c->pad);
                }
            }
            v = clamp(shift_round(ld(a, d, c->out.width), c->shortcut_shift) + shift_round(branch, c->branch_shift), c->add.lo,
                      c->add.hi);
            if (c->res_relu) {
                v = rescale(v > 0 ? v : 0, &c->relu);
            }
            st(a, d, c->out.width, v);
        }
    }
}

void tr_int_conv_tile(uint8_t *a, const tr_iconv *c, unsigned c0, unsigned c1, uint32_t w, uint32_t b) {
    unsigned y;
    unsigned rel;
    unsigned x;
    if (c->residual) {
        for (y = 0; y < c->out_h; y++) {
            if (y < c->conv_h) {
                conv_row(a, c, c0, c1, w, b, y);
            }
            add_row(a, c, c0, c1, y);
        }
    } else if (c->pooled) {
        long done = -1;
        for (y = 0; y < c->out_h; y++) {
            long need = (long) y * c->ps - c->ppt + c->pk - 1;
            if (need > (long) c->conv_h - 1) {
                need = (long) c->conv_h - 1;
            }
            while (done < need) {
                uint32_t ring;
                done++;
                conv_row(a, c, c0, c1, w, b, (unsigned) done);
                ring = c->ring + ((uint32_t) done % c->pk) * (c1 - c0) * c->conv_w * c->cwidth;
                for (rel = 0; rel < c1 - c0; rel++) {
                    for (x = 0; x < c->conv_w; x++) {
                        st(a, ring + (rel * c->conv_w + x) * c->cwidth, c->cwidth, row_value(a, c, rel, x));
                    }
                }
            }
            pool_row(a, c, c0, c1, y);
        }
    } else {
        for (y = 0; y < c->out_h; y++) {
            conv_row(a, c, c0, c1, w, b, y);
            for (rel = 0; rel < c1 - c0; rel++) {
                for (x = 0; x < c->conv_w; x++) {
                    st(a, at(&c->out, c->choff + c0 + rel, y, x), c->out.width, row_value(a, c, rel, x));
                }
            }
        }
    }
}

void tr_int_pool(uint8_t *a, const tr_tensor *in, const tr_tensor *out, int max, unsigned k, unsigned s, unsigned pt,
                 unsigned pl, const tr_rescale *r) {
    unsigned c;
    unsigned y;
    unsigned x;
    for (c = 0; c < out->channels; c++) {
        for (y = 0; y < out->h; y++) {
            for (x = 0; x < out->w; x++) {
                int64_t acc = max ? INT32_MIN : 0;
                unsigned ky;
                for (ky = 0; ky < k; ky++) {
                    long iy = (long) y * s + (long) ky - (long) pt;
                    unsigned kx;
                    if (iy < 0 || iy >= (long) in->h) {
                        continue;
                    }
                    for (kx = 0; kx < k; kx++) {
                        long ix = (long) x * s + (long) kx - (long) pl;
                        if (ix >= 0 && ix < (long) in->w) {
                            int32_t v = ld(a, at(in, c, (unsigned) iy, (unsigned) ix), in->width);
                            acc = max ? (v > acc ? v : acc) : acc + v;
                        }
                    }
                }
                st(a, at(out, c, y, x), out->width, max ? (int32_t) acc : clamp(div_round(acc, (int64_t) k * k, r->shift), r->lo, r->hi));
            }
        }
    }
}

void tr_int_pad(uint8_t *a, const tr_tensor *in, const tr_tensor *out, unsigned top, unsigned left, const tr_rescale *r) {
    unsigned c;
    unsigned y;
    unsigned x;
    for (c = 0; c < out->channels; c++) {
        for (y = 0; y < out->h; y++) {
            for (x = 0; x < out->w; x++) {
                int32_t v = 0;
                if (c < in->channels && y >= top && y - top < in->h && x >= left && x - left < in->w) {
                    v = rescale(ld(a, at(in, c, y - top, x - left), in->width), r);
                }
                st(a, at(out, c, y, x), out->width, v);
            }
        }
    }
}

void tr_int_sum(uint8_t *a, const tr_tensor *x, const tr_tensor *y, const tr_tensor *out, int sx, int sy,
                const tr_rescale *add, int relu, const tr_rescale *r) {
    uint32_t i;
    uint32_t n = (uint32_t) out->channels * out->h * out->w;
    for (i = 0; i < n; i++) {
        int32_t v = clamp(shift_round(ld(a, x->base + i * x->width, x->width), sx)
                          + shift_round(ld(a, y->base + i * y->width, y->width), sy), add->lo, add->hi);
        if (relu) {
            v = rescale(v > 0 ? v : 0, r);
        }
        st(a, out->base + i * out->width, out->width, v);
    }
}

void tr_int_relu(uint8_t *a, const tr_tensor *in, const tr_tensor *out, const tr_rescale *r) {
    uint32_t i;
    uint32_t n = (uint32_t) out->channels * out->h * out->w;
    for (i = 0; i < n; i++) {
        int32_t v = ld(a, in->base + i * in->width, in->width);
        st(a, out->base + i * out->width, out->width, rescale(v > 0 ? v : 0, r));
    }
}

void tr_int_copy(uint8_t *a, const tr_tensor *part, const tr_tensor *out, unsigned choff, const tr_rescale *r) {
    uint32_t i;
    uint32_t n = (uint32_t) part->channels * part->h * part->w;
    uint32_t dst = at(out, choff, 0, 0);
    for (i = 0; i < n; i++) {
        st(a, dst + i * out->width, out->width, rescale(ld(a, part->base + i * part->width, part->width), r));
    }
}

void tr_int_average(uint8_t *a, const tr_tensor *in, const tr_tensor *out, const tr_rescale *r) {
    unsigned c;
    uint32_t plane = (uint32_t) in->h * in->w;
    for (c = 0; c < in->channels; c++) {
        int64_t sum = 0;
        uint32_t i;
        uint32_t src = at(in, c, 0, 0);
        for (i = 0; i < plane; i++) {
            sum += ld(a, src + i * in->width, in->width);
        }
        st(a, at(out, c, 0, 0), out->width, clamp(div_round(sum, plane, r->shift), r->lo, r->hi));
    }
}
