/*
 * disclosure_handlers.c — HTTP in and out for the disclosure scheme: path
 * and query parsing, then the domain functions in disclosure.c and
 * disclosure_read.c. Bodies arrive validated against the route's field
 * table; every route names the application in its audit entry.
 */
#include "modules/disclosure/disclosure_handlers.h"

#include <string.h>

static int app_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "disclosure_application";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* The application after a change, or for a page its address. */
static void send_app(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = disclosure_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no disclosure application with id %lld",
                   (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/disclosure/%lld", (long long)id);
    http_json(res, status, o);
}

void disclosure_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "disclosure_application";
    int64_t id = disclosure_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/disclosure/%lld", (long long)id));
    send_app(req, res, id, 201);
}

void disclosure_h_new(struct request *req, struct response *res)
{
    (void)req;
    http_json(res, 200, disclosure_form_choices());
}

void disclosure_h_list(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", NULL};
    req->audit_type = "disclosure_application";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *status = req_query(req, "status");
    if (status && !*status)
        status = NULL;
    if (status && strcmp(status, "open") != 0 && strcmp(status, "closed") != 0 &&
        strcmp(status, "all") != 0) {
        http_error(res, 422, "invalid_enum", "status",
                   "'status' must be one of: open, closed, all");
        return;
    }
    json_t *o = disclosure_list(req->store, status, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void disclosure_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (app_id(req, res, &id) < 0)
        return;
    send_app(req, res, id, 200);
}

/* One handler per stage: read {id}, run the domain function, answer with
 * the application. The audit entry names the stage. */
#define ACTION(name, fn, what)                                                                     \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (app_id(req, res, &id) < 0)                                                             \
            return;                                                                                \
        req->audit_action = what;                                                                  \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_app(req, res, id, 200);                                                               \
    }

ACTION(disclosure_h_contact, disclosure_initial_contact, "initial_contact")
ACTION(disclosure_h_meeting, disclosure_face_to_face, "face_to_face")
ACTION(disclosure_h_checks, disclosure_checks, "checks")
ACTION(disclosure_h_decision, disclosure_decide, "decision")
ACTION(disclosure_h_undertaking, disclosure_undertaking, "undertaking")
ACTION(disclosure_h_disclose, disclosure_disclose, "disclosure")
ACTION(disclosure_h_close, disclosure_close, "close")

void disclosure_h_risk(struct request *req, struct response *res)
{
    int64_t id;
    if (app_id(req, res, &id) < 0)
        return;
    req->audit_action = "immediate_risk";
    struct domain_error err = {0};
    int64_t risk = disclosure_immediate_risk(req->store, id, req->json, req->user, req->now, &err);
    if (risk < 0) {
        http_domain_error(res, &err);
        return;
    }
    json_t *o = disclosure_get(req->store, id, req->user, req->now);
    json_object_set_new(o, "risk_id", json_integer(risk));
    res->redirect = arena_printf(req->arena, "/disclosure/%lld", (long long)id);
    http_json(res, 201, o);
}

void disclosure_h_risk_action(struct request *req, struct response *res)
{
    int64_t id, risk;
    if (app_id(req, res, &id) < 0 || req_param_id(req, res, "risk", &risk) < 0)
        return;
    req->audit_action = "safeguarding_action";
    struct domain_error err = {0};
    if (disclosure_risk_action(req->store, id, risk, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    send_app(req, res, id, 200);
}
