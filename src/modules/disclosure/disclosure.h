/*
 * disclosure.h — the Child Sex Offender Disclosure Scheme (CSOD, "Sarah's
 * Law"; DOMAIN.md R7): anyone may ask whether a person with access to a
 * child has convictions for sexual offences against children. An
 * application names the applicant (a person record, or a name and contact
 * details), the child or children, the subject and how they are related; it
 * then passes through its stages in order, each with its time:
 *
 *   received → initial contact and the immediate-risk check (24 hours)
 *   → face-to-face meeting (10 working days) → checks → decision-making
 *   meeting (disclose or not, with the reason and who attended)
 *   → undertaking of confidentiality by the person best placed to protect
 *   the child (signed, or refused: a refusal blocks the disclosure)
 *   → disclosure (when, to whom, what was said) → outcome and closure,
 *   the whole within 45 days of the application.
 *
 * An immediate risk to a child found at any stage is recorded and starts an
 * urgent safeguarding action: a task due within the hour for a supervisor
 * (rule disclosure.immediate_risk) and a referral to children's social care
 * drafted for each child (through the referrals module), linked to the
 * application.
 *
 * Invariants:
 *  - Domain functions run inside the caller's transaction; a refusal returns
 *    -1 with err filled and the caller rolls back, so nothing is half-done.
 *  - Stages are recorded in order, once each (409 stage_out_of_order /
 *    stage_already_recorded); a stage's time is never in the future, never
 *    before the application was received nor before the previous stage.
 *  - Nothing is disclosed without a signed undertaking (409 here, a CHECK in
 *    the schema behind it).
 *  - Every change ends with rules_evaluate() for the application, in the
 *    same transaction (record type "disclosure_application").
 *  - A closed application no longer changes, except an immediate risk and
 *    its safeguarding action (a child at risk is never turned away).
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_DISCLOSURE_H
#define SG_DISCLOSURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

extern const char *const disclosure_applicant_relationships[];
extern const char *const disclosure_subject_relationships[];
extern const char *const disclosure_received_via[];
extern const char *const disclosure_check_kinds[];
extern const char *const disclosure_convictions[];
extern const char *const disclosure_decisions[];
extern const char *const disclosure_outcomes[];

extern const struct field disclosure_create_fields[];
extern const struct field disclosure_contact_fields[];
extern const struct field disclosure_meeting_fields[];
extern const struct field disclosure_checks_fields[];
extern const struct field disclosure_decision_fields[];
extern const struct field disclosure_undertaking_fields[];
extern const struct field disclosure_disclose_fields[];
extern const struct field disclosure_close_fields[];
extern const struct field disclosure_risk_fields[];
extern const struct field disclosure_action_fields[];

/* A new application from a validated body. Returns its id or -1 with err. */
int64_t disclosure_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                          struct domain_error *err);

/* The application whole: applicant, children, subject (named only when the
 * viewer may see them, with the registered_sex_offender flag), each stage
 * with its clock (due, done, on time or overdue), checks, attendees,
 * immediate risks with their actions, referrals, tasks and the timeline.
 * NULL when there is none. */
json_t *disclosure_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);

/* Applications by status ("open", the default; "closed", "all"), oldest
 * received first, each with its stage clocks. NULL on a store error. */
json_t *disclosure_list(struct store *s, const char *status, const struct user *viewer,
                        int64_t now);

/* What the new-application form offers. New reference. */
json_t *disclosure_form_choices(void);

/* The stages: each takes a validated body and returns 0 or -1 with err. */
int disclosure_initial_contact(struct store *s, int64_t id, const json_t *body,
                               const struct user *u, int64_t now, struct domain_error *err);
int disclosure_face_to_face(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, struct domain_error *err);
int disclosure_checks(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err);
int disclosure_decide(struct store *s, int64_t id, const json_t *body, const struct user *u,
                      int64_t now, struct domain_error *err);
int disclosure_undertaking(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err);
int disclosure_disclose(struct store *s, int64_t id, const json_t *body, const struct user *u,
                        int64_t now, struct domain_error *err);
int disclosure_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err);

/* An immediate risk found at any stage: recorded, a referral drafted for
 * each child (or the one named), the supervisor's hour starts. Returns the
 * risk's id or -1 with err. */
int64_t disclosure_immediate_risk(struct store *s, int64_t id, const json_t *body,
                                  const struct user *u, int64_t now, struct domain_error *err);
/* The supervisor's urgent safeguarding action for risk risk_id of
 * application id: closes the hour's task when no other risk is open. */
int disclosure_risk_action(struct store *s, int64_t id, int64_t risk_id, const json_t *body,
                           const struct user *u, int64_t now, struct domain_error *err);

/* Demo applications at various stages (disclosure_seed.c), through the
 * functions above, as the demo users when they exist; none when any exist.
 * Opens its own transaction. 0 or -1. */
int disclosure_seed(struct store *s, int n, int64_t now);

/* Counts for the assurance registry (disclosure_measures.c), with the
 * registry's inputs: [from_ts, to_ts) and area (NULL: the whole force). */
int disclosure_count_completed_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                       const char *area, int64_t *num, int64_t *den);
int disclosure_count_contact_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den);
int disclosure_count_meeting_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den);

#endif
