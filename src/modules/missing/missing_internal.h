/*
 * missing_internal.h — what the missing area's own files share
 * (missing.c, missing_actions.c, missing_measures.c, missing_seed.c);
 * nothing outside src/modules/missing includes it.
 */
#ifndef SG_MISSING_INTERNAL_H
#define SG_MISSING_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/domain_error.h"

struct store;
struct stmt;
struct user;

/* 0 high, 1 medium, 2 low; 3 for anything else. */
int missing_risk_rank(const char *risk);
void missing_bind_user(struct stmt *st, int idx, const struct user *u);
/* Appends to the timeline (at NULL: now). Returns a store code. */
int missing_event(struct store *s, int64_t id, const char *at, const char *kind, const char *text,
                  const char *risk, const struct user *u, int64_t now);
/* The episode row as the rules read it (new reference), or NULL. */
json_t *missing_core_get(struct store *s, int64_t id);
/* Every change ends here: version and updated_at, then the rules. */
int missing_finish_change(struct store *s, int64_t id, int64_t now, struct domain_error *err);
/* The episode for a change: 404 when none, 409 when closed (unless
 * allow_closed). */
json_t *missing_load_for_change(struct store *s, int64_t id, bool allow_closed,
                                struct domain_error *err);
/* What closing still needs, as sentences (a new array; empty: it can close). */
json_t *missing_close_blockers(const json_t *rec);
/* Links two episodes both ways, with a timeline entry on each. */
int missing_link_pair(struct store *s, int64_t a, int64_t b, const char *reason, const char *note,
                      const struct user *u, int64_t now, struct domain_error *err);

#endif
