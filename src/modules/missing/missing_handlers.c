/*
 * missing_handlers.c — HTTP in and out for missing children: path and query
 * parsing, then the domain functions in missing.c and missing_actions.c.
 * Bodies arrive validated against the route's field table; every route names
 * the episode (or the person, for a Philomena profile) in its audit entry.
 */
#include "modules/missing/missing_handlers.h"

#include <stdlib.h>
#include <string.h>

static int episode_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "missing_episode";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* The episode after a change, or for a page its address. */
static void send_episode(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = missing_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no missing episode with id %lld", (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/missing/%lld", (long long)id);
    http_json(res, status, o);
}

void missing_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "missing_episode";
    int64_t id = missing_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/missing/%lld", (long long)id));
    send_episode(req, res, id, 201);
}

/* ?person_id=N: the report form pre-filled from that person's record. */
void missing_h_new(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"person_id", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *p = req_query(req, "person_id");
    int64_t pid = 0;
    if (p && *p) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (*end || v < 1) {
            http_error(res, 422, "invalid_field", "person_id",
                       "'person_id' must be a person's id (a whole number)");
            return;
        }
        pid = v;
        req->audit_type = "person";
        req->audit_id = pid;
    }
    struct domain_error err = {0};
    json_t *o = missing_form(req->store, pid, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

void missing_h_list(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", NULL};
    static const char *const statuses[] = {"open", "missing", "returned", "closed", "all", NULL};
    req->audit_type = "missing_episode";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *status = req_query(req, "status");
    if (status && !*status)
        status = NULL;
    if (status) {
        int ok = 0;
        for (const char *const *v = statuses; *v; v++)
            ok |= strcmp(*v, status) == 0;
        if (!ok) {
            http_error(res, 422, "invalid_enum", "status",
                       "'status' must be one of: open, missing, returned, closed, all");
            return;
        }
    }
    json_t *o = missing_list(req->store, status, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void missing_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (episode_id(req, res, &id) < 0)
        return;
    send_episode(req, res, id, 200);
}

/* One handler per action: read {id}, run the domain function, answer with
 * the episode. */
#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (episode_id(req, res, &id) < 0)                                                         \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_episode(req, res, id, 200);                                                           \
    }

ACTION(missing_h_event, missing_add_event)
ACTION(missing_h_risk_info, missing_add_risk_info)
ACTION(missing_h_review, missing_review)
ACTION(missing_h_return, missing_return)
ACTION(missing_h_interview, missing_prevention_interview)
ACTION(missing_h_exploitation, missing_exploitation)
ACTION(missing_h_referral, missing_referral)
ACTION(missing_h_rhi_referral, missing_rhi_referral)
ACTION(missing_h_rhi_outcome, missing_rhi_outcome)
ACTION(missing_h_link, missing_link)
ACTION(missing_h_close, missing_close)

static int person_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "person";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

void missing_h_profile_show(struct request *req, struct response *res)
{
    int64_t pid;
    if (person_id(req, res, &pid) < 0)
        return;
    struct domain_error err = {0};
    json_t *o = missing_profile_get(req->store, pid, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

void missing_h_profile_put(struct request *req, struct response *res)
{
    int64_t pid;
    if (person_id(req, res, &pid) < 0)
        return;
    struct domain_error err = {0};
    if (missing_profile_put(req->store, pid, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    json_t *o = missing_profile_get(req->store, pid, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    res->redirect = arena_printf(req->arena, "/people/%lld/philomena", (long long)pid);
    http_json(res, 200, o);
}
