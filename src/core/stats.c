/*
 * stats.c — a growing list of numbers and its median (see stats.h).
 */
#include "core/stats.h"

#include <assert.h>
#include <stdlib.h>

int samples_add(struct samples *s, int64_t x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        int64_t *v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t samples_median(struct samples *s)
{
    assert(s->n > 0);
    qsort(s->v, s->n, sizeof(*s->v), cmp_i64);
    return s->v[s->n / 2];
}

void samples_clear(struct samples *s)
{
    s->n = 0;
}

void samples_free(struct samples *s)
{
    free(s->v);
    *s = (struct samples){0};
}
