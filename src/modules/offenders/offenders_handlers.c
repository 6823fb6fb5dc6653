/*
 * offenders_handlers.c — HTTP in and out for offender management: path and
 * query parsing, then the domain functions in offenders.c and
 * offenders_manage.c. Bodies arrive validated against the route's field
 * table; every route names the offender (or the child, or the briefing's
 * area) in its audit entry. The briefing is the one route with a rule
 * beyond its permission: an officer sees only their own area's (offender
 * managers every area's), and a refusal is audited too. Registering an
 * offender, and each conviction added, sets the person's
 * registered_sex_offender flag and moves the person's version: that is a
 * change to the person's record, so the person's own trail gets an update
 * entry too (person_flag_audit()).
 */
#include "modules/offenders/offenders_handlers.h"
#include "auth/auth.h"
#include "http/dispatch.h"
#include "store/store.h"

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

/* The person's own audit entry for the flag the offender record keeps on
 * them: who changed it, when, and through which offender record. -1 with
 * the error set when it cannot be written (the change then rolls back). */
static int person_flag_audit(struct request *req, struct response *res, int64_t offender_id,
                             int64_t person_id)
{
    const char *detail =
        arena_printf(req->arena, "{\"flag\":\"registered_sex_offender\",\"offender_id\":%lld}",
                     (long long)offender_id);
    int rc = dispatch_audit_also(req, "update", "person", person_id, detail);
    if (rc != STORE_OK) {
        http_store_error(res, rc, req->store);
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
    if (person_flag_audit(req, res, id,
                          json_integer_value(json_object_get(req->json, "person_id"))) < 0)
        return;
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
ACTION(of_h_order, offender_add_order)
ACTION(of_h_notify, offender_notify)
ACTION(of_h_risk, offender_assess_risk)
ACTION(of_h_plan, offender_review_plan)
ACTION(of_h_visit, offender_add_visit)
ACTION(of_h_management, offender_decide_management)
ACTION(of_h_intel, offender_add_intelligence)
ACTION(of_h_concern, offender_raise_concern)

/* A conviction moves the person's flag to the end of the new period. */
void of_h_conviction(struct request *req, struct response *res)
{
    int64_t id;
    if (offender_id(req, res, &id) < 0)
        return;
    struct domain_error err = {0};
    if (offender_add_conviction(req->store, id, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    json_t *o = offender_get(req->store, id, req->user, req->now);
    int64_t person = o ? json_integer_value(json_object_get(o, "person_id")) : 0;
    json_decref(o);
    if (person && person_flag_audit(req, res, id, person) < 0)
        return;
    send_offender(req, res, id, 200);
}

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

/* Every area's briefing for those who read offender records; an officer who
 * holds only offenders.briefing sees their own area's line (so the menu
 * leads them to it). Each line says whether this user may open it. Counts
 * only: no person is named here. */
void of_h_briefings(struct request *req, struct response *res)
{
    req->audit_type = "offender_briefing";
    const struct user *u = req->user;
    bool all = permset_has(&u->perms, PERM_OFFENDERS_READ);
    bool every_area = permset_has(&u->perms, PERM_OFFENDERS_MANAGE);
    json_t *o = offender_briefings(req->store, req->now);
    json_t *in = json_object_get(o, "briefings");
    json_t *out = json_array();
    bool have_own = false;
    size_t i;
    json_t *b;
    json_array_foreach(in, i, b)
    {
        bool own =
            u->area[0] && strcmp(json_string_value(json_object_get(b, "area")), u->area) == 0;
        have_own |= own;
        if (!all && !own)
            continue;
        json_object_set_new(b, "yours", json_boolean(own));
        json_object_set_new(b, "can_open", json_boolean(own || every_area));
        json_array_append(out, b);
    }
    if (!have_own && u->area[0] && offender_area_known(req->store, u->area))
        json_array_append_new(out, json_pack("{s:s, s:n, s:i, s:i, s:b, s:b, s:b}", "area", u->area,
                                             "refreshed_at", "version", 0, "concerns", 0, "current",
                                             1, "yours", 1, "can_open", 1));
    json_object_set_new(o, "briefings", out);
    json_object_set_new(o, "your_area", u->area[0] ? json_string(u->area) : json_null());
    http_json(res, 200, o);
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
    res->redirect = arena_printf(req->arena, "/people/%lld/offender-links", (long long)pid);
    http_json(res, 200, o);
}
