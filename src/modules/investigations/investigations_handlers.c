/*
 * investigations_handlers.c — HTTP in and out for investigations, teams and
 * officers' profiles: path and query parsing, then the domain functions.
 * Every route names the investigation (or team, or officer) in its audit
 * entry.
 */
#include "modules/investigations/investigations_handlers.h"

#include <string.h>

static int id_param(struct request *req, struct response *res, const char *name, const char *type,
                    int64_t *id)
{
    req->audit_type = type;
    if (req_param_id(req, res, name, id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

static void send_inv(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = investigation_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no investigation with id %lld", (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/investigations/%lld", (long long)id);
    http_json(res, status, o);
}

static void send_or_fail(struct response *res, json_t *o, struct request *req)
{
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void teams_h_list(struct request *req, struct response *res)
{
    send_or_fail(res, team_list(req->store), req);
}

void teams_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "team";
    int64_t id = team_create(req->store, req->json, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    res->redirect = "/teams";
    http_header(res, "Location", arena_printf(req->arena, "/api/teams/%lld", (long long)id));
    json_t *o = team_list(req->store);
    http_json(res, 201, o ? o : json_object());
}

void teams_h_update(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "id", "team", &id) < 0)
        return;
    struct domain_error err = {0};
    if (team_update(req->store, id, req->json, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    res->redirect = "/teams";
    send_or_fail(res, team_list(req->store), req);
}

void officers_h_list(struct request *req, struct response *res)
{
    send_or_fail(res, officer_profiles(req->store), req);
}

void officers_h_put(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "id", "officer_profile", &id) < 0)
        return;
    struct domain_error err = {0};
    if (officer_profile_put(req->store, id, req->json, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    res->redirect = "/teams";
    send_or_fail(res, officer_profiles(req->store), req);
}

void inv_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "investigation";
    int64_t id = investigation_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location",
                arena_printf(req->arena, "/api/investigations/%lld", (long long)id));
    send_inv(req, res, id, 201);
}

void inv_h_list(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", NULL};
    static const char *const statuses[] = {
        "new",       "allocated", "active", "awaiting_forensics", "awaiting_charging_decision",
        "suspended", "closed",    NULL};
    req->audit_type = "investigation";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *status = req_query(req, "status");
    if (status && !*status)
        status = NULL;
    bool ok = !status;
    for (const char *const *v = statuses; status && *v; v++)
        ok = ok || strcmp(*v, status) == 0;
    if (!ok) {
        http_error(res, 422, "invalid_enum", "status",
                   "'status' must be one of: new, allocated, active, awaiting_forensics, "
                   "awaiting_charging_decision, suspended, closed");
        return;
    }
    json_t *o = investigation_list(req->store, status, req->now);
    /* The filter in force, so the page's filter shows it. */
    if (o)
        json_object_set_new(o, "status", status ? json_string(status) : json_null());
    send_or_fail(res, o, req);
}

void inv_h_ageing(struct request *req, struct response *res)
{
    req->audit_type = "investigation";
    send_or_fail(res, investigation_ageing(req->store, req->now), req);
}

void inv_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "id", "investigation", &id) < 0)
        return;
    send_inv(req, res, id, 200);
}

void inv_h_ranking(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "id", "investigation", &id) < 0)
        return;
    struct domain_error err = {0};
    json_t *o = investigation_ranking(req->store, id, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (id_param(req, res, "id", "investigation", &id) < 0)                                    \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_inv(req, res, id, 200);                                                               \
    }

ACTION(inv_h_review, investigation_review)
ACTION(inv_h_action, investigation_add_action)
ACTION(inv_h_status, investigation_set_status)
ACTION(inv_h_plan, investigation_set_plan)
ACTION(inv_h_risk, investigation_record_risk)
ACTION(inv_h_close, investigation_close)

/* A refused allocation from the Allocate page re-renders it: the ranking goes
 * beside the error (pages only; the API's errors stay {"error": ...}), with
 * the officer that was chosen marked so the choice is kept. */
void inv_h_allocate(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "id", "investigation", &id) < 0)
        return;
    struct domain_error err = {0};
    if (investigation_allocate(req->store, id, req->json, req->user, req->now, &err) == 0) {
        send_inv(req, res, id, 200);
        return;
    }
    int status = err.status;
    http_domain_error(res, &err);
    if (!req->html || !res->json || status < 400 || status >= 500)
        return;
    struct domain_error rerr = {0};
    json_t *page = investigation_ranking(req->store, id, &rerr);
    domain_error_release(&rerr);
    if (!page)
        return;
    json_int_t chosen = json_integer_value(json_object_get(req->json, "officer_id"));
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(page, "officers"), i, o)
    {
        json_object_set_new(
            o, "selected",
            json_boolean(json_integer_value(json_object_get(o, "user_id")) == chosen));
    }
    json_object_set_new(res->json, "page", page);
}

void inv_h_action_done(struct request *req, struct response *res)
{
    int64_t id, action;
    if (id_param(req, res, "id", "investigation", &id) < 0 ||
        req_param_id(req, res, "action_id", &action) < 0)
        return;
    struct domain_error err = {0};
    if (investigation_action_done(req->store, id, action, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    send_inv(req, res, id, 200);
}

void inv_h_referral(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "id", "investigation", &id) < 0)
        return;
    struct domain_error err = {0};
    int64_t ref =
        investigation_raise_referral(req->store, id, req->json, req->user, req->now, &err);
    if (ref < 0) {
        http_domain_error(res, &err);
        return;
    }
    http_header(res, "Location", arena_printf(req->arena, "/api/referrals/%lld", (long long)ref));
    res->redirect = arena_printf(req->arena, "/referrals/%lld", (long long)ref);
    json_t *o = investigation_get(req->store, id, req->user, req->now);
    json_object_set_new(o, "referral_id", json_integer(ref));
    http_json(res, 201, o);
}
