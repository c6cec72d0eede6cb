/* The doorbell's frame loop on the device: for each camera frame (a gray PGM of at most 320x240 read
 * through tinyreid_io, i.e. semihosting under QEMU) the Haar detector, then for the largest face of at
 * least TRF_MIN_FACE pixels the square crop, the network and the gallery's decision. One JSON line per
 * frame:
 *   {"frame":PATH,"boxes":[[x,y,w,h,neighbours,scoreBits],...],"truncated":0,"face":[x,y,w,h]|null,
 *    "descriptor":"FNV1A32"|null,"decision":"known"|"stranger"|"none","person":ID,"distance":"BITS64"|null,
 *    "detect_ms":T,"network_ms":T}
 * (scoreBits: the float score's IEEE bits; descriptor: FNV-1a of the int16 descriptor, the mean of the
 * network's outputs on the crop and on its mirror, little endian; distance: the double's IEEE bits in
 * hex; *_ms: processor or emulated time, which under QEMU -icount shift=0 is instructions / 1e6.)
 * Every buffer is at its place in the one static L2 layout (layout.h), which reuses bytes between the
 * loop's phases exactly as `tinyreid budget` plans them; the cascade is const data in flash; no heap.
 * Usage: doorbell [--weights BLOB] [--gallery FILE] FRAME.pgm...  (defaults weights.bin, gallery.bin) */
#include <stdio.h>
#include <string.h>

#include "cascade.h"
#include "layout.h"
#include "model.h"
#include "tinyreid_crop.h"
#include "tinyreid_detect.h"
#include "tinyreid_gallery.h"
#include "tinyreid_io.h"

#define HEADER_BYTES 64u
#define GALLERY_HEADER 32u

static int64_t owners[TRF_GALLERY_CAPACITY > 0 ? TRF_GALLERY_CAPACITY : 1];
static double shifts[TRF_GALLERY_CAPACITY > 0 ? TRF_GALLERY_CAPACITY : 1];

static uint32_t le32(const unsigned char *p) {
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint64_t le64(const unsigned char *p) {
    return (uint64_t) le32(p) | (uint64_t) le32(p + 4) << 32;
}

static double bits_to_double(uint64_t b) {
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* Loads gallery.bin ("TRG2", dimension, count, 0, accept and margin as IEEE doubles, count owner ids,
 * count shifts as IEEE doubles, count x dimension Q14 templates, all little endian) into the gallery region; 0, or -1 with *why. */
static int load_gallery(const char *path, trg_gallery *g, const char **why) {
    unsigned char h[GALLERY_HEADER];
    unsigned char b[8];
    int16_t *templates = (int16_t *) (void *) TRF_GALLERY;
    uint32_t i, values;
    int file = tr_io_open(path);
    if (file < 0) {
        *why = "cannot open";
        return -1;
    }
    if (tr_io_read(file, 0, h, GALLERY_HEADER) != 0 || memcmp(h, "TRG2", 4) != 0) {
        *why = "not a TinyReID gallery (TRG2)";
        tr_io_close(file);
        return -1;
    }
    g->dimension = le32(h + 4);
    g->count = le32(h + 8);
    g->accept = bits_to_double(le64(h + 16));
    g->margin = bits_to_double(le64(h + 24));
    if (g->dimension != TR_DESCRIPTOR_LENGTH || g->count > TRF_GALLERY_CAPACITY) {
        *why = "its templates do not fit the gallery region this firmware was laid out for";
        tr_io_close(file);
        return -1;
    }
    for (i = 0; i < g->count; i++) {
        if (tr_io_read(file, GALLERY_HEADER + 8u * i, b, 8u) != 0) {
            *why = "truncated";
            tr_io_close(file);
            return -1;
        }
        owners[i] = (int64_t) le64(b);
    }
    for (i = 0; i < g->count; i++) {
        if (tr_io_read(file, GALLERY_HEADER + 8u * g->count + 8u * i, b, 8u) != 0) {
            *why = "truncated";
            tr_io_close(file);
            return -1;
        }
        shifts[i] = bits_to_double(le64(b));
    }
    values = g->count * g->dimension;
    if (values > 0 && tr_io_read(file, GALLERY_HEADER + 16u * g->count, templates, 2u * values) != 0) {
        *why = "truncated";
        tr_io_close(file);
        return -1;
    }
    for (i = 0; i < values; i++) { /* the file is little endian; so is the Cortex-M7 and x86, but say so */
        const unsigned char *p = (const unsigned char *) &templates[i];
        uint16_t u = (uint16_t) (p[0] | p[1] << 8);
        templates[i] = (int16_t) (u < 32768u ? (int32_t) u : (int32_t) u - 65536);
    }
    g->owner = owners;
    g->shift = shifts;
    g->templates = templates;
    tr_io_close(file);
    return 0;
}

/* Reads a binary gray PGM of at most 320x240 into the frame region; 0, or -1 with *why. */
static int read_frame(const char *path, int32_t *w, int32_t *h, const char **why) {
    unsigned char buf[HEADER_BYTES];
    unsigned long field[3];
    uint32_t n = HEADER_BYTES, i = 2;
    unsigned f;
    int file = tr_io_open(path);
    if (file < 0) {
        *why = "cannot open";
        return -1;
    }
    while (n > 0 && tr_io_read(file, 0, buf, n) != 0) {
        n /= 2; /* a short file: read what is there */
    }
    if (n < 3 || buf[0] != 'P' || buf[1] != '5') {
        *why = "not a binary gray PGM (P5)";
        tr_io_close(file);
        return -1;
    }
    for (f = 0; f < 3; f++) {
        unsigned long v = 0;
        unsigned digits = 0;
        while (i < n && (buf[i] == '#' || buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) {
            if (buf[i] == '#') {
                while (i < n && buf[i] != '\n') {
                    i++;
                }
            } else {
                i++;
            }
        }
        while (i < n && buf[i] >= '0' && buf[i] <= '9' && digits < 6) {
            v = v * 10u + (unsigned long) (buf[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || i >= n) {
            *why = "bad PGM header";
            tr_io_close(file);
            return -1;
        }
        field[f] = v;
    }
    i++;
    if (field[2] != 255u || field[0] == 0u || field[1] == 0u || field[0] > TRF_FRAME_WIDTH || field[1] > TRF_FRAME_HEIGHT) {
        *why = "not an 8-bit gray frame of at most 320x240";
        tr_io_close(file);
        return -1;
    }
    *w = (int32_t) field[0];
    *h = (int32_t) field[1];
    if (tr_io_read(file, i, TRF_FRAME, (uint32_t) (field[0] * field[1])) != 0) {
        *why = "truncated PGM";
        tr_io_close(file);
        return -1;
    }
    tr_io_close(file);
    return 0;
}

static void print_json_string(const char *s) {
    putchar('"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            putchar('\\');
        }
        if ((unsigned char) *s >= 0x20u) {
            putchar(*s);
        }
    }
    putchar('"');
}

static void print_bits64(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    printf("\"%08lx%08lx\"", (unsigned long) (b >> 32), (unsigned long) (b & 0xffffffffu));
}

int main(int argc, char **argv) {
    static const trd_params params = {1.1, 3, TRF_MIN_FACE, TRF_MIN_FACE, 0, 0};
    const char *weights = "weights.bin", *gallery_file = "gallery.bin", *why = "";
    trg_gallery gallery;
    trd_boxes boxes;
    int first = 1, failed = 0, blob, i;
    while (first + 1 < argc && (strcmp(argv[first], "--weights") == 0 || strcmp(argv[first], "--gallery") == 0)) {
        if (strcmp(argv[first], "--weights") == 0) {
            weights = argv[first + 1];
        } else {
            gallery_file = argv[first + 1];
        }
        first += 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [--weights BLOB] [--gallery FILE] FRAME.pgm...\n", argc > 0 ? argv[0] : "doorbell");
        return 2;
    }
    if (load_gallery(gallery_file, &gallery, &why) != 0) {
        fprintf(stderr, "error: gallery %s: %s\n", gallery_file, why);
        return 2;
    }
    blob = tr_io_open(weights);
    if (blob < 0) {
        fprintf(stderr, "error: cannot open the weight blob %s\n", weights);
        return 2;
    }
    boxes.box = (trd_box *) (void *) TRF_BOXES;
    boxes.capacity = TRF_BOX_CAPACITY;
    for (i = first; i < argc; i++) {
        int32_t w = 0, h = 0, k, face = -1, fx = 0, fy = 0, fwid = 0, fhei = 0;
        double t0, t1, t2 = 0;
        if (read_frame(argv[i], &w, &h, &why) != 0) {
            fprintf(stderr, "error: %s: %s\n", argv[i], why);
            failed = 1;
            continue;
        }
        /* detect: the strip scratch and the boxes are live now; the boxes are printed (and the face kept)
         * before the crop and the network reuse their bytes */
        t0 = tr_clock_ms();
        if (trd_detect(&TRD_CASCADE, TRF_FRAME, w, h, &params, TRF_DETECTOR, TRF_DETECTOR_BYTES, TRF_FRAME_WIDTH,
                       TRF_FRAME_HEIGHT, TRF_CANDIDATES, &boxes) != 0) {
            fprintf(stderr, "error: %s: the detector's scratch does not fit\n", argv[i]);
            failed = 1;
            break;
        }
        t1 = tr_clock_ms();
        printf("{\"frame\":");
        print_json_string(argv[i]);
        printf(",\"boxes\":[");
        for (k = 0; k < boxes.count; k++) {
            const trd_box *b = &boxes.box[k];
            uint32_t bits;
            memcpy(&bits, &b->score, sizeof bits);
            printf("%s[%ld,%ld,%ld,%ld,%ld,%lu]", k > 0 ? "," : "", (long) b->x, (long) b->y, (long) b->w, (long) b->h,
                   (long) b->neighbors, (unsigned long) bits);
            /* the face identified: the largest box big enough (the first of equals) */
            if ((b->w < b->h ? b->w : b->h) >= TRF_MIN_FACE && (face < 0 || b->w * b->h > fwid * fhei)) {
                face = k;
                fx = b->x;
                fy = b->y;
                fwid = b->w;
                fhei = b->h;
            }
        }
        printf("],\"truncated\":%d", boxes.truncated ? 1 : 0);
        if (face < 0) {
            printf(",\"face\":null,\"descriptor\":null,\"decision\":\"none\",\"person\":0,\"distance\":null");
        } else {
            int16_t *query = (int16_t *) (void *) TRF_QUERY;
            uint32_t hash = 2166136261u, q;
            trg_match m;
            if (trc_crop(TRF_FRAME, w, h, fx, fy, fwid, fhei, TRF_CROP, TR_INPUT_WIDTH, TRF_CROP_TABLES) != 0) {
                fprintf(stderr, "error: %s: empty face box\n", argv[i]);
                failed = 1;
                break;
            }
            for (q = 0; q < (uint32_t) TR_INPUT_WIDTH * TR_INPUT_HEIGHT; q++) {
                tr_model_set_input(q, TRF_CROP[q]);
            }
            if (tr_model_run(blob) != 0) {
                fprintf(stderr, "error: %s: the weight blob %s is too short for this model\n", argv[i], weights);
                failed = 1;
                break;
            }
            for (q = 0; q < TR_DESCRIPTOR_LENGTH; q++) {
                query[q] = tr_model_output(q);
            }
            /* the product's view: the network again on the crop mirrored left-right, the two outputs averaged
             * (halves rounded up, floor((a + b + 1) / 2) without shifting a negative number) */
            for (q = 0; q < (uint32_t) TR_INPUT_WIDTH * TR_INPUT_HEIGHT; q++) {
                uint32_t row = q / (uint32_t) TR_INPUT_WIDTH, col = q % (uint32_t) TR_INPUT_WIDTH;
                tr_model_set_input(q, TRF_CROP[row * (uint32_t) TR_INPUT_WIDTH + ((uint32_t) TR_INPUT_WIDTH - 1u - col)]);
            }
            if (tr_model_run(blob) != 0) {
                fprintf(stderr, "error: %s: the weight blob %s is too short for this model\n", argv[i], weights);
                failed = 1;
                break;
            }
            t2 = tr_clock_ms();
            for (q = 0; q < TR_DESCRIPTOR_LENGTH; q++) {
                uint16_t u;
                int32_t sum = (int32_t) query[q] + (int32_t) tr_model_output(q) + 1;
                query[q] = (int16_t) (sum >= 0 ? sum / 2 : -((-sum + 1) / 2));
                u = (uint16_t) query[q];
                hash = (hash ^ (u & 0xffu)) * 16777619u;
                hash = (hash ^ (uint32_t) (u >> 8)) * 16777619u;
            }
            trg_unit_in_place(query, TR_DESCRIPTOR_LENGTH);
            trg_nearest_person(&gallery, query, &m);
            printf(",\"face\":[%ld,%ld,%ld,%ld],\"descriptor\":\"%08lx\",\"decision\":\"%s\",\"person\":%ld,\"distance\":",
                   (long) fx, (long) fy, (long) fwid, (long) fhei, (unsigned long) hash, m.known ? "known" : "stranger",
                   (long) m.person);
            print_bits64(m.distance);
        }
        printf(",\"detect_ms\":%.3f,\"network_ms\":%.3f}\n", t1 - t0, face < 0 ? 0.0 : t2 - t1);
    }
    tr_io_close(blob);
    return failed;
}
