/*
 * missing_measures.c — how the assurance registry counts recommendation 3
 * (missing children): each function takes the registry's inputs (period
 * [from_ts, to_ts), policing area or NULL) and gives (numerator,
 * denominator). The registry's rows, with their definitions and thresholds,
 * are in src/modules/assurance/assurance_measures.c.
 */
#include "core/clock.h"
#include "modules/assurance/assurance.h"
#include "core/date.h"
#include "modules/missing/missing.h"
#include "modules/missing/missing_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

int missing_count_reviews_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                  const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    struct stmt *st = assurance_count_prepare(s, SQL_MIS_M_REVIEWS_DONE, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    if (rc != STORE_ROW)
        return -1;
    /* Reviews that fell due in the period and are still not done count
     * against it: a missed review must not vanish from the figure. */
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    st = assurance_count_prepare(s, SQL_MIS_M_REVIEWS_OVERDUE, from_ts, to_ts, area);
    if (!st)
        return -1;
    stmt_bind_text(st, 4, now_ts);
    rc = stmt_step(st);
    if (rc == STORE_ROW)
        *den += stmt_int(st, 0);
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

int missing_count_first_action(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_MIS_M_FIRST_ACTION, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        char id[48];
        snprintf(id, sizeof(id), "missing.first_action_%s", stmt_text(st, 0));
        const struct rule *r = rules_find(id);
        int64_t allowed = (int64_t)(r ? rules_minutes(r) : 0) * 60;
        const char *reported = stmt_text(st, 1);
        if (stmt_is_null(st, 2)) {
            /* No action yet: late once the target has passed; still within
             * it, not counted either way. */
            if (assurance_secs_between(reported, now_ts) > allowed)
                (*den)++;
            continue;
        }
        (*den)++;
        *num += assurance_secs_between(reported, stmt_text(st, 2)) <= allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int missing_count_rhi_on_time(struct store *s, const char *from_ts, const char *to_ts,
                              const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    const struct rule *r = rules_find("missing.rhi_outcome");
    int64_t allowed = (int64_t)(r ? rules_minutes(r) : 72 * 60) * 60;
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_MIS_M_RHI, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *back = stmt_text(st, 0);
        bool done = !stmt_is_null(st, 1) && strcmp(stmt_text(st, 1), "completed") == 0;
        if (done) {
            (*den)++;
            *num += assurance_secs_between(back, stmt_text(st, 2)) <= allowed;
        } else if (assurance_secs_between(back, now_ts) > allowed) {
            (*den)++; /* declined, or not done in time */
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int missing_count_repeat(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                         int64_t *num, int64_t *den)
{
    struct stmt *st = assurance_count_prepare(s, SQL_MIS_M_REPEAT, from_ts, to_ts, area);
    if (!st)
        return -1;
    stmt_bind_int(st, 4, missing_repeat_count());
    int rc = stmt_step(st);
    *num = *den = 0;
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

int missing_count_exploitation_referred(struct store *s, const char *from_ts, const char *to_ts,
                                        const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    const struct rule *r = rules_find("missing.exploitation_referral");
    int64_t allowed = (int64_t)(r ? rules_minutes(r) : 24 * 60) * 60;
    struct stmt *st = assurance_count_prepare(s, SQL_MIS_M_EXPLOITATION, from_ts, to_ts, area);
    if (!st)
        return -1;
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (stmt_is_null(st, 1)) {
            *den += assurance_secs_between(stmt_text(st, 0), now_ts) >
                    allowed; /* else: still in time */
            continue;
        }
        (*den)++;
        *num += assurance_secs_between(stmt_text(st, 0), stmt_text(st, 1)) <= allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}
