/*
 * assurance.h — governance (DOMAIN.md, Governance): inspections and their
 * recommendations, the force's actions against them, and the measures that
 * show whether practice is changing.
 *
 * Invariants:
 *  - A recommendation's due_on is derived once, when it is recorded, from
 *    the inspection's published_on and the timescale (assurance_due_on()).
 *  - Every change to an action bumps its version and appends one history
 *    row per changed field, in the caller's transaction; history is
 *    append-only (database triggers).
 *  - Aggregate-only viewers (anyone without assurance.write: the Force
 *    Assurance Board, the PCC) get no free text that could name a person
 *    (action evidence, history) and small numbers suppressed; no response of
 *    this area ever carries a person's name or an incident reference.
 *  - Reads return new JSON references built from the database.
 */
#ifndef SG_ASSURANCE_H
#define SG_ASSURANCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "http/domain_error.h"
#include "http/validate.h"

struct store;
struct user;

/* Published figures about children must not allow a child to be identified
 * (DOMAIN.md, local policy): in aggregate views a numerator or denominator
 * below this is shown as "fewer than 5" and its RAG as "not enough data". */
#define ASSURANCE_SUPPRESS_BELOW 5
/* Months of trend on a recommendation's page, ending with the current month. */
#define ASSURANCE_TREND_MONTHS 6
/* The overview's default period: this many days up to and including today. */
#define ASSURANCE_DEFAULT_PERIOD_DAYS 90
/* Longest trend chart, and the CSV export's default and longest spans. */
#define ASSURANCE_TREND_MAX_MONTHS   36
#define ASSURANCE_CSV_DEFAULT_MONTHS 12
#define ASSURANCE_CSV_MAX_MONTHS     120

extern const char *const assurance_action_statuses[];
extern const struct field assurance_action_fields[];
extern const struct field assurance_action_create_fields[];
extern const struct field assurance_commentary_fields[];

/* A period of whole days [from, to] and optionally one policing area. */
struct assurance_period {
    char from[DATE_TEXT_LEN];
    char to[DATE_TEXT_LEN];
    const char *area; /* NULL: the whole force; borrowed */
};

/* One row of the measures registry (assurance_measures.c). */
struct assurance_measure {
    const char *key;
    int recommendation; /* the recommendation's number in its inspection */
    const char *title;
    const char *numerator;   /* in plain words */
    const char *denominator; /* in plain words */
    double target;           /* percent */
    double green_at, amber_at;
    bool higher_is_better;
    /* Counts for the period; either sql (returning numerator, denominator
     * with ?1 from, ?2 to-exclusive, ?3 area) or count. */
    const char *sql;
    int (*count)(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                 int64_t *num, int64_t *den);
};

extern const struct assurance_measure assurance_measures[];
extern const int assurance_measure_count;

/* One row of the breakdowns registry (assurance_measures.c): a table of
 * counts an area keeps beside its recommendation's measures (the custody
 * figures per local authority), shown on the recommendation page. build
 * counts [from_ts, to_ts), hiding counts under 5 when suppress; a viewer
 * without detail_perm always gets them suppressed. */
struct assurance_breakdown {
    int recommendation;
    const char *key; /* the template's partial: web/templates/<key>.html */
    const char *title;
    const char *href; /* the area's own page for the breakdown */
    int detail_perm;  /* enum permission */
    json_t *(*build)(struct store *s, const char *from_ts, const char *to_ts, int64_t now,
                     bool suppress);
};

extern const struct assurance_breakdown assurance_breakdowns[];
extern const int assurance_breakdown_count;

/* published + months, the day clamped to the month's length (31 Aug + 6
 * months is 28/29 Feb). months 0 is "immediately". */
struct civil_date assurance_due_on(struct civil_date published, int months);

/* Parses "YYYY-MM" into the period covering that whole month (area NULL).
 * Returns 0, or -1 when text is not a month written YYYY-MM. */
int assurance_month(const char *text, struct assurance_period *out);

/* For an area's count function: sql prepared with the registry's inputs
 * bound (?1 from_ts, ?2 to_ts exclusive, ?3 area or NULL); NULL on failure.
 * The caller steps and resets it. */
struct stmt *assurance_count_prepare(struct store *s, const char *sql, const char *from_ts,
                                     const char *to_ts, const char *area);
/* Seconds from timestamp a to timestamp b (0 for one that does not parse). */
int64_t assurance_secs_between(const char *a, const char *b);

/* The registry row with this key, or NULL. */
const struct assurance_measure *assurance_measure_find(const char *key);

/* "green", "amber", "red", or "none" when den is 0. */
const char *assurance_rag(const struct assurance_measure *m, int64_t num, int64_t den);

/* The measure evaluated for the period: {key, title, ..., numerator,
 * denominator, percent, rag}; with suppress, small counts become the text
 * "fewer than 5" and the RAG "not enough data". NULL on a store failure. */
json_t *assurance_measure_eval(struct store *s, const struct assurance_measure *m,
                               const struct assurance_period *p, bool suppress);

/* The overview: each recommendation with due date, overdue flag, action
 * counts by status and its measures for the period. */
json_t *assurance_overview(struct store *s, const struct assurance_period *p, const struct user *u,
                           int64_t now);
/* One recommendation with sub-points, actions and a monthly trend of each
 * measure; NULL when there is no such recommendation. */
json_t *assurance_recommendation(struct store *s, int64_t id, const struct assurance_period *p,
                                 const struct user *u, int64_t now);
/* ---- the action plan and commentary (assurance_actions.c) ---- */

/* Changes any of an action's title, owner, due date, status, evidence and
 * attachment references from a validated body carrying the version read;
 * one history row per changed field. Returns 0 and sets *rec_id, or -1 with
 * err (404, 409 stale_version, 422 clearing the title). */
int assurance_action_update(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, int64_t *rec_id, struct domain_error *err);
/* Adds an action to recommendation rec_id (status default not_started),
 * its creation the first history row. 0 and *id, or -1 with err (404). */
int assurance_action_create(struct store *s, int64_t rec_id, const json_t *body,
                            const struct user *u, int64_t now, int64_t *id,
                            struct domain_error *err);
/* An action with its recommendation and history, newest change first;
 * aggregate-only viewers get neither evidence, attachments, their history
 * values nor who made a change. NULL when there is no such action. */
json_t *assurance_action_show(struct store *s, int64_t id, const struct user *u);
/* An SQL_A_ACTIONS row as JSON, private fields left out when suppress. */
struct stmt;
json_t *assurance_action_json(struct stmt *st, bool suppress);
/* Appends the commentary for a month ("period": YYYY-MM, "text") to a
 * recommendation: 0, or -1 with err (404, 422 invalid_period). */
int assurance_commentary_add(struct store *s, int64_t rec_id, const json_t *body,
                             const struct user *u, int64_t now, struct domain_error *err);
/* {current: the newest commentary for period (or null), months: each
 * month's newest with its earlier versions}. */
json_t *assurance_commentary(struct store *s, int64_t rec_id, const char *period,
                             const struct user *u);

/* ---- monthly series (assurance_export.c) ---- */

struct buf;
/* Every measure's monthly series as CSV (one row per measure and month from
 * the month `first` for `months` months; header row; CRLF lines; counts
 * suppressed as on the pages for u). 0, or -1 on a store failure or when
 * out overflows. */
int assurance_measures_csv(struct store *s, const struct assurance_period *first, int months,
                           const struct user *u, struct buf *out);
/* Measure m's percent month by month from `first` for `months` months
 * (1..ASSURANCE_TREND_MAX_MONTHS) as an SVG line chart on a 0-100 axis
 * with the target dashed; months without data are gaps. 0, or -1 with err. */
int assurance_trend_svg(struct store *s, const struct assurance_measure *m,
                        const struct assurance_period *first, int months, const struct user *u,
                        struct buf *out, char *err, size_t errlen);

/* Loads the 2022 Warwickshire inspection, its recommendations and demo
 * actions, unless already present, and (either way) shows each registry
 * measure on the recommendation it was written for. Opens its own write
 * transaction. Returns 1 when loaded, 0 when already present, -1 on failure. */
int assurance_seed(struct store *s, int64_t now);

#endif
