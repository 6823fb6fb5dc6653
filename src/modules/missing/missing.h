/*
 * missing.h — missing children (DOMAIN.md R3): the episode from the report
 * to closure. The report and risk grading, each item of risk information with
 * its source, the timeline (actions, enquiries, sightings, reviews, risk
 * changes), supervisory reviews driven by the timescales engine at the
 * interval the risk requires, the return with the prevention interview and
 * the independent return home interview, exploitation indicators that raise
 * the risk and prompt a referral, repeat-missing detection, links between
 * episodes, and the Philomena profile of a looked-after child.
 *
 * Invariants:
 *  - Domain functions run inside the caller's transaction; a refusal returns
 *    -1 with err filled and the caller rolls back, so nothing is half-done.
 *  - Every change ends with rules_evaluate() for the episode in the same
 *    transaction (finish_change), so its tasks always agree with it.
 *  - The timeline, reviews and risk information are append-only (triggers).
 *  - A closed episode no longer changes, except the return home interview's
 *    outcome, which the local authority may report after closure.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_MISSING_H
#define SG_MISSING_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

/* Repeat missing: this many episodes (this one included) within the window
 * make a child a repeat missing child (DOMAIN.md R3, local policy);
 * configurable as missing.repeat_count and missing.repeat_window_days. */
#define MISSING_REPEAT_COUNT_DEFAULT       3
#define MISSING_REPEAT_WINDOW_DAYS_DEFAULT 90

extern const char *const missing_risks[];       /* high, medium, low: highest first */
extern const char *const missing_event_kinds[]; /* what POST .../events accepts */
extern const char *const missing_returned_states[];
extern const char *const missing_link_reasons[];
extern const char *const missing_rhi_outcomes[];

extern const struct field missing_create_fields[];
extern const struct field missing_event_fields[];
extern const struct field missing_risk_info_fields[];
extern const struct field missing_review_fields[];
extern const struct field missing_return_fields[];
extern const struct field missing_interview_fields[];
extern const struct field missing_exploitation_fields[];
extern const struct field missing_referral_fields[];
extern const struct field missing_rhi_referral_fields[];
extern const struct field missing_rhi_outcome_fields[];
extern const struct field missing_link_fields[];
extern const struct field missing_close_fields[];
extern const struct field missing_profile_fields[];

/* "missing.repeat_count" / "missing.repeat_window_days" from the config
 * file, given without the "missing." prefix. Returns 0, or -1 with err
 * naming the key or the bad value. */
int missing_configure(const char *name, const char *value, char *err, size_t errlen);
int missing_repeat_count(void);
int missing_repeat_window_days(void);

/* Records a report from a validated body. Returns the new id or -1 with err. */
int64_t missing_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                       struct domain_error *err);

/* The whole episode: the report, the person (named only when the viewer may
 * see them), risk, review clock, tasks, timeline, reviews, risk information,
 * links, the return and what is still needed to close. NULL when none. */
json_t *missing_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);

/* The coordinator's board: episodes by status ("open": missing and
 * returned-not-closed, the default; "missing", "returned", "closed", "all"),
 * still-missing first, then by risk, then longest missing. */
json_t *missing_list(struct store *s, const char *status, const struct user *viewer, int64_t now);

/* What the report form needs: the choices, and for ?person_id the person
 * (child status, looked-after flag and local authority) and their Philomena
 * profile to pre-fill from. NULL with err when the person is unknown. */
json_t *missing_form(struct store *s, int64_t person_id, const struct user *viewer, int64_t now,
                     struct domain_error *err);

/* The actions: each takes a validated body and returns 0 or -1 with err. */
int missing_add_event(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err);
int missing_add_risk_info(struct store *s, int64_t id, const json_t *body, const struct user *u,
                          int64_t now, struct domain_error *err);
int missing_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err);
int missing_return(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err);
int missing_prevention_interview(struct store *s, int64_t id, const json_t *body,
                                 const struct user *u, int64_t now, struct domain_error *err);
int missing_exploitation(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int missing_referral(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err);
int missing_rhi_referral(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int missing_rhi_outcome(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err);
int missing_link(struct store *s, int64_t id, const json_t *body, const struct user *u, int64_t now,
                 struct domain_error *err);
int missing_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                  int64_t now, struct domain_error *err);

/* A referral (reference) raised from this episode was sent: recorded as the
 * episode's referral, which closes its exploitation-referral task. 0 or -1. */
int missing_referral_sent(struct store *s, int64_t id, const char *reference, const struct user *u,
                          int64_t now, struct domain_error *err);

/* The Philomena profile of a person: {person_id, ..., version} or, when none
 * is recorded, {person_id, version: 0}. NULL with err for an unknown person. */
json_t *missing_profile_get(struct store *s, int64_t person_id, const struct user *viewer,
                            int64_t now, struct domain_error *err);
/* Creates or replaces it; version is the one read (0 for a new profile). */
int missing_profile_put(struct store *s, int64_t person_id, const json_t *body,
                        const struct user *u, int64_t now, struct domain_error *err);

/* Seeds n demo episodes over the 120 days before now (deterministic by
 * seed), through the functions above. Opens its own transactions. Returns
 * the number made or -1. */
int missing_seed(struct store *s, int n, unsigned seed, int64_t now);

/* Counts for the assurance registry (missing_measures.c), with the
 * registry's inputs: [from_ts, to_ts) and area (NULL: the whole force). */
int missing_count_reviews_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                  const char *area, int64_t *num, int64_t *den);
int missing_count_first_action(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, int64_t *num, int64_t *den);
int missing_count_rhi_on_time(struct store *s, const char *from_ts, const char *to_ts,
                              const char *area, int64_t *num, int64_t *den);
int missing_count_repeat(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                         int64_t *num, int64_t *den);
int missing_count_exploitation_referred(struct store *s, const char *from_ts, const char *to_ts,
                                        const char *area, int64_t *num, int64_t *den);

#endif
