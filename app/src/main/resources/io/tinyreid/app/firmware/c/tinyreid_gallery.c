/* See tinyreid_gallery.h. Mirrors UnitVectors and DescriptorIndex.nearestPerson. */
#include "tinyreid_gallery.h"

#include <math.h>

/* Java's Math.round(double) for the values a unit vector takes: the nearest integer, ties up. */
static int64_t java_round(double v) {
    double f = floor(v);
    return (int64_t) (v - f >= 0.5 ? f + 1 : f);
}

void trg_unit_in_place(int16_t *raw, uint32_t dimension) {
    double sq = 0, scale;
    uint32_t i;
    for (i = 0; i < dimension; i++) {
        sq += (double) raw[i] * raw[i];
    }
    scale = sq > 0 ? 16384 / sqrt(sq) : 0;
    for (i = 0; i < dimension; i++) {
        raw[i] = (int16_t) java_round(raw[i] * scale);
    }
}

static double distance(const int16_t *a, const int16_t *b, uint32_t dimension) {
    int64_t sum = 0;
    uint32_t i;
    for (i = 0; i < dimension; i++) {
        int32_t d = (int32_t) a[i] - b[i];
        sum += (int64_t) d * d;
    }
    return sqrt((double) sum) / 16384;
}

void trg_nearest_person(const trg_gallery *g, const int16_t *q, trg_match *out) {
    int32_t best = -1;
    double best_distance = INFINITY, second = INFINITY;
    uint32_t t;
    for (t = 0; t < g->count; t++) {
        double d = distance(q, g->templates + (uint32_t) t * g->dimension, g->dimension);
        if (d < best_distance) {
            if (best >= 0 && g->owner[best] != g->owner[t]) {
                second = best_distance;
            }
            best = (int32_t) t;
            best_distance = d;
        } else if (d < second && g->owner[t] != g->owner[best]) {
            second = d;
        }
    }
    out->distance = best_distance;
    if (best >= 0 && best_distance < g->accept && second - best_distance >= g->margin) {
        out->known = 1;
        out->person = g->owner[best];
    } else {
        out->known = 0;
        out->person = 0;
    }
}
