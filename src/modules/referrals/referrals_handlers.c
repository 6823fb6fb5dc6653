/*
 * referrals_handlers.c — HTTP in and out for referrals, agencies and the
 * partner portal: path and query parsing, then the domain functions.
 * Bodies arrive validated against the route's field table; every route
 * names the referral (or agency) in its audit entry.
 *
 * Pages: the referral page gets "choices" (every concern category and
 * active agency, each with whether it is ticked) for its form. A refused
 * form post re-renders its form with only what needs no read of a record
 * (the choices as posted, the agencies, where to go back to), so a refusal
 * shows nothing of a child that was not audited; the API's errors stay
 * {"error": ...}.
 */
#include "modules/referrals/referrals_handlers.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/buf.h"
#include "modules/assurance/assurance.h"
#include "modules/referrals/referrals_export.h"

#include <stdlib.h>
#include <string.h>

static int id_param(struct request *req, struct response *res, const char *type, int64_t *id)
{
    req->audit_type = type;
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    return 0;
}

/* For the referral form: every category and active agency, ticked when in
 * cats (strings) or ids (objects whose id_key is an agency id). New
 * reference: {categories: [{value, checked, first}], agencies: [{id, name,
 * kind, on_portal, checked, first}]}. */
static json_t *form_choices(struct store *s, const json_t *cats, const json_t *ids,
                            const char *id_key)
{
    json_t *c = json_array(), *a = json_array();
    for (size_t i = 0; referral_categories[i]; i++) {
        bool on = false;
        size_t k;
        const json_t *v;
        json_array_foreach(cats, k, v) on =
            on || (json_is_string(v) && strcmp(json_string_value(v), referral_categories[i]) == 0);
        json_array_append_new(c, json_pack("{s:s, s:b, s:b}", "value", referral_categories[i],
                                           "checked", on, "first", i == 0));
    }
    json_t *list = agency_list(s, true);
    size_t i;
    const json_t *ag;
    json_array_foreach(json_object_get(list, "agencies"), i, ag)
    {
        json_int_t id = json_integer_value(json_object_get(ag, "id"));
        bool on = false;
        size_t k;
        const json_t *v;
        json_array_foreach(ids, k, v) on =
            on || json_integer_value(json_object_get(v, id_key)) == id;
        json_array_append_new(a, json_pack("{s:I, s:O, s:O, s:O, s:b, s:b}", "id", id, "name",
                                           json_object_get(ag, "name"), "kind",
                                           json_object_get(ag, "kind"), "on_portal",
                                           json_object_get(ag, "on_portal"), "checked", on, "first",
                                           i == 0));
    }
    json_decref(list);
    return json_pack("{s:o, s:o}", "categories", c, "agencies", a);
}

static void send_referral(struct request *req, struct response *res, int64_t id, int status)
{
    json_t *o = referral_get(req->store, id, req->user, req->now);
    if (!o) {
        http_error(res, 404, "not_found", NULL, "no referral with id %lld", (long long)id);
        return;
    }
    if (req->html && req->method == HTTP_GET) {
        json_object_set_new(o, "choices",
                            form_choices(req->store, json_object_get(o, "categories"),
                                         json_object_get(o, "recipients"), "agency_id"));
        /* Nobody reviews their own referral: the page says so. */
        json_object_set_new(o, "yours",
                            json_boolean(req->user && json_integer_value(json_object_get(
                                                          o, "officer_id")) == req->user->id));
    }
    res->redirect = arena_printf(req->arena, "/referrals/%lld", (long long)id);
    http_json(res, status, o);
}

/* Sends err; for a page, with page (taken) beside it so the form re-renders. */
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

/* ---- agencies ---- */

void agencies_h_list(struct request *req, struct response *res)
{
    json_t *o = agency_list(req->store, false);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void agencies_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "agency";
    int64_t id = agency_create(req->store, req->json, req->now, &err);
    if (id < 0) {
        refuse(req, res, &err, req->html ? agency_list(req->store, false) : NULL);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/agencies/%lld", (long long)id));
    res->redirect = "/agencies";
    http_json(res, 201, agency_list(req->store, false));
}

void agencies_h_update(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "agency", &id) < 0)
        return;
    struct domain_error err = {0};
    if (agency_update(req->store, id, req->json, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    res->redirect = "/agencies";
    http_json(res, 200, agency_list(req->store, false));
}

/* ---- referrals ---- */

void referrals_h_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "referral";
    int64_t id = referral_create(req->store, req->json, req->user, req->now, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/referrals/%lld", (long long)id));
    send_referral(req, res, id, 201);
}

static void raise_from(struct request *req, struct response *res, const char *type)
{
    int64_t source;
    if (req_param_id(req, res, "id", &source) < 0)
        return;
    struct domain_error err = {0};
    req->audit_type = "referral";
    int64_t id = referral_raise(req->store, type, source, req->json, req->user, req->now, &err);
    if (id < 0) {
        /* The page links back to the source: /{source}/{params.id}. */
        bool incident = strcmp(type, "incident") == 0;
        refuse(req, res, &err,
               req->html ? json_pack("{s:s, s:s}", "source", incident ? "incidents" : "missing",
                                     "back_text",
                                     incident ? "Back to the incident" : "Back to the episode")
                         : NULL);
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/referrals/%lld", (long long)id));
    send_referral(req, res, id, 201);
}

void referrals_h_from_incident(struct request *req, struct response *res)
{
    raise_from(req, res, "incident");
}

void referrals_h_from_missing(struct request *req, struct response *res)
{
    raise_from(req, res, "missing_episode");
}

void referrals_h_list(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"status", NULL};
    static const char *const statuses[] = {"draft", "submitted", "returned",
                                           "sent",  "cancelled", NULL};
    req->audit_type = "referral";
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
                   "'status' must be one of: draft, submitted, returned, sent, cancelled");
        return;
    }
    json_t *o = referral_list(req->store, status, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    json_object_set_new(o, "status", status ? json_string(status) : json_null());
    http_json(res, 200, o);
}

void referrals_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "referral", &id) < 0)
        return;
    send_referral(req, res, id, 200);
}

#define ACTION(name, fn)                                                                           \
    void name(struct request *req, struct response *res)                                           \
    {                                                                                              \
        int64_t id;                                                                                \
        if (id_param(req, res, "referral", &id) < 0)                                               \
            return;                                                                                \
        struct domain_error err = {0};                                                             \
        if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {                        \
            http_domain_error(res, &err);                                                          \
            return;                                                                                \
        }                                                                                          \
        send_referral(req, res, id, 200);                                                          \
    }

ACTION(referrals_h_submit, referral_submit)
ACTION(referrals_h_review, referral_review)
ACTION(referrals_h_cancel, referral_cancel)

void referrals_h_update(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "referral", &id) < 0)
        return;
    struct domain_error err = {0};
    if (referral_update(req->store, id, req->json, req->user, req->now, &err) < 0) {
        /* The form again, ticked as it was posted. */
        json_t *page = NULL;
        if (req->html)
            page = json_pack("{s:o, s:b}", "choices",
                             form_choices(req->store, json_object_get(req->json, "categories"),
                                          json_object_get(req->json, "agencies"), "id"),
                             "review_required", referrals_review_required());
        refuse(req, res, &err, page);
        return;
    }
    send_referral(req, res, id, 200);
}

/* ?from=YYYY-MM-DD&to=YYYY-MM-DD (default the last 90 days): by agency. */
void referrals_h_measures(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"from", "to", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    struct civil_date today = date_of_ts(ts_uk_local(req->now)), from, to = today;
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
    char a[TS_TEXT_LEN], b[TS_TEXT_LEN], fd[DATE_TEXT_LEN], td[DATE_TEXT_LEN];
    ts_format(ts_uk_midnight(&from), a);
    ts_format(ts_uk_midnight(&after), b);
    bool suppress = !req->user || !permset_has(&req->user->perms, PERM_REFERRALS_READ);
    json_t *o = referrals_by_agency(req->store, a, b, suppress);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    date_format(&from, fd);
    date_format(&to, td);
    json_object_set_new(o, "period", json_pack("{s:s, s:s}", "from", fd, "to", td));
    http_json(res, 200, o);
}

/* ---- the portal ---- */

void portal_h_list(struct request *req, struct response *res)
{
    req->audit_type = "referral";
    json_t *o = portal_list(req->store, req->user, req->now);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}

void portal_h_show(struct request *req, struct response *res)
{
    int64_t id;
    if (id_param(req, res, "referral", &id) < 0)
        return;
    struct domain_error err = {0};
    json_t *o = portal_open(req->store, id, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

static void portal_action(struct request *req, struct response *res,
                          int (*fn)(struct store *, int64_t, const json_t *, const struct user *,
                                    int64_t, struct domain_error *))
{
    int64_t id;
    if (id_param(req, res, "referral", &id) < 0)
        return;
    struct domain_error err = {0};
    if (fn(req->store, id, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    json_t *o = portal_open(req->store, id, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    res->redirect = arena_printf(req->arena, "/portal/referrals/%lld", (long long)id);
    http_json(res, 200, o);
}

void portal_h_acknowledge(struct request *req, struct response *res)
{
    portal_action(req, res, portal_acknowledge);
}

void portal_h_decide(struct request *req, struct response *res)
{
    portal_action(req, res, portal_decide);
}

/* ---- the signed export and the PDF (referrals_export.c) ---- */

void referrals_h_signing_key(struct request *req, struct response *res)
{
    /* Audited: the first call makes the key pair. */
    req->audit_type = "signing_key";
    req->audit_id = 1;
    struct domain_error err = {0};
    json_t *o = referral_signing_key(req->store, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

/* The referral's id and ?agency=ID (0 when not given); -1 with res set. */
static int export_params(struct request *req, struct response *res, int64_t *id, int64_t *agency)
{
    static const char *const allowed[] = {"agency", NULL};
    if (id_param(req, res, "referral", id) < 0 || req_query_allow(req, res, allowed) < 0)
        return -1;
    const char *a = req_query(req, "agency");
    *agency = 0;
    if (a && *a) {
        char *end;
        long long v = strtoll(a, &end, 10);
        if (*end || v < 1 || a[0] < '0' || a[0] > '9') {
            http_error(res, 422, "invalid_field", "agency",
                       "'agency' must be the id of an agency the referral was sent to");
            return -1;
        }
        *agency = (int64_t)v;
        req->audit_detail = arena_printf(req->arena, "{\"agency_id\":%lld}", v);
    }
    return 0;
}

void referrals_h_export(struct request *req, struct response *res)
{
    int64_t id, agency;
    if (export_params(req, res, &id, &agency) < 0)
        return;
    req->audit_action = "export";
    struct domain_error err = {0};
    json_t *o = referral_export(req->store, id, agency, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    const char *ref = jstr(json_object_get(o, "referral"), "reference");
    http_header(
        res, "Content-Disposition",
        arena_printf(req->arena, "attachment; filename=\"%s.json\"", ref ? ref : "referral"));
    http_json(res, 200, o);
}

void referrals_h_print(struct request *req, struct response *res)
{
    int64_t id, agency;
    if (export_params(req, res, &id, &agency) < 0)
        return;
    req->audit_action = "print";
    struct domain_error err = {0};
    struct buf b;
    buf_init(&b, 16 * 1024 * 1024);
    if (referral_print(req->store, id, agency, req->user, req->now, &b, &err) < 0) {
        buf_release(&b);
        http_domain_error(res, &err);
        return;
    }
    http_pdf(req, res, &b, false, arena_printf(req->arena, "referral-%lld.pdf", (long long)id));
    buf_release(&b);
}

void referrals_h_reply(struct request *req, struct response *res)
{
    int64_t id, agency;
    if (id_param(req, res, "referral", &id) < 0 || req_param_id(req, res, "agency_id", &agency) < 0)
        return;
    struct domain_error err = {0};
    if (referral_record_reply(req->store, id, agency, req->json, req->user, req->now, &err) < 0) {
        http_domain_error(res, &err);
        return;
    }
    send_referral(req, res, id, 200);
}
