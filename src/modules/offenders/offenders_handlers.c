/*
 * offenders_handlers.c — HTTP in and out for offender management: path and
 * query parsing, then the domain functions in offenders.c and
 * offenders_manage.c. Bodies arrive validated against the route's field
 * table; every route names the offender (or the child, or the briefing's
 * area) in its audit entry. The briefing is the one route with a rule
 * beyond its permission: an officer sees only their own area's (offender
 * managers every area's), and a refusal is audited too.
 */
#include "modules/offenders/offenders_handlers.h"
#include "auth/auth.h"

#include <stdlib.h>
#include <string.h>

static int offender_id(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "offender";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* The record after a change (or its read), or for a page its address. */
static void send_offender(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = offender_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no offender with id %lld", (long long)id);
        return;
    }
    res->redirect = arena_printf(req->arena, "/offenders/%lld", (long long)id);
    http_json(res, status, o);
}

/* An optional ?area= (the only query these lists take). */
static int area_query(struct request *req, struct response *res, const char **area)
{
    static const char *const allowed[] = {"area", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return -1;
    *area = req_query(req, "area");
    if (*area && !**area)
        *area = NULL;
    if (*area && strlen(*area) > 64) {
        http_error(res, 422, "invalid_field", "area", "'area' must be at most 64 characters");
        return -1;
    }
    return 0;
}

void of_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "offender";
    int64_t id = offender_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/offenders/%lld", (long long)id));
    send_offender(req, res, id, 201);
}

void of_h_list(struct request *req, struct response *res)
{
    const char *area;
    req->audit_type = "offender";
    if (area_query(req, res, &area) < 0)
        return;
    json_t *o = offender_list(req->store, area, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void of_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (offender_id(req, res, &id) < 0)
        return;
    send_offender(req, res, id, 200);
}

/* One handler per action on an offender: read {id}, run the domain
 * function, answer with the record. */
#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (offender_id(req, res, &id) < 0)                                                        \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_offender(req, res, id, 200);                                                          \
    }

ACTION(of_h_details, offender_update_details)
ACTION(of_h_conviction, offender_add_conviction)
ACTION(of_h_order, offender_add_order)
ACTION(of_h_notify, offender_notify)
ACTION(of_h_risk, offender_assess_risk)
ACTION(of_h_plan, offender_review_plan)
ACTION(of_h_visit, offender_add_visit)
ACTION(of_h_management, offender_decide_management)
ACTION(of_h_intel, offender_add_intelligence)
ACTION(of_h_concern, offender_raise_concern)

/* The same for actions on a part of the record, {id}/.../{sub}. */
#define SUB_ACTION(name, fn, param)                                                                \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id, sub;                                                                           \
        if (offender_id(req, res, &id) < 0 || req_param_id(req, res, param, &sub) < 0)             \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, sub, req->json, req->user, req->now, &err) < 0) {                   \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_offender(req, res, id, 200);                                                          \
    }

SUB_ACTION(of_h_visit_outcome, offender_visit_outcome, "visit_id")
SUB_ACTION(of_h_intel_review, offender_review_intelligence, "intel_id")
SUB_ACTION(of_h_concern_review, offender_review_concern, "concern_id")
SUB_ACTION(of_h_concern_end, offender_end_concern, "concern_id")

void of_h_quality(struct request *req, struct response *res)
{
    int64_t id;
    if (offender_id(req, res, &id) < 0)
        return;
    json_t *o = offender_quality(req->store, id, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no offender with id %lld", (long long)id);
        return;
    }
    http_json(res, 200, o);
}

void of_h_quality_list(struct request *req, struct response *res)
{
    const char *area;
    req->audit_type = "offender";
    if (area_query(req, res, &area) < 0)
        return;
    json_t *o = offender_quality_list(req->store, area, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void of_h_briefings(struct request *req, struct response *res)
{
    req->audit_type = "offender_briefing";
    http_json(res, 200, offender_briefings(req->store, req->now));
}

void of_h_briefing(struct request *req, struct response *res)
{
    const char *area = req_param(req, "area");
    req->audit_type = "offender_briefing";
    if (!area || !*area || strlen(area) > 64 || !offender_area_known(req->store, area)) {
        http_error(res, 404, "not_found", NULL, "no policing area '%s'",
                   area && strlen(area) <= 64 ? area : "?");
        return;
    }
    json_t *a = json_string(area);
    char *quoted = json_dumps(a, JSON_ENCODE_ANY);
    json_decref(a);
    /* Officers of the area, and offender managers (every area). */
    const struct user *u = req->user;
    if (strcmp(u->area, area) != 0 && !permset_has(&u->perms, PERM_OFFENDERS_MANAGE)) {
        req->audit_detail = arena_printf(req->arena, "{\"area\":%s}", quoted);
        free(quoted);
        req->audit_action = "denied_area";
        res->keep_writes = 1;
        http_error(res, 403, "not_your_area", NULL,
                   "the briefing for '%s' is only for officers of that area and offender "
                   "managers",
                   area);
        return;
    }
    char *ids = NULL;
    json_t *o = offender_briefing(req->store, area, req->now, &ids);
    req->audit_detail =
        arena_printf(req->arena, "{\"area\":%s,\"offenders\":%s}", quoted, ids ? ids : "[]");
    free(quoted);
    free(ids);
    res->redirect = arena_printf(req->arena, "/offender-briefings/%s", area);
    http_json(res, 200, o);
}

void of_h_child_links(struct request *req, struct response *res)
{
    int64_t pid;
    req->audit_type = "person";
    if (req_param_id(req, res, "id", &pid) < 0)
        return;
    req->audit_id = pid;
    struct domain_error err = {0};
    json_t *o = offender_links_for_child(req->store, pid, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

void of_h_child_action(struct request *req, struct response *res)
{
    int64_t pid, link;
    req->audit_type = "person";
    if (req_param_id(req, res, "id", &pid) < 0 || req_param_id(req, res, "link_id", &link) < 0)
        return;
    req->audit_id = pid;
    struct domain_error err = {0};
    if (offender_child_action(req->store, pid, link, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    json_t *o = offender_links_for_child(req->store, pid, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}
