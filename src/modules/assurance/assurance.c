/*
 * assurance.c — governance (DOMAIN.md, Governance): recommendations with
 * their due dates, the actions against them and their history, the overview
 * and recommendation views, and the seed of the 2022 Warwickshire national
 * child protection inspection.
 */
#include "modules/assurance/assurance.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "modules/assurance/assurance_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

const char *const assurance_action_statuses[] = {"not_started", "in_progress", "complete",
                                                 "blocked", NULL};

const struct field assurance_action_fields[] = {
    {.name = "version",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 1,
     .max = 9007199254740991LL},
    {.name = "status", .type = FIELD_ENUM, .values = assurance_action_statuses},
    {.name = "evidence",
     .type = FIELD_STRING,
     .flags = FIELD_NULLABLE | FIELD_EMPTY_OK,
     .max_len = 4000},
    {0}};

struct civil_date assurance_due_on(struct civil_date published, int months)
{
    assert(months >= 0);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m0 = published.month - 1 + months;
    struct civil_date d = {published.year + m0 / 12, m0 % 12 + 1, published.day};
    int last = mdays[d.month - 1] + (d.month == 2 && date_valid(d.year, 2, 29));
    if (d.day > last)
        d.day = last;
    return d;
}

/* Board members, the PCC and anyone else without assurance.write see
 * aggregates only (see assurance.h). */
static bool aggregate_only(const struct user *u)
{
    return !u || !permset_has(&u->perms, PERM_ASSURANCE_WRITE);
}

/* The recommendation row of SQL_A_RECOMMENDATION(S) as JSON, with its action
 * counts and overdue flag. */
static json_t *recommendation_json(struct store *s, struct stmt *st, int64_t now)
{
    int64_t id = stmt_int(st, 0);
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(now);
    date_format(&t, today);
    json_t *o =
        json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:{s:I, s:s, s:s, s:s, s:s}}", "id",
                  (json_int_t)id, "number", (json_int_t)stmt_int(st, 1), "text", stmt_text(st, 2),
                  "timescale", stmt_text(st, 3), "timescale_months",
                  stmt_is_null(st, 4) ? json_null() : json_integer((json_int_t)stmt_int(st, 4)),
                  "due_on", stmt_text(st, 5), "owner", stmt_json_text(st, 6), "inspection", "id",
                  (json_int_t)stmt_int(st, 7), "body", stmt_text(st, 8), "title", stmt_text(st, 9),
                  "force", stmt_text(st, 10), "published_on", stmt_text(st, 11));
    bool past_due = strcmp(today, stmt_text(st, 5)) > 0;

    json_t *counts = json_object();
    for (const char *const *v = assurance_action_statuses; *v; v++)
        json_object_set_new(counts, *v, json_integer(0));
    int64_t total = 0, complete = 0;
    struct stmt *c = store_prepare(s, SQL_A_ACTION_COUNTS);
    if (c) {
        stmt_bind_int(c, 1, id);
        while (stmt_step(c) == STORE_ROW) {
            int64_t n = stmt_int(c, 1);
            json_object_set_new(counts, stmt_text(c, 0), json_integer((json_int_t)n));
            total += n;
            if (strcmp(stmt_text(c, 0), "complete") == 0)
                complete = n;
        }
        stmt_reset(c);
    }
    json_object_set_new(counts, "total", json_integer((json_int_t)total));
    json_object_set_new(o, "actions_by_status", counts);
    /* Overdue: past its due date and not every action complete. */
    json_object_set_new(o, "overdue", json_boolean(past_due && (total == 0 || complete < total)));
    return o;
}

/* The registry's measures for recommendation `number`, for the period. */
static json_t *measures_for(struct store *s, int number, const struct assurance_period *p,
                            bool suppress)
{
    json_t *arr = json_array();
    for (int i = 0; i < assurance_measure_count; i++) {
        if (assurance_measures[i].recommendation != number)
            continue;
        json_t *m = assurance_measure_eval(s, &assurance_measures[i], p, suppress);
        if (m)
            json_array_append_new(arr, m);
    }
    return arr;
}

static json_t *period_json(const struct assurance_period *p)
{
    return json_pack("{s:s, s:s, s:o}", "from", p->from, "to", p->to, "area",
                     p->area ? json_string(p->area) : json_null());
}

json_t *assurance_overview(struct store *s, const struct assurance_period *p, const struct user *u,
                           int64_t now)
{
    assert(s && p);
    bool suppress = aggregate_only(u);
    json_t *recs = json_array();
    struct stmt *st = store_prepare(s, SQL_A_RECOMMENDATIONS);
    if (!st)
        return NULL;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        json_t *r = recommendation_json(s, st, now);
        json_object_set_new(r, "measures", measures_for(s, (int)stmt_int(st, 1), p, suppress));
        json_array_append_new(recs, r);
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(recs);
        return NULL;
    }
    char now_s[TS_TEXT_LEN];
    ts_format(now, now_s);
    return json_pack("{s:o, s:o, s:b, s:i, s:s}", "recommendations", recs, "period", period_json(p),
                     "aggregate_only", suppress, "suppress_below", ASSURANCE_SUPPRESS_BELOW,
                     "as_at", now_s);
}

/* One month of the trend: [first day, last day] of the month `back` months
 * before today's. */
static void trend_month(int64_t now, int back, struct assurance_period *out)
{
    struct civil_date t = date_of_ts(now);
    int m0 = t.year * 12 + (t.month - 1) - back;
    struct civil_date first = {m0 / 12, m0 % 12 + 1, 1};
    struct civil_date next = assurance_due_on(first, 1);
    struct civil_date last = date_from_days(date_to_days(&next) - 1);
    date_format(&first, out->from);
    date_format(&last, out->to);
}

json_t *assurance_recommendation(struct store *s, int64_t id, const struct assurance_period *p,
                                 const struct user *u, int64_t now)
{
    assert(s && p);
    bool suppress = aggregate_only(u);
    struct stmt *st = store_prepare(s, SQL_A_RECOMMENDATION);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = recommendation_json(s, st, now);
    int number = (int)stmt_int(st, 1);
    stmt_reset(st);

    json_t *points = json_array();
    st = store_prepare(s, SQL_A_POINTS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(points, json_pack("{s:s, s:s}", "label", stmt_text(st, 0), "text",
                                                    stmt_text(st, 1)));
        stmt_reset(st);
    }
    json_object_set_new(o, "points", points);

    json_t *actions = json_array();
    st = store_prepare(s, SQL_A_ACTIONS);
    if (st) {
        stmt_bind_int(st, 1, id);
        while (stmt_step(st) == STORE_ROW) {
            json_t *a =
                json_pack("{s:I, s:s, s:o, s:o, s:s, s:I, s:s}", "id", (json_int_t)stmt_int(st, 0),
                          "title", stmt_text(st, 1), "owner", stmt_json_text(st, 2), "due_on",
                          stmt_json_text(st, 3), "status", stmt_text(st, 4), "version",
                          (json_int_t)stmt_int(st, 6), "updated_at", stmt_text(st, 7));
            /* Evidence is free text and may name people: not for aggregate views. */
            if (!suppress)
                json_object_set_new(a, "evidence", stmt_json_text(st, 5));
            json_array_append_new(actions, a);
        }
        stmt_reset(st);
    }
    json_object_set_new(o, "actions", actions);

    json_t *measures = measures_for(s, number, p, suppress);
    size_t i;
    json_t *m;
    json_array_foreach(measures, i, m)
    {
        const struct assurance_measure *def = NULL;
        for (int k = 0; k < assurance_measure_count; k++)
            if (strcmp(assurance_measures[k].key, json_string_value(json_object_get(m, "key"))) ==
                0)
                def = &assurance_measures[k];
        json_t *trend = json_array();
        for (int back = ASSURANCE_TREND_MONTHS - 1; def && back >= 0; back--) {
            struct assurance_period mp = {.area = p->area};
            trend_month(now, back, &mp);
            json_t *pt = assurance_measure_eval(s, def, &mp, suppress);
            if (!pt)
                continue;
            json_array_append_new(trend,
                                  json_pack("{s:s, s:O, s:O, s:O, s:O}", "month", mp.from,
                                            "numerator", json_object_get(pt, "numerator"),
                                            "denominator", json_object_get(pt, "denominator"),
                                            "percent", json_object_get(pt, "percent"), "rag",
                                            json_object_get(pt, "rag")));
            json_decref(pt);
        }
        json_object_set_new(m, "trend", trend);
    }
    json_object_set_new(o, "measures", measures);
    json_object_set_new(o, "period", period_json(p));
    json_object_set_new(o, "aggregate_only", json_boolean(suppress));
    json_object_set_new(
        o, "statuses",
        json_pack("[s, s, s, s]", "not_started", "in_progress", "complete", "blocked"));
    return o;
}

static int history(struct store *s, int64_t action_id, const char *at, const struct user *u,
                   const char *field, const char *old, const char *new_value)
{
    struct stmt *st = store_prepare(s, SQL_A_HISTORY_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, action_id);
    stmt_bind_text(st, 2, at);
    if (u)
        stmt_bind_int(st, 3, u->id);
    else
        stmt_bind_null(st, 3);
    stmt_bind_text(st, 4, field);
    stmt_bind_text(st, 5, old);
    stmt_bind_text(st, 6, new_value);
    return store_exec_stmt(st);
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int assurance_action_update(struct store *s, int64_t id, const json_t *body, const struct user *u,
                            int64_t now, int64_t *rec_id, struct domain_error *err)
{
    assert(s && body && rec_id && err);
    if (!jhas(body, "status") && !jhas(body, "evidence"))
        return domain_fail(err, 422, "missing_field", "status",
                           "give a new 'status' or 'evidence' for the action");
    struct stmt *st = store_prepare(s, SQL_A_ACTION_GET);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_reset(st);
        if (rc < 0)
            return domain_store_fail(err, s, rc);
        return domain_fail(err, 404, "not_found", NULL, "no action with id %lld", (long long)id);
    }
    char old_status[32], old_evidence_buf[4096 + 1];
    *rec_id = stmt_int(st, 1);
    snprintf(old_status, sizeof(old_status), "%s", stmt_text(st, 2));
    bool had_evidence = !stmt_is_null(st, 3);
    snprintf(old_evidence_buf, sizeof(old_evidence_buf), "%s",
             had_evidence ? stmt_text(st, 3) : "");
    int64_t version = stmt_int(st, 4);
    stmt_reset(st);
    const char *old_evidence = had_evidence ? old_evidence_buf : NULL;

    int64_t given = (int64_t)json_integer_value(json_object_get(body, "version"));
    if (given != version)
        return domain_fail(err, 409, "stale_version", "version",
                           "the action was changed by someone else (version %lld, not %lld): "
                           "reload it and try again",
                           (long long)version, (long long)given);

    const char *status = jhas(body, "status") ? jstr(body, "status") : old_status;
    const char *evidence = old_evidence;
    if (jhas(body, "evidence")) {
        evidence = jstr(body, "evidence");
        if (evidence && !*evidence)
            evidence = NULL;
    }
    char at[TS_TEXT_LEN];
    ts_format(now, at);
    st = store_prepare(s, SQL_A_ACTION_UPDATE);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, status);
    stmt_bind_text(st, 2, evidence);
    stmt_bind_text(st, 3, at);
    stmt_bind_int(st, 4, id);
    stmt_bind_int(st, 5, version);
    if ((rc = store_exec_stmt(st)) < 0)
        return domain_store_fail(err, s, rc);
    if (store_changes(s) != 1)
        return domain_fail(err, 409, "stale_version", "version",
                           "the action was changed by someone else: reload it and try again");
    if (!same(status, old_status) && (rc = history(s, id, at, u, "status", old_status, status)) < 0)
        return domain_store_fail(err, s, rc);
    if (!same(evidence, old_evidence) &&
        (rc = history(s, id, at, u, "evidence", old_evidence, evidence)) < 0)
        return domain_store_fail(err, s, rc);
    return 0;
}
