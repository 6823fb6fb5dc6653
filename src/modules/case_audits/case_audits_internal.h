/*
 * case_audits_internal.h — what the area's own files share beyond
 * case_audits.h: the sampler with its source of randomness (libsodium for
 * every request; a seeded generator for the demo seed only, never reachable
 * from the API, so nobody can steer which cases are audited) and month
 * bounds.
 */
#ifndef SG_CASE_AUDITS_INTERNAL_H
#define SG_CASE_AUDITS_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "core/date.h"
#include "http/domain_error.h"

struct store;
struct user;

/* A uniform choice in [0, upper) (upper >= 1). */
struct case_audit_picker {
    uint32_t (*uniform)(void *state, uint32_t upper);
    void *state;
};

/* case_audit_sample() with the given source of randomness. */
int64_t case_audit_sample_with(struct store *s, const json_t *body, const struct user *u,
                               int64_t now, const struct case_audit_picker *pick,
                               struct domain_error *err);

/* "2026-05" → [2026-05-01T00:00:00Z, 2026-06-01T00:00:00Z) and the first day.
 * Returns 0, or -1 when month is not YYYY-MM (year 2000 on) with a real month. */
int case_audit_month_bounds(const char *month, char from[TS_TEXT_LEN], char to[TS_TEXT_LEN],
                            struct civil_date *first);

#endif
