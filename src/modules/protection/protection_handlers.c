/*
 * protection_handlers.c — HTTP in and out for police protection: path and
 * query parsing, then the domain functions in protection.c and
 * protection_summary.c. Bodies arrive validated against the route's field
 * table; every route names the case (or the person, or the incident) in its
 * audit entry.
 */
#include "modules/protection/protection_handlers.h"
#include "core/buf.h"
#include "modules/incidents/incidents.h"
#include "modules/protection/protection_pages.h"

#include <string.h>

static int case_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "police_protection";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* The case after a change, or for a page its address. */
static void send_case(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = protection_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no police protection case with id %lld",
                   (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/police-protection/%lld", (long long)id);
    http_json(res, status, o);
}

void protection_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "police_protection";
    int64_t id = protection_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        protection_page_refuse_new(req, res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location",
                arena_printf(req->arena, "/api/police-protection/%lld", (long long)id));
    send_case(req, res, id, 201);
}

void protection_h_list(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", NULL};
    req->audit_type = "police_protection";
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *status = req_query(req, "status");
    if (status && !*status)
        status = NULL;
    if (status && strcmp(status, "active") != 0 && strcmp(status, "released") != 0 &&
        strcmp(status, "all") != 0) {
        http_error(res, 422, "invalid_enum", "status",
                   "'status' must be one of: active, released, all");
        return;
    }
    json_t *o = protection_list(req->store, status, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

/* The case with the officers who may be designated, for its forms. */
void protection_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (case_id(req, res, &id) < 0)
        return;
    send_case(req, res, id, 200);
    if (res->status == 200 && res->json)
        json_object_set_new(res->json, "officers",
                            protection_designate_choices(req->store, res->json));
}

/* One handler per action: read {id}, run the domain function, answer with
 * the case. */
#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (case_id(req, res, &id) < 0)                                                            \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            protection_page_refuse(req, res, &err, id);                                            \
            return;                                                                                \
        }                                                                                          \
        send_case(req, res, id, 200);                                                              \
    }

ACTION(protection_h_designate, protection_designate)
ACTION(protection_h_place, protection_place)
ACTION(protection_h_notify, protection_notify)
ACTION(protection_h_inquiry, protection_inquiry)
ACTION(protection_h_epo, protection_epo)
ACTION(protection_h_release, protection_release)
ACTION(protection_h_note, protection_note)

void protection_h_referral(struct request *req, struct response *res)
{
    int64_t id;
    if (case_id(req, res, &id) < 0)
        return;
    struct domain_error err = {0};
    int64_t ref = protection_raise_referral(req->store, id, req->json, req->user, req->now, &err);
    if (ref < 0) {
        http_domain_error(res, &err);
        return;
    }
    http_header(res, "Location", arena_printf(req->arena, "/api/referrals/%lld", (long long)ref));
    res->redirect = arena_printf(req->arena, "/referrals/%lld", (long long)ref);
    json_t *o = protection_get(req->store, id, req->user, req->now);
    json_object_set_new(o, "referral_id", json_integer(ref));
    http_json(res, 201, o);
}

void protection_h_summary(struct request *req, struct response *res)
{
    int64_t id;
    if (case_id(req, res, &id) < 0)
        return;
    req->audit_action = "print";
    struct domain_error err = {0};
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    if (protection_summary_pdf(req->store, id, req->user, req->now, &b, &err) < 0) {
        buf_release(&b);
        http_domain_error(res, &err);
        return;
    }
    http_pdf(req, res, &b, false,
             arena_printf(req->arena, "police-protection-%lld.pdf", (long long)id));
    buf_release(&b);
}

void protection_h_person(struct request *req, struct response *res)
{
    int64_t pid;
    req->audit_type = "person";
    if (req_param_id(req, res, "id", &pid) < 0)
        return;
    req->audit_id = pid;
    struct domain_error err = {0};
    json_t *o = protection_for_person(req->store, pid, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

void protection_h_incident_decision(struct request *req, struct response *res)
{
    int64_t iid;
    req->audit_type = "incident";
    if (req_param_id(req, res, "id", &iid) < 0)
        return;
    req->audit_id = iid;
    struct domain_error err = {0};
    if (protection_incident_decide(req->store, iid, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    res->redirect = arena_printf(req->arena, "/incidents/%lld", (long long)iid);
    json_t *o = incident_get(req->store, iid, req->user, req->now);
    http_json(res, 200, o);
}
