/*
 * assurance_handlers.c — HTTP in and out for the assurance area: the period
 * and area query, then the domain functions in assurance.c.
 */
#include "modules/assurance/assurance_handlers.h"

#include "core/buf.h"
#include "modules/assurance/assurance_pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ?from, ?to (dates, default the last ASSURANCE_DEFAULT_PERIOD_DAYS days to
 * today) and ?area (a policing area, default the whole force). */
static int read_period(struct request *req, struct response *res, struct assurance_period *p)
{
    static const char *const allowed[] = {"from", "to", "area", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return -1;
    struct civil_date today = date_of_ts(ts_uk_local(req->now)), from, to;
    const char *f = req_query(req, "from"), *t = req_query(req, "to"), *a = req_query(req, "area");
    if (t && *t) {
        if (date_parse(t, &to) < 0) {
            http_error(res, 422, "invalid_date", "to", "'to' must be a date written YYYY-MM-DD");
            return -1;
        }
    } else {
        to = today;
    }
    if (f && *f) {
        if (date_parse(f, &from) < 0) {
            http_error(res, 422, "invalid_date", "from",
                       "'from' must be a date written YYYY-MM-DD");
            return -1;
        }
    } else {
        from = date_from_days(date_to_days(&to) - (ASSURANCE_DEFAULT_PERIOD_DAYS - 1));
    }
    if (date_compare(&from, &to) > 0) {
        http_error(res, 422, "invalid_period", "from", "'from' must not be after 'to'");
        return -1;
    }
    if (a && strlen(a) > 64) {
        http_error(res, 422, "too_long", "area", "'area' must be at most 64 characters");
        return -1;
    }
    date_format(&from, p->from);
    date_format(&to, p->to);
    p->area = a && *a ? a : NULL;
    return 0;
}

void assurance_show_overview(struct request *req, struct response *res)
{
    struct assurance_period p;
    req->audit_type = "assurance";
    if (read_period(req, res, &p) < 0)
        return;
    json_t *o = assurance_overview(req->store, &p, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void assurance_show_recommendation(struct request *req, struct response *res)
{
    int64_t id;
    struct assurance_period p;
    req->audit_type = "recommendation";
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_id = id;
    if (read_period(req, res, &p) < 0)
        return;
    json_t *o = assurance_recommendation(req->store, id, &p, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no recommendation with id %lld", (long long)id);
        return;
    }
    http_json(res, 200, o);
}

/* ?period=YYYY-MM (default this month): the board pack as a PDF download. */
void assurance_board_pack_pdf(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"period", NULL};
    req->audit_type = "assurance_board_pack";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *period = req_query(req, "period");
    char month[16];
    if (!period || !*period) {
        struct civil_date today = date_of_ts(ts_uk_local(req->now));
        snprintf(month, sizeof(month), "%04d-%02d", today.year % 10000, today.month % 100);
        period = month;
    }
    struct assurance_period p;
    if (assurance_month(period, &p) < 0) {
        http_error(res, 422, "invalid_period", "period",
                   "'period' must be a month written YYYY-MM");
        return;
    }
    struct buf b;
    buf_init(&b, 32 * 1024 * 1024);
    char err[160];
    if (assurance_board_pack(req->store, &p, req->user, req->now, &b, err, sizeof(err)) < 0) {
        buf_release(&b);
        http_error(res, 500, "pack_failed", NULL, "%s", err);
        return;
    }
    http_pdf(req, res, &b, true, arena_printf(req->arena, "board-pack-%.7s.pdf", p.from));
    buf_release(&b);
}

/* The recommendation as its page shows it after a change: the default
 * period to today. */
static void reply_recommendation(struct request *req, struct response *res, int64_t rec_id,
                                 int status)
{
    struct assurance_period p;
    struct civil_date today = date_of_ts(ts_uk_local(req->now));
    struct civil_date from =
        date_from_days(date_to_days(&today) - (ASSURANCE_DEFAULT_PERIOD_DAYS - 1));
    date_format(&from, p.from);
    date_format(&today, p.to);
    p.area = NULL;
    json_t *o = assurance_recommendation(req->store, rec_id, &p, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    res->redirect = arena_printf(req->arena, "/assurance/recommendations/%lld", (long long)rec_id);
    http_json(res, status, o);
}

void assurance_show_action(struct request *req, struct response *res)
{
    int64_t id;
    req->audit_type = "assurance_action";
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_id = id;
    json_t *o = assurance_action_show(req->store, id, req->user);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no action with id %lld", (long long)id);
        return;
    }
    http_json(res, 200, o);
}

void assurance_create_action(struct request *req, struct response *res)
{
    int64_t rec_id, id = 0;
    req->audit_type = "assurance_action";
    if (req_param_id(req, res, "id", &rec_id) < 0)
        return;
    struct domain_error err = {0};
    if (assurance_action_create(req->store, rec_id, req->json, req->user, req->now, &id, &err) <
        0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location",
                arena_printf(req->arena, "/api/assurance/actions/%lld", (long long)id));
    reply_recommendation(req, res, rec_id, 201);
}

void assurance_add_commentary(struct request *req, struct response *res)
{
    int64_t rec_id;
    req->audit_type = "recommendation_commentary";
    if (req_param_id(req, res, "id", &rec_id) < 0)
        return;
    req->audit_id = rec_id;
    struct domain_error err = {0};
    if (assurance_commentary_add(req->store, rec_id, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    reply_recommendation(req, res, rec_id, 201);
}

/* ?months=N within [1, max] (default dflt) into *out; -1 after a 422. */
static int read_months(struct request *req, struct response *res, int dflt, int max, int *out)
{
    const char *v = req_query(req, "months");
    *out = dflt;
    if (!v || !*v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > max) {
        http_error(res, 422, "invalid_months", "months",
                   "'months' must be a whole number from 1 to %d", max);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* The first month of a span of `months` ending with this month (UK time). */
static void span_start(int64_t now, int months, struct assurance_period *first)
{
    struct civil_date t = date_of_ts(ts_uk_local(now));
    int m0 = t.year * 12 + (t.month - 1) - (months - 1);
    char text[16];
    snprintf(text, sizeof(text), "%04d-%02d", (m0 / 12) % 10000, m0 % 12 + 1);
    assurance_month(text, first);
}

static int read_area(struct request *req, struct response *res, const char **area)
{
    const char *a = req_query(req, "area");
    if (a && strlen(a) > 64) {
        http_error(res, 422, "too_long", "area", "'area' must be at most 64 characters");
        return -1;
    }
    *area = a && *a ? a : NULL;
    return 0;
}

/* ?from=YYYY-MM&to=YYYY-MM (default the last ASSURANCE_CSV_DEFAULT_MONTHS
 * months to this one) &area: every measure's monthly series as CSV. */
void assurance_measures_csv_export(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"from", "to", "area", NULL};
    req->audit_type = "assurance_measures_csv";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *f = req_query(req, "from"), *t = req_query(req, "to"), *area;
    if (read_area(req, res, &area) < 0)
        return;
    struct assurance_period first, last;
    if (t && *t) {
        if (assurance_month(t, &last) < 0) {
            http_error(res, 422, "invalid_period", "to", "'to' must be a month written YYYY-MM");
            return;
        }
    } else {
        span_start(req->now, 1, &last);
    }
    if (f && *f) {
        if (assurance_month(f, &first) < 0) {
            http_error(res, 422, "invalid_period", "from",
                       "'from' must be a month written YYYY-MM");
            return;
        }
    } else {
        struct civil_date l;
        date_parse(last.from, &l);
        int m0 = l.year * 12 + (l.month - 1) - (ASSURANCE_CSV_DEFAULT_MONTHS - 1);
        char text[16];
        snprintf(text, sizeof(text), "%04d-%02d", (m0 / 12) % 10000, m0 % 12 + 1);
        assurance_month(text, &first);
    }
    struct civil_date a, b;
    date_parse(first.from, &a);
    date_parse(last.from, &b);
    int months = (b.year * 12 + b.month) - (a.year * 12 + a.month) + 1;
    if (months < 1) {
        http_error(res, 422, "invalid_period", "from", "'from' must not be after 'to'");
        return;
    }
    if (months > ASSURANCE_CSV_MAX_MONTHS) {
        http_error(res, 422, "invalid_period", "from", "at most %d months can be exported at once",
                   ASSURANCE_CSV_MAX_MONTHS);
        return;
    }
    first.area = area;
    struct buf out;
    buf_init(&out, 16 * 1024 * 1024);
    if (assurance_measures_csv(req->store, &first, months, req->user, &out) < 0) {
        buf_release(&out);
        http_store_error(res, -1, req->store);
        return;
    }
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res->body = arena_strndup(req->arena, out.data, out.len);
    res->body_len = out.len;
    buf_release(&out);
    http_header(res, "Content-Disposition",
                arena_printf(req->arena, "attachment; filename=\"measures-%.7s-to-%.7s.csv\"",
                             first.from, last.from));
}

/* ?months=N (default ASSURANCE_TREND_MONTHS) &area: the measure's trend to
 * this month as an SVG line chart. */
void assurance_measure_trend_svg(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"months", "area", NULL};
    req->audit_type = "assurance_measure";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const struct assurance_measure *m = assurance_measure_find(req_param(req, "key"));
    if (!m) {
        http_error(res, 404, "not_found", NULL, "no measure with that key");
        return;
    }
    int months;
    const char *area;
    if (read_months(req, res, ASSURANCE_TREND_MONTHS, ASSURANCE_TREND_MAX_MONTHS, &months) < 0 ||
        read_area(req, res, &area) < 0)
        return;
    struct assurance_period first;
    span_start(req->now, months, &first);
    first.area = area;
    struct buf out;
    buf_init(&out, 4 * 1024 * 1024);
    char err[160];
    if (assurance_trend_svg(req->store, m, &first, months, req->user, &out, err, sizeof(err)) < 0) {
        buf_release(&out);
        http_error(res, 500, "chart_failed", NULL, "%s", err);
        return;
    }
    res->status = 200;
    res->content_type = "image/svg+xml";
    res->body = arena_strndup(req->arena, out.data, out.len);
    res->body_len = out.len;
    buf_release(&out);
}

void assurance_update_action(struct request *req, struct response *res)
{
    int64_t id, rec_id = 0;
    req->audit_type = "assurance_action";
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_id = id;
    struct domain_error err = {0};
    if (assurance_action_update(req->store, id, req->json, req->user, req->now, &rec_id, &err) <
        0) {
        http_domain_error(res, &err);
        return;
    }
    reply_recommendation(req, res, rec_id, 200);
}
