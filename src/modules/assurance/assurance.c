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

int assurance_month(const char *text, struct assurance_period *out)
{
    int y, mo;
    char end;
    if (!text || strlen(text) != 7 || text[4] != '-' ||
        sscanf(text, "%4d-%2d%c", &y, &mo, &end) != 2 || y < 1900 || !date_valid(y, mo, 1))
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (text[i] < '0' || text[i] > '9'))
            return -1;
    struct civil_date first = {y, mo, 1};
    struct civil_date next = assurance_due_on(first, 1);
    struct civil_date last = date_from_days(date_to_days(&next) - 1);
    date_format(&first, out->from);
    date_format(&last, out->to);
    out->area = NULL;
    return 0;
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
    struct civil_date t = date_of_ts(ts_uk_local(now));
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

/* The registry's measures mapped to recommendation rec_id (in registry
 * order), for the period. */
static json_t *measures_for(struct store *s, int64_t rec_id, const struct assurance_period *p,
                            bool suppress)
{
    json_t *arr = json_array();
    bool shown[256] = {false};
    struct stmt *st = store_prepare(s, SQL_A_REC_MEASURES);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, rec_id);
    while (stmt_step(st) == STORE_ROW) {
        const struct assurance_measure *m = assurance_measure_find(stmt_text(st, 0));
        if (m && m - assurance_measures < 256)
            shown[m - assurance_measures] = true;
    }
    stmt_reset(st);
    for (int i = 0; i < assurance_measure_count && i < 256; i++) {
        if (!shown[i])
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

/* Actions past their due date (UK today) and not complete, oldest first. */
static json_t *overdue_actions(struct store *s, int64_t now)
{
    char today[DATE_TEXT_LEN];
    struct civil_date t = date_of_ts(ts_uk_local(now));
    date_format(&t, today);
    struct stmt *st = store_prepare(s, SQL_A_OVERDUE_ACTIONS);
    if (!st)
        return NULL;
    stmt_bind_text(st, 1, today);
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:I}}", "id",
                                             (json_int_t)stmt_int(st, 0), "title", stmt_text(st, 1),
                                             "due_on", stmt_text(st, 2), "status", stmt_text(st, 3),
                                             "recommendation", "id", (json_int_t)stmt_int(st, 4),
                                             "number", (json_int_t)stmt_int(st, 5)));
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* Every measure at amber or red in the period, with its recommendation. */
static json_t *off_target(const json_t *recs)
{
    json_t *arr = json_array();
    size_t i, j;
    const json_t *r, *m;
    json_array_foreach(recs, i, r)
    {
        json_array_foreach(json_object_get(r, "measures"), j, m)
        {
            const char *rag = json_string_value(json_object_get(m, "rag"));
            if (!rag || (strcmp(rag, "red") != 0 && strcmp(rag, "amber") != 0))
                continue;
            json_array_append_new(
                arr,
                json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:{s:O, s:O}}", "key",
                          json_object_get(m, "key"), "title", json_object_get(m, "title"), "rag",
                          json_object_get(m, "rag"), "percent", json_object_get(m, "percent"),
                          "numerator", json_object_get(m, "numerator"), "denominator",
                          json_object_get(m, "denominator"), "recommendation", "id",
                          json_object_get(r, "id"), "number", json_object_get(r, "number")));
        }
    }
    return arr;
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
        json_object_set_new(r, "measures", measures_for(s, stmt_int(st, 0), p, suppress));
        json_array_append_new(recs, r);
    }
    stmt_reset(st);
    if (rc != STORE_DONE) {
        json_decref(recs);
        return NULL;
    }
    char now_s[TS_TEXT_LEN];
    ts_format(now, now_s);
    json_t *overdue = overdue_actions(s, now);
    if (!overdue) {
        json_decref(recs);
        return NULL;
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:b, s:i, s:s}", "recommendations", recs, "off_target",
                     off_target(recs), "overdue_actions", overdue, "period", period_json(p),
                     "aggregate_only", suppress, "suppress_below", ASSURANCE_SUPPRESS_BELOW,
                     "as_at", now_s);
}

/* One month of the trend: [first day, last day] of the month `back` months
 * before today's. */
static void trend_month(int64_t now, int back, struct assurance_period *out)
{
    struct civil_date t = date_of_ts(ts_uk_local(now));
    int m0 = t.year * 12 + (t.month - 1) - back;
    struct civil_date first = {m0 / 12, m0 % 12 + 1, 1};
    struct civil_date next = assurance_due_on(first, 1);
    struct civil_date last = date_from_days(date_to_days(&next) - 1);
    date_format(&first, out->from);
    date_format(&last, out->to);
}

/* The registry's breakdowns for this recommendation's number over the
 * period (UK days, from's midnight to the midnight after to). */
static json_t *breakdowns_for(struct store *s, const json_t *rec, const struct assurance_period *p,
                              const struct user *u, int64_t now)
{
    json_t *out = json_array();
    json_int_t number = json_integer_value(json_object_get(rec, "number"));
    struct civil_date from, to;
    if (date_parse(p->from, &from) < 0 || date_parse(p->to, &to) < 0)
        return out;
    struct civil_date after = date_from_days(date_to_days(&to) + 1);
    char a[TS_TEXT_LEN], b[TS_TEXT_LEN];
    ts_format(ts_uk_midnight(&from), a);
    ts_format(ts_uk_midnight(&after), b);
    for (int i = 0; i < assurance_breakdown_count; i++) {
        const struct assurance_breakdown *d = &assurance_breakdowns[i];
        if (d->recommendation != number)
            continue;
        bool suppress = !u || !permset_has(&u->perms, (enum permission)d->detail_perm);
        json_t *data = d->build(s, a, b, now, suppress);
        if (!data)
            continue;
        json_object_set_new(data, "period", json_pack("{s:s, s:s}", "from", p->from, "to", p->to));
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "key", d->key, "title",
                                             d->title, "href", d->href, "data", data));
    }
    return out;
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
        while (stmt_step(st) == STORE_ROW)
            json_array_append_new(actions, assurance_action_json(st, suppress));
        stmt_reset(st);
    }
    json_object_set_new(o, "actions", actions);

    json_t *measures = measures_for(s, id, p, suppress);
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
    json_object_set_new(o, "breakdowns", breakdowns_for(s, o, p, u, now));
    /* The commentary shown is the one for the month the period ends in. */
    char month[8];
    snprintf(month, sizeof(month), "%.7s", p->to);
    json_object_set_new(o, "commentary", assurance_commentary(s, id, month, u));
    json_object_set_new(o, "period", period_json(p));
    json_object_set_new(o, "aggregate_only", json_boolean(suppress));
    json_object_set_new(
        o, "statuses",
        json_pack("[s, s, s, s]", "not_started", "in_progress", "complete", "blocked"));
    return o;
}
