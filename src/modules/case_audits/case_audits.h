/*
 * case_audits.h — case audits (DOMAIN.md, Governance; docs/case-audits.md):
 * supervisors and the force's audit team sample closed records and grade
 * each against a configurable set of criteria on the inspectorate's scale,
 * and the results become assurance measures per recommendation.
 *
 * Invariants:
 *  - Domain functions run inside the transaction the caller opened (the
 *    dispatcher); a refusal returns -1 with err filled before anything is
 *    written, so a failed request changes nothing.
 *  - A record is audited at most once (UNIQUE (record_type, record_id));
 *    only records closed in the sampled month are ever sampled.
 *  - Gradings are append-only: grading or regrading adds a grading with the
 *    audit's next version and points the audit at it; a stale version is
 *    refused (409) and changes nothing.
 *  - Every active criterion of the record type is graded in every grading;
 *    requires_improvement and inadequate always carry a reason, and so does
 *    the overall grade.
 *  - Measures count only completed audits, by the time of their first
 *    grading, using the grading in force; not_applicable grades are left out
 *    of numerator and denominator alike.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_CASE_AUDITS_H
#define SG_CASE_AUDITS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

/* The most audits one sampling request may create, and criteria per record type. */
#define CASE_AUDIT_SAMPLE_MAX   500
#define CASE_AUDIT_CRITERIA_MAX 40
/* Records closed in a month considered for sampling: more is refused (a
 * force closing more than this in a month samples by area). */
#define CASE_AUDIT_CANDIDATES_MAX 200000

/* ---- record types ------------------------------------------------------------
 * One row per kind of record that can be audited. A later area (missing
 * episodes, referrals, investigations, custody) adds one row and its two
 * statements; sampling, grading, pages and measures need nothing else. */
struct case_audit_record_type {
    const char *name;  /* "incident": stored with criteria and audits */
    const char *title; /* "Incident", for people */
    const char *page;  /* the record's page, "/incidents/" + id */
    /* The recommendation its audits' overall grade evidences. */
    int recommendation;
    /* (id, area) of every record closed in [?1, ?2) (UTC timestamps) and,
     * when ?3 is not NULL, in policing area ?3; in id order. Audited records
     * are left out by the caller. */
    const char *closed_sql;
    /* One row for record ?1: its summary. The first column is its reference;
     * each column's name becomes a key of the summary ("closed_at"). */
    const char *summary_sql;
};

extern const struct case_audit_record_type case_audit_record_types[];
extern const int case_audit_record_type_count;

/* The row named name, or NULL. */
const struct case_audit_record_type *case_audit_record_type_find(const char *name);

/* ---- the grading scale ---------------------------------------------------------
 * The inspectorate's: fixed, so a force's own grades compare with the
 * inspection's (docs/case-audits.md says why it is not configurable). */
extern const char *const case_audit_overall_grades[];   /* good, requires_improvement, inadequate */
extern const char *const case_audit_criterion_grades[]; /* ... and not_applicable */

/* Declared request bodies (also drive the OpenAPI description and fuzzing). */
extern const struct field case_audit_sample_fields[];
extern const struct field case_audit_grading_fields[];
extern const struct field case_audit_criterion_fields[];

/* ---- criteria ------------------------------------------------------------------ */

/* Every criterion (active first, in form order), of one record type or all
 * when record_type is NULL; NULL on a store failure. */
json_t *case_audit_criteria(struct store *s, const char *record_type);
/* Adds a criterion from a validated body. Returns its id, or -1 with err
 * (422 unknown record type or bad key, 409 key taken, 422 too many). */
int64_t case_audit_criterion_add(struct store *s, const json_t *body, const struct user *u,
                                 int64_t now, struct domain_error *err);
/* Retires a criterion: later gradings leave it out, past grades keep it.
 * Refused for the last active criterion of its record type (422) and when
 * already retired (409). */
int case_audit_criterion_retire(struct store *s, int64_t id, const struct user *u, int64_t now,
                                struct domain_error *err);

/* ---- sampling -------------------------------------------------------------------- */

/* Samples from a validated body (record_type, month, method with count or
 * percent, area, auditor) with libsodium's randombytes_uniform(): creates
 * one pending audit per chosen record. Returns the sample's id, or -1 with
 * err (422 naming the field, 422 no_candidates when nothing is left to
 * sample). */
int64_t case_audit_sample(struct store *s, const json_t *body, const struct user *u, int64_t now,
                          struct domain_error *err);

/* What the sampling form offers (record types, methods, areas, the users
 * who may audit) and its starting values (last month, a share of 10%).
 * posted, when not NULL, is a refused form's body: its choices are the
 * ones marked selected. */
json_t *case_audit_sample_choices(struct store *s, const struct user *u, int64_t now,
                                  const json_t *posted);

/* ---- audits -------------------------------------------------------------------------- */

struct case_audit_filter {
    const char *view;        /* "mine" (my pending), "pending", "completed", "all" */
    const char *month;       /* YYYY-MM or NULL */
    const char *area;        /* or NULL */
    const char *record_type; /* or NULL */
    int64_t sample_id;       /* 0: any */
};

/* Audits matching the filter (at most 500, newest month first) with the
 * counts behind each view, for the user; NULL on a store failure. */
json_t *case_audit_list(struct store *s, const struct case_audit_filter *f, const struct user *u);

/* One audit: the sampled record's summary, the active criteria with the
 * grades in force (for the form), the grading history newest first and
 * whether the viewer may grade; NULL when there is no such audit. */
json_t *case_audit_get(struct store *s, int64_t id, const struct user *viewer);

/* Grades (or regrades) an audit from a validated body carrying the version
 * read. Only its auditor or a holder of case_audits.manage may. Returns 0,
 * or -1 with err naming the field at fault ("grades.voice_recorded.reason",
 * "overall_reason"; 409 stale_version; 403 not_your_audit; 404). */
int case_audit_grade(struct store *s, int64_t id, const json_t *body, const struct user *u,
                     int64_t now, struct domain_error *err);

/* ---- measures (rows of assurance_measures[]) ------------------------------------
 * Each counts audits completed in [from_ts, to_ts) and, when area is not
 * NULL, of records in that area. criteria_rN: criterion grades of good
 * (numerator) among grades other than not_applicable (denominator) for the
 * criteria evidencing recommendation N. incidents_overall: audited
 * incidents graded good overall, of all audited incidents. */
int case_audit_measure_criteria_r1(struct store *s, const char *from_ts, const char *to_ts,
                                   const char *area, int64_t *num, int64_t *den);
int case_audit_measure_criteria_r2(struct store *s, const char *from_ts, const char *to_ts,
                                   const char *area, int64_t *num, int64_t *den);
int case_audit_measure_criteria_r4(struct store *s, const char *from_ts, const char *to_ts,
                                   const char *area, int64_t *num, int64_t *den);
int case_audit_measure_criteria_r5(struct store *s, const char *from_ts, const char *to_ts,
                                   const char *area, int64_t *num, int64_t *den);
int case_audit_measure_incidents_overall(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den);

/* Demo data: samples a share of each of the last three months' closed
 * incidents for the demo auditor and grades most of them with varied,
 * plausible grades, through case_audit_sample() and case_audit_grade().
 * Opens its own write transaction; does nothing when audits exist.
 * Deterministic for a seed. Returns the audits graded, or -1. */
int case_audits_seed(struct store *s, uint64_t seed, int64_t now);

#endif
