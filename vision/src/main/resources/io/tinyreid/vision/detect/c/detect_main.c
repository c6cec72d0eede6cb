/* The C detector on QVGA-or-smaller gray PGM frames: one JSON line per frame,
 * {"frame":PATH,"boxes":[[x,y,w,h,neighbours,scoreBits],...],"truncated":0|1}, scoreBits being the
 * score's IEEE-754 bits (so a comparison is exact). Usage:
 * detect-host [--params SCALE,NEIGHBOURS,MINW,MINH,MAXW,MAXH] FRAME.pgm...   (default 1.1,3,24,24,0,0) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cascade.h"
#include "tinyreid_detect.h"

#define MAX_W 320
#define MAX_H 240
#define CANDIDATES 1024
#define BOXES 32

static uint32_t scratch[TRD_SCRATCH_BYTES(TRD_CASCADE_WIN_H, MAX_W, MAX_H, CANDIDATES) / 4u];
static uint8_t pixels[MAX_W * MAX_H];
static trd_box boxes[BOXES];

/* Next header integer of a PGM (skipping white space and # comments); -1 when there is none. */
static long header_int(FILE *f) {
    long v = 0;
    int ch = fgetc(f), digits = 0;
    while (ch == '#' || ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
        if (ch == '#') {
            while (ch != '\n' && ch != EOF) {
                ch = fgetc(f);
            }
        }
        ch = fgetc(f);
    }
    while (ch >= '0' && ch <= '9' && digits < 6) {
        v = 10 * v + (ch - '0');
        digits++;
        ch = fgetc(f);
    }
    return digits == 0 || digits == 6 ? -1 : v;
}

/* Reads a binary 8-bit PGM into pixels; 0, or -1 with *why set. */
static int read_pgm(const char *path, int32_t *w, int32_t *h, const char **why) {
    FILE *f = fopen(path, "rb");
    long width, height, maxval;
    int ok = -1;
    if (f == NULL) {
        *why = "cannot open";
        return -1;
    }
    if (fgetc(f) != 'P' || fgetc(f) != '5') {
        *why = "not a binary PGM (P5)";
    } else if ((width = header_int(f)) <= 0 || (height = header_int(f)) <= 0 || (maxval = header_int(f)) != 255) {
        *why = "bad PGM header (8-bit gray expected)";
    } else if (width > MAX_W || height > MAX_H) {
        *why = "larger than 320x240";
    } else if (fread(pixels, 1, (size_t) (width * height), f) != (size_t) (width * height)) {
        *why = "truncated pixel data";
    } else {
        *w = (int32_t) width;
        *h = (int32_t) height;
        ok = 0;
    }
    fclose(f);
    return ok;
}

int main(int argc, char **argv) {
    trd_params p = {1.1, 3, 24, 24, 0, 0};
    trd_boxes out;
    int i = 1, failed = 0;
    out.box = boxes;
    out.capacity = BOXES;
    if (argc > 2 && strcmp(argv[1], "--params") == 0) {
        char *s = argv[2], *end;
        long v[5];
        int k;
        p.scale_factor = strtod(s, &end);
        for (k = 0; k < 5; k++) {
            if (*end != ',') {
                fprintf(stderr, "error: --params wants SCALE,NEIGHBOURS,MINW,MINH,MAXW,MAXH\n");
                return 2;
            }
            v[k] = strtol(end + 1, &end, 10);
        }
        p.min_neighbors = (int32_t) v[0];
        p.min_w = (int32_t) v[1];
        p.min_h = (int32_t) v[2];
        p.max_w = (int32_t) v[3];
        p.max_h = (int32_t) v[4];
        i = 3;
    }
    for (; i < argc; i++) {
        int32_t w = 0, h = 0, k;
        const char *why = "";
        if (read_pgm(argv[i], &w, &h, &why) != 0) {
            fprintf(stderr, "error: %s: %s\n", argv[i], why);
            failed = 1;
            continue;
        }
        if (trd_detect(&TRD_CASCADE, pixels, w, h, &p, scratch, sizeof scratch, MAX_W, MAX_H, CANDIDATES, &out) != 0) {
            fprintf(stderr, "error: %s: invalid detection parameters\n", argv[i]);
            failed = 1;
            continue;
        }
        printf("{\"frame\":\"%s\",\"boxes\":[", argv[i]);
        for (k = 0; k < out.count; k++) {
            uint32_t bits;
            memcpy(&bits, &out.box[k].score, sizeof bits);
            printf("%s[%ld,%ld,%ld,%ld,%ld,%lu]", k > 0 ? "," : "", (long) out.box[k].x, (long) out.box[k].y,
                   (long) out.box[k].w, (long) out.box[k].h, (long) out.box[k].neighbors, (unsigned long) bits);
        }
        printf("],\"truncated\":%d}\n", out.truncated ? 1 : 0);
    }
    return failed;
}
