/*
 * offenders_measures.c — how the assurance registry counts recommendation 7
 * (registered sex offenders): each function takes the registry's inputs
 * (period [from_ts, to_ts), policing area or NULL) and gives (numerator,
 * denominator). The registry's rows are in
 * src/modules/assurance/assurance_measures.c.
 *
 * Each measure counts due dates that fell in the period: those met (the
 * visit, assessment, review done by its date) and those missed (done late,
 * or not done and the date has passed). A date still ahead is not counted.
 * Every visit and assessment keeps the due date it answered, so timeliness
 * is a recorded fact, not a reconstruction.
 */
#include "core/clock.h"
#include "core/date.h"
#include "modules/assurance/assurance.h"
#include "modules/offenders/offenders.h"
#include "modules/offenders/offenders_internal.h"
#include "modules/offenders/offenders_sql.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The UK days of the period's bounds: from its first day to the day after
 * its last (exclusive), as due dates compare. */
static void period_days(const char *from_ts, const char *to_ts, char from[DATE_TEXT_LEN],
                        char to[DATE_TEXT_LEN])
{
    int64_t f = 0, t = 0;
    ts_parse(from_ts, &f);
    ts_parse(to_ts, &t);
    offenders_today(f, from);
    offenders_today(t, to);
}

/* A date-based statement with the period's days bound. */
static struct stmt *prepare_days(struct store *s, const char *sql, const char *from, const char *to,
                                 const char *area)
{
    return assurance_count_prepare(s, sql, from, to, area);
}

/* The ids a statement bound with (from, to, area) returns (malloc'd; *n set). */
static int64_t *ids_of(struct store *s, const char *sql, const char *from, const char *to,
                       const char *area, size_t *n)
{
    *n = 0;
    struct stmt *st = assurance_count_prepare(s, sql, from, to, area);
    if (!st)
        return NULL;
    int64_t *ids = NULL;
    size_t cap = 0;
    while (stmt_step(st) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *more = realloc(ids, cap * sizeof(*ids));
            if (!more)
                break;
            ids = more;
        }
        ids[(*n)++] = stmt_int(st, 0);
    }
    stmt_reset(st);
    return ids;
}

/* The offenders of the area, by id. */
static int64_t *area_offenders(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, size_t *n)
{
    return ids_of(s, SQL_OF_M_OFFENDERS, from_ts, to_ts, area, n);
}

/* Visits due in the period at one risk level (NULL: every level): done by
 * the due date, done late, or not done with the date passed. */
static int count_visits(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                        const char *level, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char from[DATE_TEXT_LEN], to[DATE_TEXT_LEN], today[DATE_TEXT_LEN];
    period_days(from_ts, to_ts, from, to);
    int64_t now = clock_now();
    offenders_today(now, today);
    struct stmt *st = prepare_days(s, SQL_OF_M_VISITS_DONE, from, to, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *l = stmt_is_null(st, 2) ? "" : stmt_text(st, 2);
        if (level && strcmp(l, level) != 0)
            continue;
        (*den)++;
        *num += strcmp(stmt_text(st, 1), stmt_text(st, 0)) <= 0;
    }
    stmt_reset(st);
    if (rc != STORE_DONE)
        return -1;
    /* Visits due in the period, not yet done, the date passed. */
    size_t n;
    int64_t *ids = ids_of(s, SQL_OF_M_VISIT_CANDIDATES, from, to, area, &n);
    for (size_t i = 0; i < n; i++) {
        struct offender_dues d;
        if (offenders_dues(s, ids[i], now, &d) < 0 || !d.in_force || !d.visit_due_on[0])
            continue;
        if (level && strcmp(d.risk_level, level) != 0)
            continue;
        if (strcmp(d.visit_due_on, from) >= 0 && strcmp(d.visit_due_on, to) < 0 &&
            strcmp(d.visit_due_on, today) < 0)
            (*den)++;
    }
    free(ids);
    return 0;
}

int offenders_count_visits_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                   const char *area, int64_t *num, int64_t *den)
{
    return count_visits(s, from_ts, to_ts, area, NULL, num, den);
}
int offenders_count_visits_very_high(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den)
{
    return count_visits(s, from_ts, to_ts, area, "very_high", num, den);
}
int offenders_count_visits_high(struct store *s, const char *from_ts, const char *to_ts,
                                const char *area, int64_t *num, int64_t *den)
{
    return count_visits(s, from_ts, to_ts, area, "high", num, den);
}
int offenders_count_visits_medium(struct store *s, const char *from_ts, const char *to_ts,
                                  const char *area, int64_t *num, int64_t *den)
{
    return count_visits(s, from_ts, to_ts, area, "medium", num, den);
}
int offenders_count_visits_low(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, int64_t *num, int64_t *den)
{
    return count_visits(s, from_ts, to_ts, area, "low", num, den);
}

int offenders_count_risk_reviews(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char from[DATE_TEXT_LEN], to[DATE_TEXT_LEN], today[DATE_TEXT_LEN];
    period_days(from_ts, to_ts, from, to);
    int64_t now = clock_now();
    offenders_today(now, today);
    struct stmt *st = prepare_days(s, SQL_OF_M_RISK_DONE, from, to, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        (*den)++;
        *num += strcmp(stmt_text(st, 1), stmt_text(st, 0)) <= 0;
    }
    stmt_reset(st);
    if (rc != STORE_DONE)
        return -1;
    size_t n;
    int64_t *ids = area_offenders(s, from_ts, to_ts, area, &n);
    for (size_t i = 0; i < n; i++) {
        struct offender_dues d;
        if (offenders_dues(s, ids[i], now, &d) < 0 || !d.in_force)
            continue;
        if (strcmp(d.risk_due_on, from) >= 0 && strcmp(d.risk_due_on, to) < 0 &&
            strcmp(d.risk_due_on, today) < 0)
            (*den)++;
    }
    free(ids);
    return 0;
}

int offenders_count_reactive_reviews(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_OF_M_REACTIVE, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *due = stmt_text(st, 0);
        if (stmt_is_null(st, 1)) {
            *den += strcmp(due, now_ts) < 0; /* still within its time: not counted */
            continue;
        }
        (*den)++;
        *num += strcmp(stmt_text(st, 1), due) <= 0;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int offenders_count_briefings_current(struct store *s, const char *from_ts, const char *to_ts,
                                      const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char from[DATE_TEXT_LEN], to[DATE_TEXT_LEN], today[DATE_TEXT_LEN];
    period_days(from_ts, to_ts, from, to);
    offenders_today(clock_now(), today);
    struct stmt *st = prepare_days(s, SQL_OF_M_CONCERN_DONE, from, to, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t t = 0;
        char done[DATE_TEXT_LEN];
        ts_parse(stmt_text(st, 1), &t);
        offenders_today(t, done); /* the UK day it was done */
        (*den)++;
        *num += strcmp(done, stmt_text(st, 0)) <= 0;
    }
    stmt_reset(st);
    if (rc != STORE_DONE)
        return -1;
    st = prepare_days(s, SQL_OF_M_CONCERN_OPEN, from, to, area);
    if (!st)
        return -1;
    while ((rc = stmt_step(st)) == STORE_ROW)
        *den += strcmp(stmt_text(st, 0), today) < 0;
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}
