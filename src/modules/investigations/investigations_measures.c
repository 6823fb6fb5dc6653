/*
 * investigations_measures.c — how the assurance registry counts
 * recommendation 5 (investigations), with the registry's inputs (period
 * [from_ts, to_ts), area or NULL). An investigation's area is its team's,
 * else its creator's.
 */
#include "core/clock.h"
#include "modules/assurance/assurance.h"
#include "core/date.h"
#include "modules/investigations/investigations.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define AREA_OF_INVESTIGATION                                                                      \
    " (?3 IS NULL OR COALESCE((SELECT t.area FROM team t WHERE t.id = i.team_id),"                 \
    " (SELECT u.area FROM app_user u WHERE u.id = i.created_by)) = ?3)"

static const char SQL_M_ALLOCATED[] =
    "SELECT COALESCE(SUM(i.allocation_matched), 0),"
    " COALESCE(SUM(CASE WHEN i.load_at_allocation <= i.capacity_at_allocation THEN 1 ELSE 0 END),"
    " 0), COUNT(*) FROM investigation i WHERE i.allocated_at >= ?1 AND i.allocated_at < ?2 "
    "AND" AREA_OF_INVESTIGATION;

/* Reviews done in the period with a deadline, and reviews overdue now that
 * fell due in it. */
static const char SQL_M_REVIEWS_DONE[] =
    "SELECT COALESCE(SUM(CASE WHEN r.at <= r.due_at THEN 1 ELSE 0 END), 0), COUNT(*)"
    " FROM investigation_review r JOIN investigation i ON i.id = r.investigation_id"
    " WHERE r.due_at IS NOT NULL AND r.at >= ?1 AND r.at < ?2 AND" AREA_OF_INVESTIGATION;
static const char SQL_M_REVIEWS_OVERDUE[] =
    "SELECT COUNT(*) FROM task t JOIN investigation i ON i.id = t.record_id"
    " WHERE t.record_type = 'investigation' AND t.rule LIKE 'investigation.review_%'"
    " AND t.status = 'open' AND t.due_at >= ?1 AND t.due_at < ?2 AND t.due_at < ?4 "
    "AND" AREA_OF_INVESTIGATION;

/* Investigations open at some time in the period: status, last action, and
 * whether a stale spell (since ended by an action) began in the period. */
static const char SQL_M_STALE[] =
    "SELECT i.status, i.last_action_at, EXISTS (SELECT 1 FROM investigation_stale_spell x"
    " WHERE x.investigation_id = i.id AND x.stale_from >= ?1 AND x.stale_from < ?2)"
    " FROM investigation i WHERE i.created_at < ?2 AND (i.closed_at IS NULL OR"
    " i.closed_at >= ?1) AND" AREA_OF_INVESTIGATION;

static const char SQL_M_SHARED[] =
    "SELECT i.risk_known_at, i.info_shared_at FROM investigation i"
    " WHERE i.risk_known_at >= ?1 AND i.risk_known_at < ?2 AND" AREA_OF_INVESTIGATION;

static int allocated(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                     int col, int64_t *num, int64_t *den)
{
    struct stmt *st = assurance_count_prepare(s, SQL_M_ALLOCATED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    *num = *den = 0;
    if (rc == STORE_ROW) {
        *num = stmt_int(st, col);
        *den = stmt_int(st, 2);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

int investigations_count_allocation_matched(struct store *s, const char *from_ts, const char *to_ts,
                                            const char *area, int64_t *num, int64_t *den)
{
    return allocated(s, from_ts, to_ts, area, 0, num, den);
}

int investigations_count_within_capacity(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den)
{
    return allocated(s, from_ts, to_ts, area, 1, num, den);
}

int investigations_count_reviews_on_time(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den)
{
    struct stmt *st = assurance_count_prepare(s, SQL_M_REVIEWS_DONE, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    *num = *den = 0;
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    if (rc != STORE_ROW)
        return -1;
    char now[TS_TEXT_LEN];
    ts_format(clock_now(), now);
    st = assurance_count_prepare(s, SQL_M_REVIEWS_OVERDUE, from_ts, to_ts, area);
    if (!st)
        return -1;
    stmt_bind_text(st, 4, now);
    rc = stmt_step(st);
    if (rc == STORE_ROW)
        *den += stmt_int(st, 0);
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

int investigations_count_stale(struct store *s, const char *from_ts, const char *to_ts,
                               const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    const struct rule *r = rules_find("investigation.stale");
    int64_t threshold = (int64_t)(r ? rules_minutes(r) : 14 * 24 * 60) * 60, now = clock_now();
    int64_t from = 0, to = 0;
    ts_parse(from_ts, &from);
    ts_parse(to_ts, &to);
    struct stmt *st = assurance_count_prepare(s, SQL_M_STALE, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        (*den)++;
        if (stmt_int(st, 2)) {
            (*num)++; /* a spell that began in the period, since ended */
            continue;
        }
        /* Still without action: stale from the last action plus the
         * threshold, when that fell in the period and has passed. */
        const char *status = stmt_text(st, 0);
        int64_t last = 0;
        if (strcmp(status, "new") == 0 || strcmp(status, "suspended") == 0 ||
            strcmp(status, "closed") == 0 || ts_parse(stmt_text(st, 1), &last) < 0)
            continue;
        int64_t stale = last + threshold;
        *num += stale >= from && stale < to && stale < now;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int investigations_count_shared_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                        const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    const struct rule *r = rules_find("investigation.share_info");
    int64_t allowed = (int64_t)(r ? rules_minutes(r) : 24 * 60) * 60;
    int64_t now = clock_now();
    struct stmt *st = assurance_count_prepare(s, SQL_M_SHARED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t known = 0, shared = 0;
        ts_parse(stmt_text(st, 0), &known);
        if (stmt_is_null(st, 1)) {
            *den += now - known > allowed; /* still within its time: not counted */
            continue;
        }
        ts_parse(stmt_text(st, 1), &shared);
        (*den)++;
        *num += shared - known <= allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}
