/* The cascade face detector in C99 with the semantics of vision's Java CascadeDetector, bit for bit:
 * OpenCV's detectMultiScale scale list, an INTER_LINEAR_EXACT pyramid computed row by row, integral
 * images for a strip as tall as the window only (a ring of win_h + 1 rows), squared sums as running
 * column sums, the variance normalisation over the window shrunk by one pixel, OpenCV's window
 * stepping and skip rule, and OpenCV's groupRectangles. Integer arithmetic where Java's is int
 * (squared sums wrap as unsigned, as Java's int does), float and double exactly where Java uses them.
 * Haar stump cascades with upright features (what PackedCascade holds for OpenCV's frontal face
 * cascade); the generator refuses others. No heap, no recursion: all memory is the caller's scratch. */
#ifndef TINYREID_DETECT_H
#define TINYREID_DETECT_H

#include <stddef.h>
#include <stdint.h>

/** A packed cascade as vision's PackedCascade holds it (the generator emits one as const data). */
typedef struct {
    const char *name;
    int32_t win_w;
    int32_t win_h;
    int32_t stage_count;
    const int16_t *stage_trees;     /* trees (stumps) per stage */
    const int32_t *stage_threshold; /* at the stage's leaf scale */
    const int8_t *stage_shift;      /* log2 of the stage's leaf scale */
    const uint8_t *node_info;       /* bits 0-1 rectangles, bit 2 tilted (never here), bits 3-7 threshold exponent */
    const uint32_t *rects;          /* x | y << 8 | w << 16 | h << 24 */
    const int8_t *weights;          /* per rectangle */
    const int16_t *node_threshold;  /* mantissa: threshold * 2^e */
    const int32_t *leaves;          /* two per stump, at the stage's scale */
} trd_cascade;

/** detectMultiScale's parameters (vision's DetectionParams). */
typedef struct {
    double scale_factor;
    int32_t min_neighbors;
    int32_t min_w;
    int32_t min_h;
    int32_t max_w; /* 0: the frame */
    int32_t max_h;
} trd_params;

/** One detected box: the raw windows merged into it and the score of its best window. */
typedef struct {
    int32_t x;
    int32_t y;
    int32_t w;
    int32_t h;
    int32_t neighbors;
    float score;
} trd_box;

/** The caller's list of boxes; truncated is set when boxes or raw windows did not fit. */
typedef struct {
    trd_box *box;
    int32_t capacity;
    int32_t count;
    int32_t truncated;
} trd_boxes;

/** Scratch bytes for frames up to MAX_W x MAX_H, a window WIN_H tall and CAND raw windows (4-aligned). */
#define TRD_SCRATCH_BYTES(WIN_H, MAX_W, MAX_H, CAND) \
    (4u * ((WIN_H) + 1u) * ((MAX_W) + 1u) /* integral ring */ \
     + 4u * ((WIN_H) + 1u)               /* ring row offsets */ \
     + 4u * (MAX_W) + 4u * ((MAX_W) + 1u) /* column squares, their prefix sums */ \
     + 4u * 3u * (MAX_W) + 4u * (MAX_H)  /* resize: x offsets, two horizontal rows; y offsets */ \
     + 4u * (CAND)                       /* candidate scores */ \
     + 2u * 2u * (MAX_W) + 2u * 2u * (MAX_H) /* resize coefficients */ \
     + 2u * 5u * (CAND)                  /* candidate x, y, w, h, label */ \
     + (MAX_W) + 3u) / 4u * 4u           /* one pyramid row */

/**
 * Detects in the w x h frame (row-major, stride w) into out (cleared first). Returns 0, or -1 when
 * the frame is larger than the scratch was sized for (max_w x max_h), the scratch is too small or
 * misaligned, or the parameters are invalid.
 */
int trd_detect(const trd_cascade *c, const uint8_t *frame, int32_t w, int32_t h, const trd_params *p,
               void *scratch, size_t scratch_bytes, int32_t max_w, int32_t max_h, int32_t max_candidates,
               trd_boxes *out);

#endif
