/* The file interface of the generated firmware: the model reads its weight blob ("L3") tile by tile
 * through it, main.c reads images. Host: stdio (fread). Cortex-M7 under QEMU: semihosting file I/O.
 * A real board would put a DMA from flash behind tr_io_read. */
#ifndef TINYREID_IO_H
#define TINYREID_IO_H

#include <stdint.h>

/** A part of a weight tile in the model file (the L3 blob): `bytes` bytes at file offset `src` go to arena offset `dst`. */
typedef struct {
    uint32_t src;
    uint32_t bytes;
    uint32_t dst;
} tr_segment;

/** Opens a file for reading; returns a handle >= 0, or -1. */
int tr_io_open(const char *path);

/** Reads `bytes` bytes at `offset` of file `handle` into `dst`; returns 0, or -1 when they are not all there. */
int tr_io_read(int handle, uint32_t offset, void *dst, uint32_t bytes);

/** Closes a handle from tr_io_open. */
void tr_io_close(int handle);

/** Milliseconds of processor time (host) or of the semihosting clock (10 ms steps), for the JSON's "ms". */
double tr_clock_ms(void);

#endif
