/* Embeds gray PGM images with the generated model and prints one JSON line per image, in the format of
 * `tinyreid embed --mode exact` (descriptor values are the exact decimals of the int16 outputs).
 * Usage: PROGRAM [--weights BLOB] IMAGE.pgm...   (BLOB defaults to weights.bin) */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "tinyreid_io.h"

#define HEADER_BYTES 256

static unsigned char row[TR_INPUT_WIDTH];

/* Parses a binary PGM header (P5, comments allowed); returns the offset of the pixels or -1 with *why set. */
static long pgm_header(int file, unsigned *w, unsigned *h, const char **why) {
    unsigned char buf[HEADER_BYTES];
    unsigned long field[3];
    unsigned i = 2;
    unsigned f;
    uint32_t n = HEADER_BYTES;
    /* a short file: read what is there, byte count found by halving */
    while (n > 0 && tr_io_read(file, 0, buf, n) != 0) {
        n /= 2;
    }
    if (n < 3 || buf[0] != 'P' || buf[1] != '5') {
        *why = "not a binary gray PGM (P5)";
        return -1;
    }
    for (f = 0; f < 3; f++) {
        unsigned long v = 0;
        unsigned digits = 0;
        for (;;) {
            if (i >= n) {
                *why = "PGM header truncated or too long";
                return -1;
            }
            if (buf[i] == '#') {
                while (i < n && buf[i] != '\n') {
                    i++;
                }
            } else if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n') {
                i++;
            } else {
                break;
            }
        }
        while (i < n && buf[i] >= '0' && buf[i] <= '9' && digits < 6) {
            v = v * 10u + (unsigned long) (buf[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || i >= n) {
            *why = "bad PGM header";
            return -1;
        }
        field[f] = v;
    }
    i++; /* the single whitespace before the pixels */
    if (field[2] != 255u) {
        *why = "PGM maxval must be 255";
        return -1;
    }
    *w = (unsigned) field[0];
    *h = (unsigned) field[1];
    return (long) i;
}

/* Reads the image's pixels straight into the model's input tensor (value << input frac bits, saturated). */
static int load_input(const char *path, const char **why) {
    unsigned w;
    unsigned h;
    unsigned y;
    unsigned x;
    long data;
    int file = tr_io_open(path);
    if (file < 0) {
        *why = "cannot open";
        return -1;
    }
    data = pgm_header(file, &w, &h, why);
    if (data >= 0 && (w != TR_INPUT_WIDTH || h != TR_INPUT_HEIGHT)) {
        *why = "image size differs from the model input";
        data = -1;
    }
    for (y = 0; data >= 0 && y < h; y++) {
        if (tr_io_read(file, (uint32_t) data + y * w, row, w) != 0) {
            *why = "truncated PGM";
            data = -1;
            break;
        }
        for (x = 0; x < w; x++) {
            tr_model_set_input(y * w + x, row[x]);
        }
    }
    tr_io_close(file);
    return data >= 0 ? 0 : -1;
}

/* The exact decimal of q / 2^frac (at least one fractional digit, as Java prints floats). */
static void print_fixed(int16_t q, unsigned frac) {
    uint32_t mag = q < 0 ? (uint32_t) (-(int32_t) q) : (uint32_t) q;
    uint32_t mask = (1u << frac) - 1u;
    uint32_t rem = mag & mask;
    printf("%s%lu.", q < 0 ? "-" : "", (unsigned long) (mag >> frac));
    if (rem == 0u) {
        putchar('0');
    }
    while (rem != 0u) {
        rem *= 10u;
        putchar('0' + (int) (rem >> frac));
        rem &= mask;
    }
}

static void print_json_string(const char *s) {
    putchar('"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            putchar('\\');
        }
        putchar(*s);
    }
    putchar('"');
}

int main(int argc, char **argv) {
    const char *weights = "weights.bin";
    int first = 1;
    int failed = 0;
    int blob;
    int i;
    unsigned k;
    if (argc > 2 && strcmp(argv[1], "--weights") == 0) {
        weights = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [--weights BLOB] IMAGE.pgm...\n", argc > 0 ? argv[0] : "model");
        return 2;
    }
    blob = tr_io_open(weights);
    if (blob < 0) {
        fprintf(stderr, "error: cannot open the weight blob %s\n", weights);
        return 2;
    }
    for (i = first; i < argc; i++) {
        const char *why = "";
        double t0;
        double ms;
        if (load_input(argv[i], &why) != 0) {
            fprintf(stderr, "error: %s: %s\n", argv[i], why);
            failed = 1;
            continue;
        }
        t0 = tr_clock_ms();
        if (tr_model_run(blob) != 0) {
            fprintf(stderr, "error: %s: the weight blob %s is too short for this model\n", argv[i], weights);
            failed = 1;
            break;
        }
        ms = tr_clock_ms() - t0;
        printf("{\"image\":");
        print_json_string(argv[i]);
        printf(",\"mode\":\"exact\",\"ms\":%.3f,\"descriptor\":[", ms);
        for (k = 0; k < TR_DESCRIPTOR_LENGTH; k++) {
            if (k > 0) {
                putchar(',');
            }
            print_fixed(tr_model_output(k), TR_OUTPUT_FRAC);
        }
        printf("]}\n");
    }
    tr_io_close(blob);
    return failed;
}
