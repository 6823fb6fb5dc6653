/*
 * protection.h — police protection (DOMAIN.md R6, Children Act 1989 s46):
 * the case from the moment a constable uses the power to the child's
 * release. Who used it and when, the designated officer (never the same
 * person: Home Office Circular 17/2008), the place of safety (a police
 * station only with a reason), the local authority, parents and the child
 * told (the child's views in their words), the designated officer's inquiry
 * and decision, an emergency protection order sought, and the release — each
 * with its time — on an append-only timeline. The 72 hours run from
 * initiated_at: the timescales engine carries every clock (src/rules/rules.c,
 * record type "police_protection").
 *
 * Also: the decision a supervisor records on an incident whose risk said a
 * child may need protection and none was used, and what incidents and person
 * records show of the cases that concern them.
 *
 * Invariants:
 *  - Domain functions run inside the caller's transaction; a refusal returns
 *    -1 with err filled and the caller rolls back, so nothing is half-done.
 *  - Every change ends with rules_evaluate() for the case (and, for a case
 *    linked to an incident, the incident's rules) in the same transaction.
 *  - expires_at is always initiated_at + PROTECTION_MAX_HOURS.
 *  - designated_officer_id never equals initiating_officer_id (422 here, a
 *    CHECK in the schema behind it).
 *  - A released case no longer changes, except referrals raised from it.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_PROTECTION_H
#define SG_PROTECTION_H

#include <jansson.h>
#include <stdint.h>

#include "core/date.h"
#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;
struct buf;

/* Children Act 1989 s46(6): no child is kept in police protection for more
 * than 72 hours. Statutory, so not configurable. */
#define PROTECTION_MAX_HOURS 72

extern const char *const protection_powers[];
extern const char *const protection_place_kinds[];
extern const char *const protection_notify_whom[];
extern const char *const protection_decisions[];

extern const struct field protection_create_fields[];
extern const struct field protection_designate_fields[];
extern const struct field protection_place_fields[];
extern const struct field protection_notify_fields[];
extern const struct field protection_inquiry_fields[];
extern const struct field protection_epo_fields[];
extern const struct field protection_release_fields[];
extern const struct field protection_note_fields[];
extern const struct field protection_referral_fields[];
extern const struct field protection_decision_fields[];

/* Records the use of the power from a validated body; the initiating
 * officer is initiating_officer_id or u. Returns the new id or -1 with err. */
int64_t protection_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                          struct domain_error *err);

/* The whole case: child (named only when the viewer may see them), the
 * officers, place, notifications, inquiry, EPO, release, the clock
 * (expires_at, remaining_minutes), tasks, timeline and referrals. NULL when
 * none. */
json_t *protection_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);

/* Cases by status ("active", the default; "released", "all"), nearest
 * expiry first. */
json_t *protection_list(struct store *s, const char *status, const struct user *viewer,
                        int64_t now);

/* The actions: each takes a validated body and returns 0 or -1 with err. */
int protection_designate(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int protection_place(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err);
int protection_notify(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err);
int protection_inquiry(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int protection_epo(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err);
int protection_release(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int protection_note(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);

/* Drafts a referral to children's social care pre-filled from the case and
 * links it. Returns the referral's id or -1 with err. */
int64_t protection_raise_referral(struct store *s, int64_t id, const json_t *body,
                                  const struct user *u, int64_t now, struct domain_error *err);

/* A referral was sent (referrals.c): every case it was drafted from records
 * it on its timeline ("referral", naming reference), released or not; the
 * case's referrals show the status and sent_at. 0 or -1 with err. */
int protection_referral_sent(struct store *s, int64_t referral_id, const char *reference,
                             const struct user *u, int64_t now, struct domain_error *err);

/* The one-page summary (A4, cairo) for the designated officer and
 * children's social care, appended to out. Returns 1 (pages) or -1 with err
 * (out left as it was). */
int protection_summary_pdf(struct store *s, int64_t id, const struct user *u, int64_t now,
                           struct buf *out, struct domain_error *err);

/* A person's cases, active first then newest: {person_id, cases: [...]}.
 * NULL with err (404) when the person is unknown or not visible to viewer. */
json_t *protection_for_person(struct store *s, int64_t person_id, const struct user *viewer,
                              int64_t now, struct domain_error *err);

/* ---- incidents ---- */

/* The decision on an incident: was the power used, and why. 0 or -1. */
int protection_incident_decide(struct store *s, int64_t incident_id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err);

/* For the incident's rules: when the latest THRIVE of incident_id recorded
 * a child at immediate risk and the incident has neither a case linked nor a
 * decision, writes the assessment's time to at and returns 1; else 0. */
int protection_incident_pending(struct store *s, int64_t incident_id, char at[TS_TEXT_LEN]);

/* Active cases at an incident's address (address_key, "" for none) or
 * linked to incident_id: [{id, reference, status, initiated_at, expires_at,
 * same_incident}]. New reference, never NULL. */
json_t *protection_at_address(struct store *s, const char *address_key, int64_t incident_id);

/* Counts for the assurance registry (protection_measures.c), with the
 * registry's inputs: [from_ts, to_ts) and area (NULL: the whole force). */
int protection_count_notified_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                      const char *area, int64_t *num, int64_t *den);
int protection_count_within_limit(struct store *s, const char *from_ts, const char *to_ts,
                                  const char *area, int64_t *num, int64_t *den);
int protection_count_police_station(struct store *s, const char *from_ts, const char *to_ts,
                                    const char *area, int64_t *num, int64_t *den);
int protection_count_opportunities_reviewed(struct store *s, const char *from_ts, const char *to_ts,
                                            const char *area, int64_t *num, int64_t *den);

/* ---- demo data (protection_seed.c) ---- */

/* `safeguard seed --police-protection N`: up to N (at most 12) demo cases
 * for synthetic children at every point on the clock, referrals drafted
 * from some, and two incidents with a child at immediate risk (one decided,
 * one awaiting the supervisor), acted out by the demo response officer and
 * supervisor. Does nothing without those users or when any case exists.
 * Opens its own transaction. 0 or -1. */
int protection_seed(struct store *s, int n, int64_t now);

#endif
