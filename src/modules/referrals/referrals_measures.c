/*
 * referrals_measures.c — how the assurance registry counts recommendation 4
 * (referrals), with the registry's inputs (period [from_ts, to_ts), area or
 * NULL), and the by-agency breakdown. A referral's area is its author's.
 */
#include "core/clock.h"
#include "modules/assurance/assurance.h"
#include "core/date.h"
#include "core/stats.h"
#include "modules/referrals/referrals.h"
#include "rules/rules.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AREA_OF_REFERRAL                                                                           \
    " (?3 IS NULL OR (SELECT u.area FROM app_user u WHERE u.id = r.created_by) = ?3)"

/* Referrals that were due to be sent in the period (concern time plus the
 * urgency's minutes): urgency, concern, sent_at (NULL: not yet). Cancelled
 * ones are left out. */
static const char SQL_M_SEND[] =
    "SELECT r.urgency, r.concern_at, r.sent_at FROM referral r WHERE r.status <> 'cancelled'"
    " AND r.concern_at >= ?1 AND r.concern_at < ?2 AND" AREA_OF_REFERRAL;

/* Incidents received in the period for which a referral is mandatory, and
 * when one was first sent. */
static const char SQL_M_MANDATORY[] =
    "SELECT i.received_at, (SELECT MIN(r.sent_at) FROM referral r WHERE r.source_type ="
    " 'incident' AND r.source_id = i.id AND r.status = 'sent') FROM incident i"
    " WHERE i.received_at >= ?1 AND i.received_at < ?2"
    " AND ((i.nature = 'domestic_abuse' AND EXISTS (SELECT 1 FROM incident_person p"
    " WHERE p.incident_id = i.id AND p.is_child = 1))"
    " OR COALESCE((SELECT t.domestic_abuse_child_present FROM thrive t"
    " WHERE t.incident_id = i.id ORDER BY t.id DESC LIMIT 1), 0) = 1)"
    " AND (?3 IS NULL OR COALESCE((SELECT u.area FROM app_user u WHERE u.id = i.officer_id),"
    " (SELECT u.area FROM app_user u WHERE u.id = i.created_by)) = ?3)";

/* Deliveries in the period: sent_at, acknowledged_at, decision. */
static const char SQL_M_DELIVERIES[] =
    "SELECT x.sent_at, x.acknowledged_at, x.decision FROM referral_recipient x"
    " JOIN referral r ON r.id = x.referral_id WHERE x.sent_at >= ?1 AND x.sent_at < ?2 "
    "AND" AREA_OF_REFERRAL;

/* Referrals reviewed in the period (first review), and those returned. */
static const char SQL_M_RETURNS[] =
    "SELECT COALESCE(SUM(CASE WHEN r.returned_count > 0 THEN 1 ELSE 0 END), 0), COUNT(*)"
    " FROM referral r WHERE r.reviewed_at >= ?1 AND r.reviewed_at < ?2 AND" AREA_OF_REFERRAL;

static const char SQL_M_BY_AGENCY[] =
    "SELECT a.name, a.kind, x.sent_at, x.acknowledged_at, x.decision FROM referral_recipient x"
    " JOIN agency a ON a.id = x.agency_id WHERE x.sent_at >= ?1 AND x.sent_at < ?2"
    " ORDER BY a.name";

static int64_t rule_secs(const char *id, int dflt_minutes)
{
    const struct rule *r = rules_find(id);
    return (int64_t)(r ? rules_minutes(r) : dflt_minutes) * 60;
}

int referrals_count_sent_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                 const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now[TS_TEXT_LEN];
    ts_format(clock_now(), now);
    struct stmt *st = assurance_count_prepare(s, SQL_M_SEND, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        char id[48];
        snprintf(id, sizeof(id), "referral.send_%s", stmt_text(st, 0));
        int64_t allowed = rule_secs(id, 24 * 60);
        const char *concern = stmt_text(st, 1);
        if (stmt_is_null(st, 2)) {
            *den += assurance_secs_between(concern, now) >
                    allowed; /* late and still unsent; else not yet due */
            continue;
        }
        (*den)++;
        *num += assurance_secs_between(concern, stmt_text(st, 2)) <= allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int referrals_count_mandatory_missed(struct store *s, const char *from_ts, const char *to_ts,
                                     const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now[TS_TEXT_LEN];
    ts_format(clock_now(), now);
    int64_t allowed = rule_secs("incident.referral", 24 * 60);
    struct stmt *st = assurance_count_prepare(s, SQL_M_MANDATORY, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *recv = stmt_text(st, 0);
        bool sent = !stmt_is_null(st, 1);
        if (!sent && assurance_secs_between(recv, now) <= allowed)
            continue; /* still in time */
        (*den)++;
        *num += !sent || assurance_secs_between(recv, stmt_text(st, 1)) > allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int referrals_count_acknowledged_in_time(struct store *s, const char *from_ts, const char *to_ts,
                                         const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    char now[TS_TEXT_LEN];
    ts_format(clock_now(), now);
    int64_t allowed = rule_secs("referral.acknowledgement", 24 * 60);
    struct stmt *st = assurance_count_prepare(s, SQL_M_DELIVERIES, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *sent = stmt_text(st, 0);
        if (stmt_is_null(st, 1)) {
            *den += assurance_secs_between(sent, now) > allowed;
            continue;
        }
        (*den)++;
        *num += assurance_secs_between(sent, stmt_text(st, 1)) <= allowed;
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int referrals_count_decided(struct store *s, const char *from_ts, const char *to_ts,
                            const char *area, int64_t *num, int64_t *den)
{
    *num = *den = 0;
    struct stmt *st = assurance_count_prepare(s, SQL_M_DELIVERIES, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        (*den)++;
        *num += !stmt_is_null(st, 2);
    }
    stmt_reset(st);
    return rc == STORE_DONE ? 0 : -1;
}

int referrals_count_quality_returns(struct store *s, const char *from_ts, const char *to_ts,
                                    const char *area, int64_t *num, int64_t *den)
{
    struct stmt *st = assurance_count_prepare(s, SQL_M_RETURNS, from_ts, to_ts, area);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    *num = *den = 0;
    if (rc == STORE_ROW) {
        *num = stmt_int(st, 0);
        *den = stmt_int(st, 1);
    }
    stmt_reset(st);
    return rc == STORE_ROW ? 0 : -1;
}

static json_t *count(int64_t n, bool suppress)
{
    return suppress && n > 0 && n < 5 ? json_string("fewer than 5") : json_integer((json_int_t)n);
}

json_t *referrals_by_agency(struct store *s, const char *from_ts, const char *to_ts, bool suppress)
{
    struct stmt *st = assurance_count_prepare(s, SQL_M_BY_AGENCY, from_ts, to_ts, NULL);
    if (!st)
        return NULL;
    int64_t allowed = rule_secs("referral.acknowledgement", 24 * 60);
    json_t *agencies = json_array();
    char name[256] = "", kind[40] = "";
    int64_t sent = 0, acked = 0, in_time = 0, ndec = 0;
    struct samples hours = {0};
    json_t *decisions = NULL;
    bool more = true;
    int rc = STORE_ROW;
    while (more) {
        rc = stmt_step(st);
        more = rc == STORE_ROW;
        const char *n = more ? stmt_text(st, 0) : NULL;
        if (name[0] && (!more || strcmp(n, name) != 0)) {
            /* The agency just finished: its row. */
            json_t *row =
                json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "agency", name, "kind", kind,
                          "sent", count(sent, suppress), "acknowledged", count(acked, suppress),
                          "acknowledged_within_a_day", count(in_time, suppress), "decided",
                          count(ndec, suppress), "median_hours_to_acknowledge",
                          hours.n && !(suppress && hours.n < 5)
                              ? json_real((double)samples_median(&hours) / 3600.0)
                              : json_null());
            const char *k;
            json_t *v;
            json_object_foreach(decisions, k, v)
            {
                json_object_set_new(decisions, k, count(json_integer_value(v), suppress));
            }
            json_object_set_new(row, "decisions", decisions);
            json_array_append_new(agencies, row);
            decisions = NULL;
            name[0] = '\0';
        }
        if (!more)
            break;
        if (!name[0]) {
            snprintf(name, sizeof(name), "%s", n);
            snprintf(kind, sizeof(kind), "%s", stmt_text(st, 1));
            sent = acked = in_time = ndec = 0;
            samples_clear(&hours);
            decisions = json_object();
        }
        sent++;
        if (!stmt_is_null(st, 3)) {
            acked++;
            int64_t d = assurance_secs_between(stmt_text(st, 2), stmt_text(st, 3));
            in_time += d <= allowed;
            if (samples_add(&hours, d) < 0) {
                rc = STORE_ERROR;
                break;
            }
        }
        if (!stmt_is_null(st, 4)) {
            ndec++;
            const char *dk = stmt_text(st, 4);
            json_object_set_new(
                decisions, dk,
                json_integer(json_integer_value(json_object_get(decisions, dk)) + 1));
        }
    }
    stmt_reset(st);
    json_decref(decisions);
    samples_free(&hours);
    if (rc != STORE_DONE) {
        json_decref(agencies);
        return NULL;
    }
    return json_pack("{s:o, s:b}", "agencies", agencies, "aggregate_only", suppress);
}
