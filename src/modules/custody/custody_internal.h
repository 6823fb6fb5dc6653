/*
 * custody_internal.h — what custody.c shares with custody_actions.c and
 * custody_measures.c: the record as the rules read it, the end of every
 * change, the timeline and the checked time of a step.
 */
#ifndef SG_CUSTODY_INTERNAL_H
#define SG_CUSTODY_INTERNAL_H

#include "modules/custody/custody.h"

#include <stdbool.h>

struct stmt;

#define CU_ID_MAX 9007199254740991LL
#define CU_TEXT   4000

/* The record row (new reference) with what the rules read, or NULL. */
json_t *custody_core_get(struct store *s, int64_t id);

/* The record for a change: 404 when none, 409 when released unless
 * allow_released. New reference or NULL with err. */
json_t *custody_load(struct store *s, int64_t id, bool allow_released, struct domain_error *err);

/* Bumps the version and re-evaluates the record's rules. 0 or -1. */
int custody_finish(struct store *s, int64_t id, int64_t now, struct domain_error *err);

/* Appends to the timeline (at, or now). A store code. */
int custody_event(struct store *s, int64_t id, const char *at, const char *kind, const char *text,
                  const struct user *u, int64_t now);

/* The time given under key (or now): not in the future, not before
 * not_before. Written to out; 0 or -1 with err naming key. */
int custody_when(const json_t *body, const char *key, const char *not_before, int64_t now,
                 char out[TS_TEXT_LEN], struct domain_error *err);

/* The child's age on the record's arrival as best known: the date of birth,
 * else the stated age, else the apparent age; -1 when none is known. */
int custody_best_age(struct store *s, const json_t *rec);

void custody_bind_user(struct stmt *st, int idx, const struct user *u);
int custody_fail_store(struct store *s, int rc, struct domain_error *err);

#endif
