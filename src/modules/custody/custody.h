/*
 * custody.h — children in custody (DOMAIN.md R8, PACE Code C and s38(6)):
 * the custody record of a detained child from arrival at the suite to
 * release or transfer to local authority accommodation.
 *
 * What it holds: arrival, suite, grounds and the child's local authority;
 * the age-dispute rule (anyone who appears under 18, or whose age is unknown
 * or disputed, is a child until a verification of 18 or over with its basis
 * is recorded: Code C 1.5); a cell only with the reason no other secure
 * accommodation was available (Code C 8.8); detention reviews (6 h, then
 * every 9 h) and welfare visits; the responsible adult told of the arrest;
 * the appropriate adult requested and arrived, its clock and any delay
 * attributed (never a solicitor, a police officer or anyone involved in the
 * offence); welfare needs and concerns; the voice of the child; legal
 * advice; interviews (only with the AA present unless urgent, with the
 * reason); the outcome; for a child charged and refused bail, the s38(6)
 * transfer request, the authority's answer, the transfer or the custody
 * officer's s38(7) certificate (custody_certificate.c draws it for court);
 * and held_overnight: still held after the first UK midnight after charge.
 *
 * Invariants:
 *  - Domain functions run inside the caller's transaction; a refusal returns
 *    -1 with err filled (the field at fault named) and the caller rolls back.
 *  - Every change ends with rules_evaluate() for the record in the same
 *    transaction, so the clocks (src/rules/rules.c, record type
 *    "custody_record") never disagree with the record.
 *  - treated_as_child is 0 only after a recorded verification of 18 or over;
 *    every age stated, seen or verified stays in custody_age_event.
 *  - A released record refuses further steps (409 released) except the
 *    voice, welfare needs, referrals and the LA's answer, which may follow.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_CUSTODY_H
#define SG_CUSTODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;
struct buf;

/* The s38(7) serious-harm ground applies to children of 12 or over
 * (PACE s38(6)(b)). Statutory, so not configurable. */
#define CUSTODY_SECURE_MIN_AGE 12

extern const char *const custody_aa_sources[];
extern const char *const custody_aa_roles[];
extern const char *const custody_age_bases[];
extern const char *const custody_outcomes[];
extern const char *const custody_accommodations[];
extern const char *const custody_la_answers[];
extern const char *const custody_certificate_reasons[];
extern const char *const custody_legal_statuses[];
extern const char *const custody_review_decisions[];

extern const struct field custody_create_fields[];
extern const struct field custody_age_fields[];
extern const struct field custody_accommodation_fields[];
extern const struct field custody_review_fields[];
extern const struct field custody_visit_fields[];
extern const struct field custody_responsible_fields[];
extern const struct field custody_aa_request_fields[];
extern const struct field custody_aa_arrival_fields[];
extern const struct field custody_welfare_fields[];
extern const struct field custody_legal_fields[];
extern const struct field custody_interview_fields[];
extern const struct field custody_outcome_fields[];
extern const struct field custody_transfer_request_fields[];
extern const struct field custody_la_answer_fields[];
extern const struct field custody_transferred_fields[];
extern const struct field custody_certificate_fields[];
extern const struct field custody_release_fields[];
extern const struct field custody_referral_fields[];

/* Books a child in from a validated body. Returns the new id or -1 with
 * err. */
int64_t custody_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                       struct domain_error *err);

/* The whole record: the child (named only when the viewer may see them), the
 * age and its history, accommodation, reviews and visits with the next due,
 * the appropriate adult with its clock, welfare, voice, legal advice,
 * interviews, outcome, s38(6) and the certificate, held_overnight, tasks,
 * timeline and referrals. NULL when none. */
json_t *custody_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);

/* Records by status ("in_custody", the default; "released", "all"), the
 * longest waiting first. */
json_t *custody_list(struct store *s, const char *status, const struct user *viewer, int64_t now);

/* The actions (custody_actions.c): each takes a validated body and returns 0
 * or -1 with err. */
int custody_verify_age(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int custody_accommodation(struct store *s, int64_t id, const json_t *body, const struct user *u,
                          int64_t now, struct domain_error *err);
int custody_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err);
int custody_visit(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err);
int custody_responsible_adult(struct store *s, int64_t id, const json_t *body, const struct user *u,
                              int64_t now, struct domain_error *err);
int custody_aa_request(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int custody_aa_arrival(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int custody_welfare(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int custody_voice(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err);
int custody_legal_advice(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int custody_interview(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err);
int custody_outcome(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int custody_transfer_request(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err);
int custody_la_answer(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err);
int custody_transferred(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err);
int custody_certify(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int custody_release(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);

/* Drafts the referral to children's social care pre-filled from the record
 * and links it. Returns the referral's id or -1 with err. */
int64_t custody_raise_referral(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err);

/* The referrals module calls this when referral_id is sent: the records that
 * raised it re-evaluate their rules (the mandatory referral task closes).
 * 0, or -1 with err. */
int custody_referral_sent(struct store *s, int64_t referral_id, int64_t now,
                          struct domain_error *err);

/* The s38(7) certificate as an A4 PDF for the court, appended to out.
 * Returns 1 or -1 with err (404 none, 409 no certificate). */
int custody_certificate_pdf(struct store *s, int64_t id, const struct user *u, int64_t now,
                            struct buf *out, struct domain_error *err);

/* True when a child charged at charged (UTC seconds) and held until end
 * (release, transfer, or now) was still held after the first UK midnight
 * after the charge. */
bool custody_held_overnight(int64_t charged, int64_t end);

/* ---- measures (custody_measures.c): the registry's inputs [from_ts, to_ts)
 * and area (NULL: the whole force) ---- */
int custody_count_aa_within(struct store *s, const char *from_ts, const char *to_ts,
                            const char *area, int64_t *num, int64_t *den);
int custody_count_held_overnight(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den);
int custody_count_transfers_requested(struct store *s, const char *from_ts, const char *to_ts,
                                      const char *area, int64_t *num, int64_t *den);
int custody_count_transfers_achieved(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den);
int custody_count_referred(struct store *s, const char *from_ts, const char *to_ts,
                           const char *area, int64_t *num, int64_t *den);
/* By local authority for a period: children booked in, AA requests and
 * arrivals, median minutes and within the threshold, delays by cause,
 * children charged and refused bail, transfers requested and achieved, held
 * overnight with the reasons, referrals sent; and the force's totals.
 * Counts under 5 suppressed when suppress. */
json_t *custody_by_local_authority(struct store *s, const char *from_ts, const char *to_ts,
                                   int64_t now, bool suppress);

/* Demo custody records (custody_seed.c): n children over the last weeks,
 * including a 15-year-old charged and refused bail awaiting transfer. Opens
 * its own transaction; skipped when any record exists. 0 or -1. */
int custody_seed(struct store *s, int n, int64_t now);

#endif
