/*
 * chronology_handlers.c — HTTP in and out for the chronology: the person
 * id, the filters (?area=&from=&to=), the restricted-record rule, and what
 * the audit entry says. Every read names the person; an export records its
 * format, filters and what it included (areas, entries, the child's voice
 * entries), and the exporter is the audit entry's user.
 */
#include "modules/chronology/chronology_handlers.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/date.h"
#include "http/validate.h"

#include <stdlib.h>
#include <string.h>

#define PDF_MAX (16 * 1024 * 1024)

static const char *const no_query[] = {NULL};

/* Reads {id} for the audit entry; a person u may not see answers as a
 * missing one does, and the refusal is audited (as people_show does). */
static int visible_person(struct request *req, struct response *res, int64_t *id)
{
    req->audit_type = "person";
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_id = *id;
    if (!auth_person_visible(req->store, *id, req->user)) {
        req->audit_action = "denied_restricted";
        res->keep_writes = 1;
        http_error(res, 404, "not_found", NULL, "no person with id %lld", (long long)*id);
        return -1;
    }
    return 0;
}

/* The audit detail: small JSON text on the request's arena. */
static void detail(struct request *req, json_t *d)
{
    char *t = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    if (t) {
        req->audit_detail = arena_strdup(req->arena, t);
        free(t);
    }
    json_decref(d);
}

/* What an export included: the areas with entries, their count, the voice. */
static json_t *included(const json_t *c, const char *format)
{
    json_t *areas = json_array();
    size_t i;
    const json_t *e;
    json_array_foreach(json_object_get(c, "entries"), i, e)
    {
        bool seen = false;
        size_t k;
        const json_t *a;
        json_array_foreach(areas, k, a) seen |= strcmp(json_string_value(a), jstr(e, "area")) == 0;
        if (!seen)
            json_array_append_new(areas, json_string(jstr(e, "area")));
    }
    const json_t *f = json_object_get(c, "filters");
    return json_pack("{s:s, s:O, s:O, s:O, s:o, s:O, s:O}", "format", format, "area",
                     json_object_get(f, "area"), "from", json_object_get(f, "from"), "to",
                     json_object_get(f, "to"), "areas", areas, "entries",
                     json_object_get(c, "total"), "voice_entries",
                     json_object_get(c, "voice_entries"));
}

/* The chronology for {id} with the query's filters, or NULL (answered). */
static json_t *load(struct request *req, struct response *res, int64_t *id)
{
    static const char *const allowed[] = {"area", "from", "to", NULL};
    if (visible_person(req, res, id) < 0 || req_query_allow(req, res, allowed) < 0)
        return NULL;
    struct domain_error err = {0};
    struct chron_filter f;
    if (chronology_filter_parse(req_query(req, "area"), req_query(req, "from"),
                                req_query(req, "to"), &f, &err) < 0) {
        http_domain_error(res, &err);
        return NULL;
    }
    json_t *c = chronology_get(req->store, *id, &f, req->user, req->now, &err);
    if (!c)
        http_domain_error(res, &err);
    return c;
}

void chronology_h_show(struct request *req, struct response *res)
{
    int64_t id;
    json_t *c = load(req, res, &id);
    if (!c)
        return;
    json_t *d = included(c, "view");
    json_object_del(d, "format");
    json_object_set_new(d, "view", json_string("chronology"));
    detail(req, d);
    http_json(res, 200, c);
}

static void send_pdf(struct request *req, struct response *res, const json_t *c,
                     const char *filename)
{
    struct domain_error err = {0};
    struct buf b;
    buf_init(&b, PDF_MAX);
    if (chronology_pdf(c, req->user, req->now, &b, &err) < 0) {
        buf_release(&b);
        http_domain_error(res, &err);
        return;
    }
    http_pdf(req, res, &b, true, filename);
    buf_release(&b);
}

static void send_json_export(struct request *req, struct response *res, json_t *c,
                             const char *filename)
{
    char ts[TS_TEXT_LEN];
    ts_format(req->now, ts);
    json_object_set_new(c, "exported",
                        json_pack("{s:s, s:s, s:s}", "at", ts, "by", req->user->display_name,
                                  "username", req->user->username));
    http_header(res, "Content-Disposition",
                arena_printf(req->arena, "attachment; filename=\"%s\"", filename));
    http_json(res, 200, c);
}

void chronology_h_export_json(struct request *req, struct response *res)
{
    int64_t id;
    json_t *c = load(req, res, &id);
    if (!c)
        return;
    req->audit_action = "export";
    detail(req, included(c, "json"));
    send_json_export(req, res, c, arena_printf(req->arena, "chronology-%lld.json", (long long)id));
}

void chronology_h_export_pdf(struct request *req, struct response *res)
{
    int64_t id;
    json_t *c = load(req, res, &id);
    if (!c)
        return;
    req->audit_action = "export";
    detail(req, included(c, "pdf"));
    send_pdf(req, res, c, arena_printf(req->arena, "chronology-%lld.pdf", (long long)id));
    json_decref(c);
}

/* A partner's view: referral steps sent to the user's agency only. */
static json_t *portal_load(struct request *req, struct response *res, int64_t *id,
                           const char *format)
{
    req->audit_type = "person";
    if (req_param_id(req, res, "id", id) < 0 || req_query_allow(req, res, no_query) < 0)
        return NULL;
    req->audit_id = *id;
    struct domain_error err = {0};
    json_t *c = chronology_portal(req->store, *id, req->user, req->now, &err);
    if (!c) {
        http_domain_error(res, &err);
        return NULL;
    }
    req->audit_action = "export";
    json_t *d = included(c, format);
    json_object_set_new(d, "agency", json_string(req->user->agency));
    detail(req, d);
    return c;
}

void chronology_h_portal_json(struct request *req, struct response *res)
{
    int64_t id;
    json_t *c = portal_load(req, res, &id, "json");
    if (c)
        send_json_export(req, res, c,
                         arena_printf(req->arena, "chronology-%lld.json", (long long)id));
}

void chronology_h_portal_pdf(struct request *req, struct response *res)
{
    int64_t id;
    json_t *c = portal_load(req, res, &id, "pdf");
    if (!c)
        return;
    send_pdf(req, res, c, arena_printf(req->arena, "chronology-%lld.pdf", (long long)id));
    json_decref(c);
}

void chronology_h_board(struct request *req, struct response *res)
{
    req->audit_type = "children_at_risk";
    if (req_query_allow(req, res, no_query) < 0)
        return;
    struct domain_error err = {0};
    json_t *o = chronology_board(req->store, req->user, req->now, &err);
    if (!o) {
        http_domain_error(res, &err);
        return;
    }
    http_json(res, 200, o);
}

void chronology_h_board_version(struct request *req, struct response *res)
{
    if (req_query_allow(req, res, no_query) < 0)
        return;
    char v[512];
    if (chronology_board_version(req->store, req->user, v, sizeof(v)) < 0) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_header(res, "Cache-Control", "no-store");
    http_json(res, 200, json_pack("{s:s}", "change_token", v));
}
