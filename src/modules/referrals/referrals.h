/*
 * referrals.h — referrals to the statutory safeguarding partners (DOMAIN.md
 * R4): the agencies a force sends to; a referral (public protection notice /
 * child concern referral) raised from anywhere or pre-filled from an incident
 * or a missing episode; completeness rules; the quality gate (review before
 * sending when the force configures it); sending to each agency; the partner
 * portal where an agency's users open, acknowledge and decide; and the
 * mandatory-referral rules that make a missed referral an overdue task.
 *
 * Invariants:
 *  - Domain functions run inside the caller's transaction; a refusal returns
 *    -1 with err filled (and, for completeness, every missing field in
 *    err->candidates as [{field, message}]) so the caller rolls back.
 *  - Every change ends with rules_evaluate() for the referral, and a send
 *    re-evaluates the source record's rules, in the same transaction.
 *  - A partner user sees a referral only when it was sent to their agency;
 *    any other id answers 404, exactly as an id that does not exist.
 *  - One live referral per child per source event (a partial unique index).
 *  - The history is append-only (triggers).
 */
#ifndef SG_REFERRALS_H
#define SG_REFERRALS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

extern const char *const referral_categories[];
extern const char *const referral_urgencies[];
extern const char *const referral_consents[];
extern const char *const referral_decisions[];
extern const char *const agency_kinds[];

extern const struct field agency_create_fields[];
extern const struct field agency_update_fields[];
extern const struct field referral_create_fields[];
extern const struct field referral_raise_fields[];
extern const struct field referral_update_fields[];
extern const struct field referral_submit_fields[];
extern const struct field referral_review_fields[];
extern const struct field referral_cancel_fields[];
extern const struct field portal_ack_fields[];
extern const struct field portal_decision_fields[];

/* "referrals.review_required = 0|1" (default 1): whether a supervisor or the
 * safeguarding hub reviews a referral before it is sent. Given without the
 * "referrals." prefix. 0, or -1 with err. */
int referrals_configure(const char *name, const char *value, char *err, size_t errlen);
bool referrals_review_required(void);

/* ---- agencies ---- */
json_t *agency_list(struct store *s, bool active_only);
int64_t agency_create(struct store *s, const json_t *body, int64_t now, struct domain_error *err);
int agency_update(struct store *s, int64_t id, const json_t *body, int64_t now,
                  struct domain_error *err);

/* ---- referrals (police side) ---- */

/* A draft from a validated body. Returns the id or -1 with err. */
int64_t referral_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                        struct domain_error *err);
/* A draft pre-filled from an incident or a missing episode: the child (the
 * body's person_id, or the source's only child), household members, concern
 * categories, what happened, the child's own words and the source's time. */
int64_t referral_raise(struct store *s, const char *source_type, int64_t source_id,
                       const json_t *body, const struct user *u, int64_t now,
                       struct domain_error *err);
json_t *referral_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);
json_t *referral_list(struct store *s, const char *status, const struct user *viewer, int64_t now);
/* Changes a draft or returned referral; with "submit": true in body, then
 * submits it as referral_submit() does (refused as a whole if incomplete). */
int referral_update(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
/* Checks completeness (every fault listed) and either sends it or, when the
 * force reviews first, submits it for review. */
int referral_submit(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int referral_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int referral_cancel(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);

/* Why a referral is mandatory for a source record ("domestic abuse with a
 * child present"), or NULL when none is. */
const char *referrals_mandatory_reason(struct store *s, const char *source_type, int64_t id);

/* Referrals sent for a source record (the rules of incidents and missing
 * episodes read it). */
int64_t referrals_sent_for(struct store *s, const char *source_type, int64_t source_id);

/* An agency not on the portal replied by phone or email: the police record
 * its acknowledgement (and decision, when given) and how it came. */
extern const struct field referral_reply_fields[];
int referral_record_reply(struct store *s, int64_t id, int64_t agency, const json_t *body,
                          const struct user *u, int64_t now, struct domain_error *err);

/* ---- the partner portal: u's agency only ---- */
json_t *portal_list(struct store *s, const struct user *u, int64_t now);
/* Opening is recorded (the first time) and audited by the caller. NULL with
 * err 404 for anything not sent to u's agency. */
json_t *portal_open(struct store *s, int64_t id, const struct user *u, int64_t now,
                    struct domain_error *err);
int portal_acknowledge(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int portal_decide(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err);

/* Demo agencies (once) and, with with_referrals (when demo incidents were
 * just seeded), referrals for the incidents where one is mandatory, through
 * the functions above (referrals_seed.c). Opens its own transaction. 0 or -1. */
int referrals_seed(struct store *s, unsigned seed, int64_t now, bool with_referrals);

/* ---- measures for the assurance registry (referrals_measures.c) ---- */
int referrals_count_sent_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den);
int referrals_count_mandatory_missed(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den);
int referrals_count_acknowledged_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den);
int referrals_count_decided(struct store *s, const char *from_ts, const char *to_ts,
                            const char *area, int64_t *num, int64_t *den);
int referrals_count_quality_returns(struct store *s, const char *from_ts, const char *to_ts,
                                    const char *area, int64_t *num, int64_t *den);
/* By agency for a period: sent, acknowledged (and within a day), median
 * hours to acknowledge, decisions by kind; counts under 5 suppressed when
 * suppress. */
json_t *referrals_by_agency(struct store *s, const char *from_ts, const char *to_ts, bool suppress);

#endif
