/* TinyReID device kernels: see tinyreid_kernels.h. */
#include "tinyreid_kernels.h"

#include <string.h>

static int16_t ld16(const uint8_t *arena, uint32_t index) {
    int16_t v;
    memcpy(&v, arena + 2u * index, sizeof v);
    return v;
}

static void st16(uint8_t *arena, uint32_t index, int16_t v) {
    memcpy(arena + 2u * index, &v, sizeof v);
}

/* Element index of (c, y, 0) of a view. */
static uint32_t at(const tr_view *v, unsigned c, unsigned y) {
    return v->base / 2u + c * v->cs + (y % v->ring) * v->rs;
}

/* Two's complement value of a 32-bit pattern, without implementation-defined conversion. */
static int32_t signed32(uint32_t u) {
    return u <= 0x7fffffffu ? (int32_t) u : -(int32_t) (~u) - 1;
}

/* Arithmetic right shift of a 32-bit pattern (floor division by 2^n), spelled out. */
static int32_t asr32(uint32_t u, unsigned n) {
    uint32_t shifted = u >> n;
    if ((u & 0x80000000u) != 0u && n > 0u) {
        shifted |= ~(0xffffffffu >> n);
    }
    return signed32(shifted);
}

static int16_t clip16(int32_t v) {
    return (int16_t) (v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

int16_t tr_exact_step(int16_t out, uint32_t acc, unsigned norm) {
    uint32_t a = ((uint32_t) (int32_t) out << norm) + acc;
    if (norm > 0u) {
        a += 1u << (norm - 1u);
    }
    return clip16(asr32(a, norm));
}

void tr_conv_row(uint8_t *arena, const tr_conv *c, const tr_tile *t, unsigned r) {
    /* one output row of one channel at a time: running outputs and the current input channel's sums */
    int16_t out[TR_MAX_WIDTH];
    uint32_t acc[TR_MAX_WIDTH];
    uint32_t row[TR_MAX_KERNEL];
    unsigned taps = (unsigned) c->kh * c->kw;
    unsigned w_out = c->conv_w;
    unsigned oc;
    unsigned x;
    unsigned ic;
    unsigned ky;
    unsigned kx;
    /* padded rows and columns hold zeros: they add nothing to a channel's sum, so they are skipped */
    for (ky = 0; ky < c->kh; ky++) {
        long iy = (long) r * c->sh - c->pt + (long) ky;
        row[ky] = iy < 0 || iy >= (long) c->in_h ? UINT32_MAX : at(&c->in, 0, (unsigned) iy);
    }
    for (oc = t->c0; oc < t->c1; oc++) {
        uint32_t dst = c->pooled ? at(&c->pool, oc - t->c0, r) : at(&c->out, oc, r);
        uint32_t wbase = t->w / 2u + (oc - t->c0) * (uint32_t) c->cin * taps;
        int16_t bias = ld16(arena, t->b / 2u + (oc - t->c0));
        for (x = 0; x < w_out; x++) {
            out[x] = bias;
        }
        for (ic = 0; ic < c->cin; ic++) {
            uint32_t w = wbase + ic * taps;
            uint32_t channel = ic * c->in.cs;
            if (taps == 1u && c->pl == 0u && c->sw == 1u) {
                /* a 1x1 stride-1 conv: the channel's sum is one product */
                int32_t k = ld16(arena, w);
                const uint8_t *p = arena + 2u * (row[0] + channel);
                for (x = 0; x < w_out; x++) {
                    int16_t v = 0;
                    if (row[0] != UINT32_MAX) {
                        memcpy(&v, p + 2u * x, sizeof v);
                    }
                    out[x] = tr_exact_step(out[x], (uint32_t) (v * k), c->norm);
                }
                continue;
            }
            for (x = 0; x < w_out; x++) {
                acc[x] = 0;
            }
            for (ky = 0; ky < c->kh; ky++) {
                if (row[ky] == UINT32_MAX) {
                    continue;
                }
                for (kx = 0; kx < c->kw; kx++) {
                    /* output columns whose input column x * sw - pl + kx is inside the row */
                    unsigned lo = kx >= c->pl ? 0u : (c->pl - kx + c->sw - 1u) / c->sw;
                    long last = ((long) c->in_w - 1 + c->pl - (long) kx) / (long) c->sw;
                    unsigned hi = last < 0 ? 0u : (unsigned) last + 1u < w_out ? (unsigned) last + 1u : w_out;
                    int32_t k = ld16(arena, w + ky * c->kw + kx);
                    const uint8_t *p = arena + 2u * (row[ky] + channel + lo * c->sw + kx - c->pl);
                    unsigned step = 2u * c->sw;
                    for (x = lo; x < hi; x++) {
                        int16_t v;
                        memcpy(&v, p, sizeof v);
                        acc[x] += (uint32_t) (v * k);
                        p += step;
                    }
                }
            }
            for (x = 0; x < w_out; x++) {
                out[x] = tr_exact_step(out[x], acc[x], c->norm);
            }
        }
        for (x = 0; x < w_out; x++) {
            st16(arena, dst + x, c->relu && out[x] < 0 ? 0 : out[x]);
        }
    }
}

void tr_pool_row(uint8_t *arena, const tr_conv *c, const tr_tile *t, unsigned py) {
    unsigned oc;
    unsigned px;
    unsigned ky;
    unsigned kx;
    long r0 = (long) py * c->ps - c->ppt;
    for (oc = t->c0; oc < t->c1; oc++) {
        uint32_t dst = at(&c->out, oc, py);
        for (px = 0; px < c->out_w; px++) {
            int16_t m = -32768;
            long x0 = (long) px * c->ps - c->ppl;
            for (ky = 0; ky < c->pk; ky++) {
                long y = r0 + (long) ky;
                uint32_t src;
                if (y < 0 || y >= (long) c->conv_h) {
                    continue;
                }
                src = at(&c->pool, oc - t->c0, (unsigned) y);
                for (kx = 0; kx < c->pk; kx++) {
                    long xx = x0 + (long) kx;
                    if (xx >= 0 && xx < (long) c->conv_w) {
                        int16_t v = ld16(arena, src + (uint32_t) xx);
                        if (v > m) {
                            m = v;
                        }
                    }
                }
            }
            st16(arena, dst + px, m);
        }
    }
}

void tr_conv_tile(uint8_t *arena, const tr_conv *c, tr_tile *t) {
    unsigned y;
    t->conv_done = 0;
    for (y = 0; y < c->out_h; y++) {
        if (c->pooled) {
            long need = (long) y * c->ps - c->ppt + c->pk - 1;
            if (need > (long) c->conv_h - 1) {
                need = (long) c->conv_h - 1;
            }
            while ((long) t->conv_done <= need) {
                tr_conv_row(arena, c, t, t->conv_done);
                t->conv_done++;
            }
            tr_pool_row(arena, c, t, y);
        } else {
            tr_conv_row(arena, c, t, y);
        }
    }
}

void tr_average(uint8_t *arena, const tr_view *in, const tr_view *out, unsigned channels, unsigned plane) {
    unsigned c;
    unsigned k;
    uint32_t mult = 65536u / plane;
    for (c = 0; c < channels; c++) {
        uint32_t src = at(in, c, 0);
        uint32_t sum = 0;
        for (k = 0; k < plane; k++) {
            sum += (uint32_t) (int32_t) ld16(arena, src + k);
        }
        st16(arena, at(out, c, 0), clip16(asr32(sum * mult + 32768u, 16)));
    }
}
