/*
 * ocse_measures.c — how the assurance registry counts the online team's work
 * (recommendation 5), with the registry's inputs (period [from_ts, to_ts);
 * the area is not known for a referral from a national agency, so an area
 * filter counts nothing), and the breakdown by priority band.
 */
#include "core/clock.h"
#include "core/date.h"
#include "core/stats.h"
#include "modules/assurance/assurance.h"
#include "modules/ocse/ocse.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Referrals received in the period: band, received, actioned. */
static const char SQL_M_RECEIVED[] =
    "SELECT band, received_at, actioned_at, children_at_home, safeguarded_at, status"
    " FROM online_referral WHERE received_at >= ?1 AND received_at < ?2 AND ?3 IS NULL";

static int64_t target_secs(const char *band)
{
    char id[48];
    snprintf(id, sizeof(id), "ocse.action_%s", band);
    const struct rule *r = rules_find(id);
    return (int64_t)(r ? rules_minutes(r) : 28 * 24 * 60) * 60;
}

int ocse_count_actioned_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now[TS_TEXT_LEN];
    ts_format(clock_now(), now);
    struct stmt *st = assurance_count_prepare(s, SQL_M_RECEIVED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t allowed = target_secs(stmt_text(st, 0));
        const char *recv = stmt_text(st, 1);
        if (stmt_is_null(st, 2)) {
            /* Closed without action (no trace) leaves the count; open and
             * past its time counts against it; else not yet due. */
            if (strcmp(stmt_text(st, 5), "closed") != 0)
                *den += assurance_secs_between(recv, now) > allowed;
            continue;
        }
        (*den)++;
        *num += assurance_secs_between(recv, stmt_text(st, 2)) <= allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int ocse_count_backlog(struct store *s, const char *from_ts, const char *to_ts, const char *area,
                       int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now[TS_TEXT_LEN];
    ts_format(clock_now(), now);
    struct stmt *st = assurance_count_prepare(s, SQL_M_RECEIVED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        (*den)++;
        bool waiting = stmt_is_null(st, 2) && strcmp(stmt_text(st, 5), "closed") != 0;
        *num += waiting &&
                assurance_secs_between(stmt_text(st, 1), now) > target_secs(stmt_text(st, 0));
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int ocse_count_child_safeguarded(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    struct stmt *st = assurance_count_prepare(s, SQL_M_RECEIVED, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (stmt_int(st, 3) == 0)
            continue;
        (*den)++;
        *num += !stmt_is_null(st, 4);
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

json_t *ocse_by_band(struct store *s, const char *from_ts, const char *to_ts, int64_t now)
{
    static const char *const band_names[] = {"very_high", "high", "medium", "low"};
    struct {
        int64_t received, actioned, in_time, open, oldest;
        struct samples waits;
    } *b = calloc(4, sizeof(*b));
    char now_ts[TS_TEXT_LEN];
    ts_format(now, now_ts);
    struct stmt *st = assurance_count_prepare(s, SQL_M_RECEIVED, from_ts, to_ts, NULL);
    if (!st || !b) {
        free(b);
        return NULL;
    }
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int k = 3;
        for (int i = 0; i < 4; i++)
            if (strcmp(band_names[i], stmt_text(st, 0)) == 0)
                k = i;
        b[k].received++;
        const char *recv = stmt_text(st, 1);
        if (!stmt_is_null(st, 2)) {
            int64_t d = assurance_secs_between(recv, stmt_text(st, 2));
            b[k].actioned++;
            b[k].in_time += d <= target_secs(band_names[k]);
            if (samples_add(&b[k].waits, d) < 0) {
                rc = STORE_ERROR;
                break;
            }
        } else if (strcmp(stmt_text(st, 5), "closed") != 0) {
            int64_t age = assurance_secs_between(recv, now_ts) / 86400;
            b[k].open++;
            if (age > b[k].oldest)
                b[k].oldest = age;
        }
    }
    stmt_reset(st);
    json_t *arr = json_array();
    for (int k = 0; k < 4; k++) {
        json_array_append_new(
            arr,
            json_pack("{s:s, s:I, s:I, s:I, s:o, s:I, s:I}", "band", band_names[k], "received",
                      (json_int_t)b[k].received, "actioned", (json_int_t)b[k].actioned,
                      "actioned_in_time", (json_int_t)b[k].in_time, "median_hours_to_action",
                      b[k].waits.n ? json_real((double)samples_median(&b[k].waits) / 3600.0)
                                   : json_null(),
                      "open", (json_int_t)b[k].open, "oldest_open_days", (json_int_t)b[k].oldest));
    }
    for (int k = 0; k < 4; k++)
        samples_free(&b[k].waits);
    free(b);
    return rc == STORE_DONE ? json_pack("{s:o}", "bands", arr) : (json_decref(arr), NULL);
}
