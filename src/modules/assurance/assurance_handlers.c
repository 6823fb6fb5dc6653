/*
 * assurance_handlers.c — HTTP in and out for the assurance area: the period
 * and area query, then the domain functions in assurance.c.
 */
#include "modules/assurance/assurance_handlers.h"

#include "core/buf.h"
#include "modules/assurance/assurance_pack.h"

#include <stdio.h>
#include <string.h>

/* ?from, ?to (dates, default the last ASSURANCE_DEFAULT_PERIOD_DAYS days to
 * today) and ?area (a policing area, default the whole force). */
static int read_period(struct request *req, struct response *res, struct assurance_period *p)
{
    static const char *const allowed[] = {"from", "to", "area", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return -1;
    struct civil_date today = date_of_ts(req->now), from, to;
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
        struct civil_date today = date_of_ts(req->now);
        snprintf(month, sizeof(month), "%04d-%02d", today.year % 10000, today.month % 100);
        period = month;
    }
    struct assurance_period p;
    if (assurance_pack_period(period, &p) < 0) {
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
    res->status = 200;
    res->content_type = "application/pdf";
    res->body = arena_strndup(req->arena, b.data, b.len);
    res->body_len = b.len;
    buf_release(&b);
    http_header(res, "Content-Disposition",
                arena_printf(req->arena, "attachment; filename=\"board-pack-%.7s.pdf\"", p.from));
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
    struct assurance_period p;
    struct civil_date today = date_of_ts(req->now);
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
    http_json(res, 200, o);
}
