/*
 * incidents.h — the control room (DOMAIN.md R1, R2): incidents, the people
 * in them, THRIVE assessments, grading against the risk-to-grade floor,
 * attendance, re-reviews, repeat and escalating risk, the incident log and
 * the voice of each child.
 *
 * Invariants:
 *  - Domain functions run inside a transaction the caller opened (the
 *    dispatcher); a failure returns -1 with err filled and the caller rolls
 *    back, so a refused change leaves nothing behind.
 *  - After every successful change the function has called rules_evaluate()
 *    for the incident in the same transaction, so tasks always agree with
 *    the record.
 *  - The log, THRIVE history and grade history are append-only (database
 *    triggers); the voice record is one per child per incident.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_INCIDENTS_H
#define SG_INCIDENTS_H

#include <jansson.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

/* Repeat incidents are counted over this many days before an incident's
 * receipt (DOMAIN.md R1, local policy)... */
#define INCIDENT_REPEAT_WINDOW_DAYS 28
/* ...and the one that makes this many for a child or an address requires
 * re-assessment. */
#define INCIDENT_REPEAT_REASSESS_COUNT 3
/* A THRIVE supports scheduling a child incident only when recorded at or
 * after the last grading (or receipt) and no longer ago than this. */
#define INCIDENT_THRIVE_FRESH_MINUTES 60

extern const char *const incident_natures[];
extern const char *const incident_person_roles[];
extern const char *const incident_grades[];
extern const char *const voice_behaviours[];
extern const char *const voice_not_spoken_reasons[];

/* Declared request bodies (also drive the OpenAPI description). */
extern const struct field incident_create_fields[];
extern const struct field incident_person_fields[];
extern const struct field incident_log_fields[];
extern const struct field incident_thrive_fields[];
extern const struct field incident_grade_fields[];
extern const struct field incident_authorise_fields[];
extern const struct field incident_review_fields[];
extern const struct field incident_attend_fields[];
extern const struct field incident_voice_fields[];
extern const struct field incident_close_fields[];

/* Creates an incident from a validated body, linking body.persons. Returns
 * the new id, or -1 with err filled. */
int64_t incident_create(struct store *s, const json_t *body, const struct user *u, int64_t now,
                        struct domain_error *err);

/* The whole record (see docs/api: persons, children with their voice,
 * THRIVE latest and history, grade history, log, prior incidents, tasks,
 * attendance target); NULL when there is no such incident. viewer decides
 * which restricted people are named. */
json_t *incident_get(struct store *s, int64_t id, const struct user *viewer, int64_t now);

/* Open first, then attended, then closed; newest first. status and q (a
 * reference or part of one) may be NULL. */
json_t *incident_list(struct store *s, const char *status, const char *q, int64_t now);

/* The actions. Each takes a validated body and returns 0, or -1 with err. */
int incident_link_person(struct store *s, int64_t id, const json_t *body, const struct user *u,
                         int64_t now, struct domain_error *err);
int incident_add_log(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err);
int incident_record_thrive(struct store *s, int64_t id, const json_t *body, const struct user *u,
                           int64_t now, struct domain_error *err);
int incident_grade(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err);
int incident_authorise_grade(struct store *s, int64_t id, const json_t *body, const struct user *u,
                             int64_t now, struct domain_error *err);
int incident_review(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
int incident_attend(struct store *s, int64_t id, const json_t *body, const struct user *u,
                    int64_t now, struct domain_error *err);
/* The voice of the child's rules, shared by every record that keeps one
 * (incidents, custody): seen alone only if seen, the words when spoken to,
 * the reason (and for "other" its detail) when not. A body validated against
 * incident_voice_fields; 0 or -1 with err naming the field. */
int incident_voice_check(const json_t *body, struct domain_error *err);
/* The body's behaviour list as stored: comma-separated, each once. */
void incident_voice_behaviour(const json_t *body, char *out, size_t cap);
int incident_record_voice(struct store *s, int64_t id, int64_t person_id, const json_t *body,
                          const struct user *u, int64_t now, struct domain_error *err);
int incident_close(struct store *s, int64_t id, const json_t *body, const struct user *u,
                   int64_t now, struct domain_error *err);

/* The views a child gave when told of police protection (protection.c:
 * "views" of the child notification) become their voice of the child on
 * the incident where the power was used, so they show wherever that voice
 * is shown (the incident, a referral drafted from it, the R2 measure): a new
 * record (seen and spoken to, the views as their words) when none exists,
 * else the views are added to the record's views and wishes, naming the
 * case (reference) so the officer's account is never overwritten. Returns
 * 1 when recorded; 0 when the incident is closed or the person is not a
 * child linked to it (nothing changes); -1 with err. */
int incident_voice_from_protection(struct store *s, int64_t id, int64_t person_id,
                                   const char *views, const char *reference, const struct user *u,
                                   int64_t now, struct domain_error *err);

/* The voice form's data: the incident's reference, the child and any voice
 * already recorded. NULL with err when the person is not a child linked to
 * the incident. */
json_t *incident_voice_get(struct store *s, int64_t id, int64_t person_id, int64_t now,
                           struct domain_error *err);

/* The choices the new-incident form offers. */
json_t *incident_form_choices(void);

/* Re-evaluates the incident's rules without changing it (a referral for it
 * was sent). 0, or -1 with err. */
int incident_rules_refresh(struct store *s, int64_t id, int64_t now, struct domain_error *err);

/* Control-room measures for the board: counts only, never a name. */
json_t *incident_measures(struct store *s, int64_t now);

/* The key addresses are matched on (repeat incidents, police protection,
 * offenders' households): the location lower-cased with runs of space
 * folded, '|', the postcode upper-cased without spaces; "" without a
 * postcode. */
void incident_address_key(const char *location, const char *postcode, char *out, size_t len);

#endif
