/*
 * investigations.h — child protection and exploitation investigations
 * (DOMAIN.md R5): the record (crime, category, people, linked records, plan,
 * actions, status, outcome); teams and officers with their specialisms,
 * accreditations and capacity; the allocation engine that ranks them and
 * says why; structured supervisory reviews at allocation, every 28 days and
 * at key points; delay (time since the last meaningful action, actions past
 * due, time in each stage); and information sharing — the moment a risk to a
 * child is recorded, sharing with children's social care falls due, through
 * the referral path.
 *
 * Invariants:
 *  - Domain functions run in the caller's transaction; a refusal returns -1
 *    with err, and every change ends by re-evaluating the timescales rules.
 *  - Allocating to anyone but the engine's first choice needs a reason; the
 *    recommendation and whether the officer met every requirement are kept.
 *  - Reviews and the history are append-only.
 */
#ifndef SG_INVESTIGATIONS_H
#define SG_INVESTIGATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

extern const char *const investigation_categories[];
extern const char *const investigation_statuses[];
extern const char *const team_specialisms[];

extern const struct field team_fields[];
extern const struct field team_update_fields[];
extern const struct field officer_profile_fields[];
extern const struct field investigation_create_fields[];
extern const struct field investigation_allocate_fields[];
extern const struct field investigation_review_fields[];
extern const struct field investigation_action_fields[];
extern const struct field investigation_action_done_fields[];
extern const struct field investigation_status_fields[];
extern const struct field investigation_risk_fields[];
extern const struct field investigation_plan_fields[];
extern const struct field investigation_close_fields[];
extern const struct field investigation_referral_fields[];

/* ---- teams and officers (investigations_alloc.c) ---- */
json_t *team_list(struct store *s);
int64_t team_create(struct store *s, const json_t *body, int64_t now, struct domain_error *err);
int team_update(struct store *s, int64_t id, const json_t *body, int64_t now,
                struct domain_error *err);
json_t *officer_profiles(struct store *s);
int officer_profile_put(struct store *s, int64_t user_id, const json_t *body, int64_t now,
                        struct domain_error *err);

/* The ranking for an investigation: every active team and every officer with
 * a profile, eligible ones first, each with its reasons; "recommended" is the
 * first eligible officer (and their team), or null when nobody qualifies. */
json_t *investigation_ranking(struct store *s, int64_t id, struct domain_error *err);
int investigation_allocate(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err);

/* ---- the record (investigations.c) ---- */
int64_t investigation_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                             struct domain_error *err);
json_t *investigation_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);
json_t *investigation_list(struct store *s, const char *status, int64_t now);
/* Open investigations by age since the last action, and time in each
 * stage (bottlenecks). */
json_t *investigation_ageing(struct store *s, int64_t now);
int investigation_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int investigation_add_action(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err);
int investigation_action_done(struct store *s, int64_t id, int64_t action_id, const struct user *u,
                              int64_t now, struct domain_error *err);
int investigation_set_status(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err);
int investigation_set_plan(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err);
int investigation_record_risk(struct store *s, int64_t id, const json_t *body, const struct user *u,
                              int64_t now, struct domain_error *err);
int investigation_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err);
/* A referral about the investigation to children's social care, pre-filled
 * and linked; sending it records the information as shared. Returns the
 * referral's id or -1. */
int64_t investigation_raise_referral(struct store *s, int64_t id, const json_t *body,
                                     const struct user *u, int64_t now, struct domain_error *err);
/* Links a referral to the investigation (sending it will record the
 * information as shared). 0 or -1 with err. */
int investigation_link_referral(struct store *s, int64_t id, int64_t referral_id,
                                struct domain_error *err);
/* A referral was sent: every investigation linked to it records the
 * information as shared (the first time). 0 or -1. */
int investigations_referral_sent(struct store *s, int64_t referral_id, int64_t now,
                                 struct domain_error *err);

/* ---- demo data (investigations_seed.c) ---- */
/* The demo teams; with users != 0 the demo investigators (detective_a...,
 * the demo password) too; the profiles of those present; then, when there
 * is no investigation yet, up to n demo investigations in various states,
 * acted on by the demo supervisor and investigators. Opens its own
 * transaction. 0 or -1. */
int investigations_seed(struct store *s, int n, int users, int64_t now);

/* ---- measures (investigations_measures.c) ---- */
int investigations_count_allocation_matched(struct store *s, const char *from_ts, const char *to_ts,
                                            const char *area, int64_t *num, int64_t *den);
int investigations_count_within_capacity(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den);
int investigations_count_reviews_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den);
int investigations_count_stale(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, int64_t *num, int64_t *den);
int investigations_count_shared_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                        const char *area, int64_t *num, int64_t *den);

#endif
