/*
 * ocse_handlers.c — HTTP in and out for online referrals: path and query
 * parsing, then the domain functions in ocse.c and ocse_import.c. Every
 * route names the referral in its audit entry.
 */
#include "modules/ocse/ocse_handlers.h"
#include "core/date.h"

static void send_one(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = ocse_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no online referral with id %lld", (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/online-referrals/%lld", (long long)id);
    http_json(res, status, o);
}

void ocse_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "online_referral";
    int64_t id = ocse_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location",
                arena_printf(req->arena, "/api/online-referrals/%lld", (long long)id));
    send_one(req, res, id, 201);
}

void ocse_h_import(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "online_referral";
    int n = ocse_import(req->store, jstr(req->json, "format"), jstr(req->json, "content"),
                        req->user, req->now, &err);
    if (n < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_detail = arena_printf(req->arena, "{\"imported\":%d}", n);
    json_t *o = ocse_list(req->store, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    json_object_set_new(o, "imported", json_integer(n));
    res->redirect = "/online-referrals";
    http_json(res, 201, o);
}

void ocse_h_list(struct request *req, struct response *res)
{
    req->audit_type = "online_referral";
    json_t *o = ocse_list(req->store, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

/* ?from=YYYY-MM-DD&to=YYYY-MM-DD (default the last 90 days): by band. */
void ocse_h_measures(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"from", "to", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    struct civil_date to = date_of_ts(ts_uk_local(req->now)), from;
    const char *f = req_query(req, "from"), *t = req_query(req, "to");
    if (t && *t && date_parse(t, &to) < 0) {
        http_error(res, 422, "invalid_date", "to", "'to' must be a date written YYYY-MM-DD");
        return;
    }
    from = date_from_days(date_to_days(&to) - 89);
    if (f && *f && date_parse(f, &from) < 0) {
        http_error(res, 422, "invalid_date", "from", "'from' must be a date written YYYY-MM-DD");
        return;
    }
    if (date_compare(&from, &to) > 0) {
        http_error(res, 422, "invalid_period", "from", "'from' must not be after 'to'");
        return;
    }
    struct civil_date after = date_from_days(date_to_days(&to) + 1);
    char a[TS_TEXT_LEN], b[TS_TEXT_LEN];
    ts_format(ts_uk_midnight(&from), a);
    ts_format(ts_uk_midnight(&after), b);
    json_t *o = ocse_by_band(req->store, a, b, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void ocse_h_show(struct request *req, struct response *res)
{
    int64_t id;
    req->audit_type = "online_referral";
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_id = id;
    send_one(req, res, id, 200);
}

#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        req->audit_type = "online_referral";                                                       \
        if (req_param_id(req, res, "id", &id) < 0)                                                 \
            return;                                                                                \
        req->audit_id = id;                                                                        \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_one(req, res, id, 200);                                                               \
    }

ACTION(ocse_h_factors, ocse_set_factors)
ACTION(ocse_h_resolve, ocse_resolve)
ACTION(ocse_h_escalate, ocse_escalate)
ACTION(ocse_h_action, ocse_action)
ACTION(ocse_h_close, ocse_close)
