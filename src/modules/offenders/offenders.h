/*
 * offenders.h — registered sex offender management (DOMAIN.md R7; Sexual
 * Offences Act 2003 Part 2 and the 2012 Regulations). The offender record on
 * a person: convictions and cautions with the notification period each gives
 * (derived, with the rule shown), ancillary orders, notifications with their
 * deadlines and the breaches missed deadlines are, ARMS risk assessments,
 * MAPPA, the offender manager, the risk management plan with its visit
 * frequency and reviews, home visits, reactive management and the
 * intelligence that triggers its review, children linked to the offender's
 * household, the local officers' briefing per policing area, recording
 * quality and the recommendation 7 measures.
 *
 * Invariants:
 *  - Domain functions run inside the caller's transaction; a refusal returns
 *    -1 with err filled and the caller rolls back, so nothing is half-done.
 *  - Every change ends with rules_evaluate() for the offender (record type
 *    "offender"): visits, plan reviews, risk reviews, notifications due,
 *    reactive reviews and briefing concern reviews are timescale rules whose
 *    clocks start at the day the domain computes (offender_core_get()).
 *  - The person flag registered_sex_offender follows the record: set from
 *    registered_on to the end of the notification period (open when
 *    indefinite).
 *  - Notifications, breaches, assessments, plan reviews and management
 *    decisions are append-only (database triggers).
 *  - Every figure is a configurable default ("offenders.<key> = N").
 */
#ifndef SG_OFFENDERS_H
#define SG_OFFENDERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

extern const char *const offender_risk_levels[];
extern const char *const offender_notification_kinds[];

extern const struct field offender_create_fields[];
extern const struct field offender_details_fields[];
extern const struct field offender_conviction_fields[];
extern const struct field offender_order_fields[];
extern const struct field offender_notification_fields[];
extern const struct field offender_risk_fields[];
extern const struct field offender_plan_fields[];
extern const struct field offender_visit_fields[];
extern const struct field offender_visit_outcome_fields[];
extern const struct field offender_reactive_fields[];
extern const struct field offender_intelligence_fields[];
extern const struct field offender_intel_review_fields[];
extern const struct field offender_concern_fields[];
extern const struct field offender_concern_review_fields[];
extern const struct field offender_concern_end_fields[];
extern const struct field offender_child_action_fields[];

/* "offenders.<name> = <value>" in the configuration file: the figures of
 * docs/offenders.md. 0, or -1 with err naming the key. */
int offenders_configure(const char *name, const char *value, char *err, size_t errlen);

/* The notification period a conviction gives (SOA 2003 s82, DOMAIN.md R7):
 * months (-1: indefinite), the years after which indefinite notification is
 * reviewable (0 for finite), and the rule in words. disposal is "custody"
 * (custody_months), "caution" or "other". */
struct offender_period {
    int months;
    int review_years;
    char rule[320];
};
void offenders_period(const char *disposal, int custody_months, int age_at_conviction,
                      struct offender_period *out);

/* The months between routine visits for a risk level when the plan sets
 * none (the configurable fallback minimums); NULL level: unassessed, treated
 * as very high until assessed. */
int offenders_fallback_visit_months(const char *level);

/* Registers an offender from a validated body. Returns the id or -1. */
int64_t offender_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                        struct domain_error *err);

/* The whole record (new reference), NULL when none. */
json_t *offender_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);

/* Offenders, optionally of one area, most urgent task first. */
json_t *offender_list(struct store *s, const char *area, const struct user *viewer, int64_t now);

/* The actions: a validated body; 0 (or the new row's id) or -1 with err. */
int offender_update_details(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, struct domain_error *err);
int offender_add_conviction(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, struct domain_error *err);
int offender_add_order(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int offender_notify(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int offender_assess_risk(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int offender_review_plan(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int offender_add_visit(struct store *s, int64_t id, const json_t *body, const struct user *u,
                       int64_t now, struct domain_error *err);
int offender_visit_outcome(struct store *s, int64_t id, int64_t visit_id, const json_t *body,
                           const struct user *u, int64_t now, struct domain_error *err);
int offender_decide_management(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err);
int offender_add_intelligence(struct store *s, int64_t id, const json_t *body, const struct user *u,
                              int64_t now, struct domain_error *err);
int offender_review_intelligence(struct store *s, int64_t id, int64_t intel_id, const json_t *body,
                                 const struct user *u, int64_t now, struct domain_error *err);
int offender_raise_concern(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err);
int offender_review_concern(struct store *s, int64_t id, int64_t concern_id, const json_t *body,
                            const struct user *u, int64_t now, struct domain_error *err);
int offender_end_concern(struct store *s, int64_t id, int64_t concern_id, const json_t *body,
                         const struct user *u, int64_t now, struct domain_error *err);

/* ---- children linked to an offender's household ---- */

/* A child's links to offenders: {person_id, links: [...]}; NULL with err
 * (404) when the person is unknown or not visible. */
json_t *offender_links_for_child(struct store *s, int64_t person_id, const struct user *viewer,
                                 int64_t now, struct domain_error *err);
/* people.h's person_addresses_hook: a child whose addresses were written
 * (created, or changed later through the people area) and who now lives at
 * a registered offender's address (the offender's latest notified home
 * address, or a current address on their person record) is linked to that
 * offender with the safeguarding task, as when the offender notifies it.
 * Adults and people with no date of birth are left alone. 0 or -1. */
int offenders_child_addresses_written(struct store *s, int64_t person_id, int64_t now,
                                      struct domain_error *err);
/* The safeguarding action taken for a child's link; closes its task. */
int offender_child_action(struct store *s, int64_t person_id, int64_t link_id, const json_t *body,
                          const struct user *u, int64_t now, struct domain_error *err);

/* ---- My work ---- */

/* An offender manager's My work by risk: each task in tasks (My work's
 * list) that is on an offender gains the offender's reference and
 * risk_level (null until assessed); returns those tasks grouped by risk,
 * highest first, as [{risk_level, label, tasks: [...]}] (new reference;
 * empty when none). The tasks stay in tasks too, in their order. */
json_t *offenders_work_by_risk(struct store *s, json_t *tasks);

/* ---- the local officers' briefing ---- */

/* True when a policing area is known (a user, an offender or a concern
 * names it). */
bool offender_area_known(struct store *s, const char *area);
/* The area's briefing: the active concerns with photo reference, risk
 * summary, what to look for and what to do if seen. New reference. The ids
 * of the offenders shown are written into ids_json (a JSON array text,
 * arena-free: caller frees with free()) for the audit entry. */
json_t *offender_briefing(struct store *s, const char *area, int64_t now, char **ids_json);
/* Every area with active concerns: [{area, concerns, refreshed_at}]. */
json_t *offender_briefings(struct store *s, int64_t now);

/* ---- recording quality ---- */

/* One offender's recording problems: {offender_id, issues: [{code,
 * severity, field, message}]}; NULL when none. */
json_t *offender_quality(struct store *s, int64_t id, int64_t now);
/* Every offender with a problem (optionally of one area), with counts by
 * code. */
json_t *offender_quality_list(struct store *s, const char *area, int64_t now);

/* ---- measures (offenders_measures.c) for the assurance registry ---- */
int offenders_count_visits_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                   const char *area, int64_t *num, int64_t *den);
int offenders_count_visits_very_high(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den);
int offenders_count_visits_high(struct store *s, const char *from_ts, const char *to_ts,
                                const char *area, int64_t *num, int64_t *den);
int offenders_count_visits_medium(struct store *s, const char *from_ts, const char *to_ts,
                                  const char *area, int64_t *num, int64_t *den);
int offenders_count_visits_low(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, int64_t *num, int64_t *den);
int offenders_count_risk_reviews(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den);
int offenders_count_reactive_reviews(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den);
int offenders_count_briefings_current(struct store *s, const char *from_ts, const char *to_ts,
                                      const char *area, int64_t *num, int64_t *den);

/* Demo offenders (safeguard seed --offenders N): synthetic people with
 * convictions, assessments, plans, visits, notifications and concerns, some
 * overdue. Skipped when offenders exist. 0 or -1. */
int offenders_seed(struct store *s, int n, int64_t now);

#endif
