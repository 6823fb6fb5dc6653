/*
 * disclosure_measures.c — how the assurance registry counts the disclosure
 * scheme for recommendation 7: each function takes the registry's inputs
 * (period [from_ts, to_ts) of the application's receipt, policing area or
 * NULL) and gives (numerator, denominator). The registry's rows, with their
 * definitions and thresholds, are in src/modules/assurance/assurance_measures.c.
 *
 * A stage counts once it is done or its time has passed: an application
 * still inside its time is neither on time nor late yet. The allowed time is
 * the timescales engine's (a force's configured minutes and working
 * calendar), so what is measured is what the tasks asked for.
 */
#include "core/clock.h"
#include "core/date.h"
#include "modules/assurance/assurance.h"
#include "modules/disclosure/disclosure.h"
#include "modules/disclosure/disclosure_sql.h"
#include "rules/rules.h"
#include "store/store.h"

/* Counts column col (the stage's time) of SQL_DS_M_CLOCKS against rule. */
static int count_stage(struct store *s, const char *rule, int col, const char *from_ts,
                       const char *to_ts, const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    const struct rule *r = rules_find(rule);
    if (!r)
        return -1;
    int64_t now = clock_now();
    struct stmt *st = assurance_count_prepare(s, SQL_DS_M_CLOCKS, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t received = 0, done = 0;
        if (ts_parse(stmt_text(st, 0), &received) < 0)
            continue;
        int64_t due = rules_due(r, received);
        if (!stmt_is_null(st, col) && ts_parse(stmt_text(st, col), &done) == 0) {
            (*den)++;
            *num += done <= due;
        } else if (now > due) {
            (*den)++; /* not done and its time has passed: late */
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int disclosure_count_completed_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                       const char *area, int64_t *num, int64_t *den)
{
    return count_stage(s, "disclosure.complete", 3, from_ts, to_ts, area, num, den);
}

int disclosure_count_contact_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den)
{
    return count_stage(s, "disclosure.initial_contact", 1, from_ts, to_ts, area, num, den);
}

int disclosure_count_meeting_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den)
{
    return count_stage(s, "disclosure.face_to_face", 2, from_ts, to_ts, area, num, den);
}
