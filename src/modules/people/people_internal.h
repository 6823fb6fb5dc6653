/* people_internal.h — shared between people.c and people_search.c only. */
#ifndef SG_PEOPLE_INTERNAL_H
#define SG_PEOPLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

struct person_match {
    int64_t id;
    double name_score; /* 0..1, mean over query tokens of the best token match */
    double dob_score;  /* 0..1; 0.5 when either date is unknown; -1 when no date was asked */
    double score;      /* what results are ranked by */
};

/* Restricted people the viewer may not see are left out and counted in
 * *hidden (never returned, so search cannot reveal them).
 * Finds and scores candidates for a name and/or date of birth. On success
 * *out is a malloc'd array sorted by score (best first), *n its length;
 * candidates scoring under min_score are dropped. Returns 0 or -1. */
int people_match(struct store *s, const char *q, const char *dob, double min_score,
                 const struct user *viewer, struct person_match **out, size_t *n, size_t *hidden);

#endif
