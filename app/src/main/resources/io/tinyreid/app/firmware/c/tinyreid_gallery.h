/* The gallery's decision in C99, as app's Gallery.identify does it for the frame loop: the query made a
 * Q14 unit vector (UnitVectors.fromInt16), Euclidean distances to the household's templates, and
 * DescriptorIndex.nearestPerson's rule: the nearest person is named when closer than the accept
 * distance and the second-nearest person is at least the margin farther. The templates, their owners,
 * the accept distance and the margin are data the Java side exports (gallery.bin), never re-derived. */
#ifndef TINYREID_GALLERY_H
#define TINYREID_GALLERY_H

#include <stdint.h>

/** The household as the firmware holds it (templates in L2). */
typedef struct {
    uint32_t dimension;
    uint32_t count;
    double accept;
    double margin;
    const int64_t *owner;   /* person id per template */
    const int16_t *templates; /* count x dimension Q14 unit vectors */
} trg_gallery;

/** The answer for one query. */
typedef struct {
    int known;
    int64_t person;
    double distance; /* +infinity when nobody is enrolled */
} trg_match;

/** Scales raw (dimension int16 values) to a Q14 unit vector in place. */
void trg_unit_in_place(int16_t *raw, uint32_t dimension);

/** Judges the Q14 unit query against the gallery. */
void trg_nearest_person(const trg_gallery *g, const int16_t *query, trg_match *out);

#endif
