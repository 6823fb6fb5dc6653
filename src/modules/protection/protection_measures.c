/*
 * protection_measures.c — how the assurance registry counts recommendation
 * 6 (police protection): each function takes the registry's inputs (period
 * [from_ts, to_ts), policing area or NULL) and gives (numerator,
 * denominator). The registry's rows, with their definitions and thresholds,
 * are in src/modules/assurance/assurance_measures.c.
 */
#include "core/clock.h"
#include "core/date.h"
#include "modules/assurance/assurance.h"
#include "modules/protection/protection.h"
#include "modules/protection/protection_sql.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdbool.h>
#include <string.h>

static int64_t allowed_secs(const char *rule, int dflt_minutes)
{
    const struct rule *r = rules_find(rule);
    return (int64_t)(r ? rules_minutes(r) : dflt_minutes) * 60;
}

/* One notification: 1 made in time, 0 late (made late, or not made and
 * its time passed), -1 not yet due. */
static int on_time(const char *from, const char *done, int64_t allowed, const char *now_ts)
{
    if (done)
        return assurance_secs_between(from, done) <= allowed;
    return assurance_secs_between(from, now_ts) > allowed ? 0 : -1;
}

int protection_count_notified_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                      const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    int64_t la = allowed_secs("protection.inform_la", 60);
    int64_t parents = allowed_secs("protection.inform_parents", 120);
    int64_t child = allowed_secs("protection.inform_child", 120);
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_PP_M_NOTIFY, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *init = stmt_text(st, 0);
        int v[3] = {
            on_time(init, stmt_is_null(st, 1) ? NULL : stmt_text(st, 1), la, now_ts),
            on_time(init, stmt_is_null(st, 2) ? NULL : stmt_text(st, 2), parents, now_ts),
            on_time(init, stmt_is_null(st, 3) ? NULL : stmt_text(st, 3), child, now_ts),
        };
        /* Counted once every notification is made or one is late. */
        bool late = v[0] == 0 || v[1] == 0 || v[2] == 0;
        bool all_done = v[0] == 1 && v[1] == 1 && v[2] == 1;
        if (late || all_done) {
            (*den)++;
            *num += all_done;
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int protection_count_within_limit(struct store *s, const char *from_ts, const char *to_ts,
                                  const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    const int64_t limit = (int64_t)PROTECTION_MAX_HOURS * 3600;
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_PP_M_RELEASE, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int v =
            on_time(stmt_text(st, 0), stmt_is_null(st, 1) ? NULL : stmt_text(st, 1), limit, now_ts);
        if (v >= 0) {
            (*den)++;
            *num += v;
        }
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int protection_count_police_station(struct store *s, const char *from_ts, const char *to_ts,
                                    const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    struct stmt *st = assurance_count_prepare(s, SQL_PP_M_STATION, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

int protection_count_opportunities_reviewed(struct store *s, const char *from_ts, const char *to_ts,
                                            const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now_ts[TS_TEXT_LEN];
    ts_format(clock_now(), now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_PP_M_OPPORTUNITIES, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *due = stmt_text(st, 0);
        bool open = strcmp(stmt_text(st, 1), "open") == 0;
        if (open) {
            *den += strcmp(due, now_ts) < 0; /* still within its time: not counted */
            continue;
        }
        (*den)++;
        *num += !stmt_is_null(st, 2) && strcmp(stmt_text(st, 2), due) <= 0;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}
