/*
 * case_audits_handlers.c — HTTP in and out for case audits: query and path
 * parsing, then the domain functions in case_audits.c. Bodies arrive
 * validated against the route's field table by the dispatcher.
 *
 * A refused form post re-renders its page with the page's own data (the
 * audit being graded, the form's choices) sent beside the error, for pages
 * only: the API's errors stay {"error": ...}. Re-showing an audit shows the
 * sampled record's summary, so that refusal is audited as a read too
 * ("grade_refused"); the domain function refused before writing anything.
 */
#include "modules/case_audits/case_audits_handlers.h"
#include "auth/auth.h"
#include "auth/roles.h"
#include "modules/case_audits/case_audits_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sends err; for a page, with the page's data (taken) so the form re-renders. */
static void refuse(struct request *req, struct response *res, struct domain_error *err,
                   json_t *page)
{
    int status = err->status;
    http_domain_error(res, err);
    if (req->html && page && res->json && status >= 400 && status < 500)
        json_object_set_new(res->json, "page", page);
    else
        json_decref(page);
}

/* ---- the list ---------------------------------------------------------------- */

void case_audits_index(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"view", "month", "area", "record_type", "sample", NULL};
    static const char *const views[] = {"mine", "pending", "completed", "all", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    struct case_audit_filter f = {.view = req_query(req, "view"),
                                  .month = req_query(req, "month"),
                                  .area = req_query(req, "area"),
                                  .record_type = req_query(req, "record_type")};
    if (!f.view || !*f.view)
        f.view = "mine";
    int known = 0;
    for (const char *const *v = views; *v && !known; v++)
        known = strcmp(*v, f.view) == 0;
    if (!known) {
        http_error(res, 422, "invalid_enum", "view",
                   "'view' must be one of: mine, pending, completed, all");
        return;
    }
    if (f.month && !*f.month)
        f.month = NULL;
    char from[TS_TEXT_LEN], to[TS_TEXT_LEN];
    if (f.month && case_audit_month_bounds(f.month, from, to, NULL) < 0) {
        http_error(res, 422, "invalid_field", "month", "'month' must be written YYYY-MM");
        return;
    }
    if (f.area && !*f.area)
        f.area = NULL;
    if (f.area && strlen(f.area) > 64) {
        http_error(res, 422, "too_long", "area", "'area' must be at most 64 characters");
        return;
    }
    if (f.record_type && !*f.record_type)
        f.record_type = NULL;
    if (f.record_type && !case_audit_record_type_find(f.record_type)) {
        http_error(res, 422, "invalid_enum", "record_type", "'record_type' is not one audited");
        return;
    }
    const char *sample = req_query(req, "sample");
    if (sample && *sample) {
        char *end;
        long long n = strtoll(sample, &end, 10);
        if (*end || n < 1 || sample[0] == '+' || sample[0] == ' ') {
            http_error(res, 422, "invalid_field", "sample", "'sample' must be a sample's id");
            return;
        }
        f.sample_id = n;
    }
    req->audit_type = "case_audit";
    req->audit_action = "search";
    json_t *o = case_audit_list(req->store, &f, req->user);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

/* ---- sampling ------------------------------------------------------------------ */

void case_audits_sample_new(struct request *req, struct response *res)
{
    http_json(res, 200, case_audit_sample_choices(req->store, req->user, req->now, NULL));
}

void case_audits_sample_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "case_audit_sample";
    int64_t id = case_audit_sample(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        refuse(req, res, &err,
               req->html ? case_audit_sample_choices(req->store, req->user, req->now, req->json)
                         : NULL);
        return;
    }
    req->audit_id = id;
    struct case_audit_filter f = {.view = "all", .sample_id = id};
    json_t *o = case_audit_list(req->store, &f, req->user);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_header(res, "Location",
                arena_printf(req->arena, "/api/case-audits?view=all&sample=%lld", (long long)id));
    res->redirect = arena_printf(req->arena, "/case-audits?view=all&sample=%lld", (long long)id);
    http_json(res, 201, o);
}

/* ---- criteria ------------------------------------------------------------------- */

/* Every criterion, and the same grouped under each record type for the
 * page; posted marks the record type a refused form chose. */
static json_t *criteria_page(struct request *req, const json_t *posted)
{
    json_t *all = case_audit_criteria(req->store, NULL);
    if (!all)
        return NULL;
    const char *chosen = posted ? jstr(posted, "record_type") : NULL;
    json_t *types = json_array();
    for (int i = 0; i < case_audit_record_type_count; i++) {
        const struct case_audit_record_type *rt = &case_audit_record_types[i];
        json_t *mine = json_array();
        size_t k;
        json_t *c;
        json_array_foreach(all, k, c)
        {
            if (strcmp(jstr(c, "record_type"), rt->name) == 0)
                json_array_append(mine, c);
        }
        json_array_append_new(types, json_pack("{s:s, s:s, s:o, s:b, s:b}", "name", rt->name,
                                               "title", rt->title, "criteria", mine, "selected",
                                               chosen ? strcmp(chosen, rt->name) == 0
                                                      : case_audit_record_type_count == 1,
                                               "first", i == 0));
    }
    return json_pack("{s:o, s:o, s:b}", "criteria", all, "record_types", types, "can_manage",
                     req->user && permset_has(&req->user->perms, PERM_CASE_AUDITS_MANAGE));
}

void case_audits_criteria_index(struct request *req, struct response *res)
{
    json_t *o = criteria_page(req, NULL);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void case_audits_criterion_new(struct request *req, struct response *res)
{
    case_audits_criteria_index(req, res);
}

void case_audits_criterion_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "case_audit_criterion";
    int64_t id = case_audit_criterion_add(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        refuse(req, res, &err, req->html ? criteria_page(req, req->json) : NULL);
        return;
    }
    req->audit_id = id;
    json_t *o = criteria_page(req, NULL);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_header(res, "Location", "/api/case-audits/criteria");
    res->redirect = "/case-audits/criteria";
    http_json(res, 201, o);
}

void case_audits_criterion_retire(struct request *req, struct response *res)
{
    int64_t id;
    req->audit_type = "case_audit_criterion";
    req->audit_action = "retire";
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_id = id;
    struct domain_error err = {0};
    if (case_audit_criterion_retire(req->store, id, req->user, req->now, &err) < 0) {
        refuse(req, res, &err, req->html ? criteria_page(req, req->json) : NULL);
        return;
    }
    json_t *o = criteria_page(req, NULL);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    res->redirect = "/case-audits/criteria";
    http_json(res, 200, o);
}

/* ---- one audit ------------------------------------------------------------------- */

/* Reads {id}, names the audit in the audit entry and loads it (404 when
 * there is none). The entry's detail names the sampled record, which every
 * answer of these routes shows. */
static json_t *load_audit(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "case_audit";
    if (req_param_id(req, res, "id", id) < 0)
        return NULL;
    req->audit_id = *id;
    json_t *o = case_audit_get(req->store, *id, req->user);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no case audit with id %lld", (long long)*id);
        return NULL;
    }
    req->audit_detail = arena_printf(
        req->arena, "{\"record_type\":\"%s\",\"record_id\":%lld}", jstr(o, "record_type"),
        (long long)json_integer_value(json_object_get(o, "record_id")));
    return o;
}

static void send_audit(struct request *req, struct response *res, json_t *o, int status)
{
    http_header(res, "ETag",
                arena_printf(req->arena, "\"%lld\"",
                             (long long)json_integer_value(json_object_get(o, "version"))));
    res->redirect = arena_printf(req->arena, "/case-audits/%lld",
                                 (long long)json_integer_value(json_object_get(o, "id")));
    http_json(res, status, o);
}

void case_audits_show(struct request *req, struct response *res)
{
    int64_t id;
    json_t *o = load_audit(req, res, &id);
    if (o)
        send_audit(req, res, o, 200);
}

/* The grading form as it was posted, over the audit as it is: each
 * criterion's grade and reason, the overall grade, and the message at the
 * field at fault, so the page shows them where they belong. */
static void overlay_posted(json_t *audit, const json_t *body, const struct domain_error *err)
{
    const json_t *grades = json_object_get(body, "grades");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(audit, "criteria"), i, c)
    {
        const json_t *g = json_object_get(grades, jstr(c, "key"));
        json_object_set_new(c, "grade",
                            jstr(g, "grade") ? json_string(jstr(g, "grade")) : json_null());
        json_object_set_new(c, "reason",
                            jstr(g, "reason") ? json_string(jstr(g, "reason")) : json_null());
        char f_grade[80], f_reason[80];
        snprintf(f_grade, sizeof(f_grade), "grades.%s.grade", jstr(c, "key"));
        snprintf(f_reason, sizeof(f_reason), "grades.%s.reason", jstr(c, "key"));
        json_object_set_new(c, "error_grade",
                            strcmp(err->field, f_grade) == 0 ? json_string(err->message)
                                                             : json_null());
        json_object_set_new(c, "error_reason",
                            strcmp(err->field, f_reason) == 0 ? json_string(err->message)
                                                              : json_null());
    }
    json_t *overall = json_object_get(audit, "overall");
    static const char *const keys[][2] = {
        {"grade", "overall_grade"}, {"reason", "overall_reason"}, {"learning", "learning"}};
    for (size_t k = 0; k < 3; k++) {
        const char *v = jstr(body, keys[k][1]);
        json_object_set_new(overall, keys[k][0], v ? json_string(v) : json_null());
    }
    /* A stale post keeps the version it was made at, so posting it again is
     * refused again until the auditor reloads and sees the other grading. */
    if (err->status == 409)
        json_object_set(audit, "version", json_object_get(body, "version"));
}

void case_audits_grade(struct request *req, struct response *res)
{
    int64_t id;
    req->audit_type = "case_audit";
    req->audit_action = "grade";
    if (req_param_id(req, res, "id", &id) < 0)
        return;
    req->audit_id = id;
    struct domain_error err = {0};
    if (case_audit_grade(req->store, id, req->json, req->user, req->now, &err) < 0) {
        json_t *page = NULL;
        if (req->html && err.status >= 400 && err.status < 500 && err.status != 404) {
            int status = err.status;
            page = load_audit(req, res, &id);
            if (page) {
                overlay_posted(page, req->json, &err);
                /* The refusal re-shows the record: recorded as a read. */
                req->audit_action = "grade_refused";
                res->keep_writes = 1;
            }
            err.status = status;
        }
        refuse(req, res, &err, page);
        return;
    }
    json_t *o = load_audit(req, res, &id);
    if (o)
        send_audit(req, res, o, 200);
}
