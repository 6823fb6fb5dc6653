/*
 * ocse.h — online child sexual exploitation referrals for the specialist
 * online team (OCSET): intake (one at a time or imported in batches, all or
 * nothing), identifiers matched against other referrals and people already
 * held, the suspect's access to children from Safeguard's own records, a
 * configurable risk prioritisation in the style of KIRAT (factors → score →
 * priority band, each band with a target time to action, the reasons kept),
 * the timescales from receipt to identification, assessment and action, and
 * escalation in one step into an urgent investigation allocated through the
 * allocation engine and a safeguarding referral for each child at home.
 *
 * Invariants:
 *  - Domain functions run in the caller's transaction; a refusal returns -1
 *    with err (an import lists every fault) and nothing is half-written.
 *  - Every change re-scores from the facts held and re-evaluates the rules.
 *  - The history is append-only.
 */
#ifndef SG_OCSE_H
#define SG_OCSE_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

extern const struct field ocse_create_fields[];
extern const struct field ocse_import_fields[];
extern const struct field ocse_factors_fields[];
extern const struct field ocse_resolve_fields[];
extern const struct field ocse_escalate_fields[];
extern const struct field ocse_action_fields[];
extern const struct field ocse_close_fields[];

/* "ocse.weight.<factor> = N" and "ocse.band.<band> = N" (given without the
 * "ocse." prefix). 0, or -1 with err. */
int ocse_configure(const char *name, const char *value, char *err, size_t errlen);
/* The weights and band thresholds in force, for the docs and the pages. */
json_t *ocse_scoring(void);

int64_t ocse_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                    struct domain_error *err);
/* A batch in JSON (an array of referral objects) or CSV (one row per
 * identifier, grouped by source and source reference): every fault listed in
 * err->errors with its row; nothing is imported unless all is well. Returns
 * the number imported or -1. */
int ocse_import(struct store *s, const char *format, const char *content, const struct user *u,
                int64_t now, struct domain_error *err);
/* Open referrals ranked: band, then the action due time. */
json_t *ocse_list(struct store *s, const struct user *viewer, int64_t now);
json_t *ocse_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);
int ocse_set_factors(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err);
int ocse_resolve(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
                 struct domain_error *err);
/* The suspect's case becomes an investigation (online exploitation, allocated
 * to the engine's recommended officer when one qualifies) and each child at
 * the suspect's home gets a safeguarding referral, in one step. */
int ocse_escalate(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err);
int ocse_action(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
                struct domain_error *err);
int ocse_close(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
               struct domain_error *err);

/* Demo data (ocse_seed.c, `safeguard seed --online-referrals N`): synthetic
 * households and n referrals with invented identifiers, some identified,
 * assessed, escalated and actioned, so the queue shows every band; nothing
 * when n <= 0 or the database already holds online referrals. Runs in its
 * own transaction. 0, or -1 (said on stderr). */
int ocse_seed(struct store *s, int n, int64_t now);

/* Measures for the assurance registry (ocse_measures.c). */
int ocse_count_actioned_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                const char *area, int64_t *num, int64_t *den);
int ocse_count_backlog(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                       int64_t *num, int64_t *den);
int ocse_count_child_safeguarded(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den);
/* By band for a period: received, actioned, in time, median hours to
 * action, open now and the oldest open in days. */
json_t *ocse_by_band(struct store *s, const char *from_ts, const char *to_ts, int64_t now);

#endif
