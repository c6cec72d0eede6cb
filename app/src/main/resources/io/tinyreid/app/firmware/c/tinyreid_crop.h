/* The frame loop's face crop in C99, as app's FaceReidFrames does it: the detector's box made square
 * (centred, clamped to the frame), scaled straight from the frame into the network's square input with
 * vision's LinearResizer in INTER_LINEAR mode (11-bit coefficients, OpenCV 4.10's vector rounding), or
 * the 2x2 box for an exact halving. Bit for bit with the Java. No heap: tables in the caller's memory. */
#ifndef TINYREID_CROP_H
#define TINYREID_CROP_H

#include <stdint.h>

/** Bytes of scaling tables for a SIDE x SIDE output (x/y offsets, coefficients, two horizontal rows). */
#define TRC_TABLE_BYTES(SIDE) (4u * (SIDE) * 4u + 2u * 2u * (SIDE) * 2u)

/**
 * Writes the side x side crop of box (x, y, w, h) of the fw x fh frame into out; tables is
 * TRC_TABLE_BYTES(side) bytes, 4-aligned. Returns 0, or -1 for an empty box.
 */
int trc_crop(const uint8_t *frame, int32_t fw, int32_t fh, int32_t x, int32_t y, int32_t w, int32_t h, uint8_t *out,
             int32_t side, void *tables);

#endif
