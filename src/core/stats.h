/*
 * stats.h — a growing list of numbers and its median, for the measures'
 * breakdowns (time to acknowledge by agency, to action by band, for an
 * appropriate adult by local authority). Five years of a large force's
 * records hold far more than any fixed array, and a median over the first
 * few thousand rows would be silently wrong.
 */
#ifndef SG_STATS_H
#define SG_STATS_H

#include <stddef.h>
#include <stdint.h>

struct samples {
    int64_t *v;
    size_t n, cap;
};

/* Adds x; 0, or -1 out of memory (the list is unchanged). */
int samples_add(struct samples *s, int64_t x);
/* The median as the measures have always reported it: the middle value
 * after sorting, the upper of the two middle ones for an even count. Sorts
 * the list. The list must not be empty. */
int64_t samples_median(struct samples *s);
/* Empties the list, keeping its memory for the next group. */
void samples_clear(struct samples *s);
void samples_free(struct samples *s);

#endif
