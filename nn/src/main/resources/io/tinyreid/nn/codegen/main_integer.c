/* Runs the generated integer network on raw input tensors and prints one JSON line per input:
 * {"input":PATH,"mode":"integer","ms":...,"frac":F,"raw":[...]}, the output's raw values at F fractional
 * bits (real = raw / 2^F), what the Java integer runtime's embedRaw returns.
 * An input file holds the input tensor's TR_INPUT_VALUES raw values (CHW) as int16 little-endian.
 * Usage: PROGRAM [--weights BLOB] INPUT.raw...   (BLOB defaults to weights.bin) */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "tinyreid_io.h"

#define CHUNK 512u

static unsigned char buf[2u * CHUNK];

/* Reads the raw input tensor into the arena; 0, or -1 with *why set. */
static int load_input(const char *path, const char **why) {
    uint32_t i = 0;
    int ok = 0;
    unsigned char extra;
    int file = tr_io_open(path);
    if (file < 0) {
        *why = "cannot open";
        return -1;
    }
    while (ok == 0 && i < TR_INPUT_VALUES) {
        uint32_t n = TR_INPUT_VALUES - i < CHUNK ? TR_INPUT_VALUES - i : CHUNK;
        uint32_t k;
        if (tr_io_read(file, 2u * i, buf, 2u * n) != 0) {
            *why = "shorter than the model's input tensor (int16 little-endian, CHW)";
            ok = -1;
            break;
        }
        for (k = 0; k < n; k++) {
            int32_t v = (int32_t) buf[2u * k] | (int32_t) buf[2u * k + 1u] << 8;
            v = v < 32768 ? v : v - 65536;
            if (v < TR_INPUT_MIN || v > TR_INPUT_MAX) {
                *why = "a value outside the input tensor's format";
                ok = -1;
                break;
            }
            tr_model_set_input(i + k, v);
        }
        i += n;
    }
    if (ok == 0 && tr_io_read(file, 2u * TR_INPUT_VALUES, &extra, 1u) == 0) {
        *why = "longer than the model's input tensor";
        ok = -1;
    }
    tr_io_close(file);
    return ok;
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
    uint32_t k;
    if (argc > 2 && strcmp(argv[1], "--weights") == 0) {
        weights = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [--weights BLOB] INPUT.raw...\n", argc > 0 ? argv[0] : "model");
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
        printf("{\"input\":");
        print_json_string(argv[i]);
        printf(",\"model\":\"%s\",\"mode\":\"integer\",\"ms\":%.3f,\"frac\":%d,\"raw\":[", TR_MODEL_NAME, ms, TR_OUTPUT_FRAC);
        for (k = 0; k < TR_OUTPUT_LENGTH; k++) {
            if (k > 0) {
                putchar(',');
            }
            printf("%ld", (long) tr_model_output(k));
        }
        printf("]}\n");
    }
    tr_io_close(blob);
    return failed;
}
