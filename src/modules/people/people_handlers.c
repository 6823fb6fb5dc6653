/*
 * people_handlers.c — HTTP in and out for people: query and path parsing,
 * then the domain functions in people.c. Bodies arrive already validated
 * against the route's field table by the dispatcher.
 */
#include "modules/people/people_handlers.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "charts/chart.h"
#include "core/buf.h"
#include "core/date.h"
#include "modules/protection/protection.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_etag(struct request *req, struct response *res, const json_t *person)
{
    http_header(res, "ETag",
                arena_printf(req->arena, "\"%lld\"",
                             (long long)json_integer_value(json_object_get(person, "version"))));
}

void people_create(struct request *req, struct response *res)
{
    struct domain_error err = {0};
    req->audit_type = "person";
    int64_t id = person_create(req->store, req->json, req->now, req->user, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        domain_error_release(&err);
        return;
    }
    json_t *p = person_get(req->store, id, req->now);
    if (!p) {
        http_error(res, 500, "storage_error", NULL, "the new person could not be read back");
        return;
    }
    req->audit_id = id;
    http_header(res, "Location", arena_printf(req->arena, "/api/people/%lld", (long long)id));
    set_etag(req, res, p);
    http_json(res, 201, p);
}

/* Loads {id} for the audit entry and applies the restricted-record rule: a
 * person the user may not see answers exactly as a missing one does, and the
 * refusal is audited. */
static int visible_person(struct request *req, struct response *res, int64_t *id)
{
    if (req_param_id(req, res, "id", id) < 0)
        return -1;
    req->audit_type = "person";
    req->audit_id = *id;
    if (!auth_person_visible(req->store, *id, req->user)) {
        req->audit_action = "denied_restricted";
        res->keep_writes = 1;
        http_error(res, 404, "not_found", NULL, "no person with id %lld", (long long)*id);
        return -1;
    }
    return 0;
}

void people_show(struct request *req, struct response *res)
{
    int64_t id;
    if (visible_person(req, res, &id) < 0)
        return;
    json_t *p = person_get(req->store, id, req->now);
    if (!p) {
        http_error(res, 404, "not_found", NULL, "no person with id %lld", (long long)id);
        return;
    }
    set_etag(req, res, p);
    /* The child's police protection cases, active first, one click from
     * their record for those who may read them (protection.c); left out
     * for the many never in protection, so their record reads as it always
     * has. */
    if (req->user && permset_has(&req->user->perms, PERM_PROTECTION_READ)) {
        struct domain_error err = {0};
        json_t *pp = protection_for_person(req->store, id, req->user, req->now, &err);
        domain_error_release(&err);
        json_t *cases = pp ? json_object_get(pp, "cases") : NULL;
        if (json_array_size(cases) > 0)
            json_object_set(p, "police_protection", cases);
        json_decref(pp);
    }
    http_json(res, 200, p);
}

/* The version the client read: the body's "version", else If-Match: "N". */
static int client_version(struct request *req, struct response *res, int64_t *out)
{
    json_t *v = json_object_get(req->json, "version");
    if (v) {
        *out = json_integer_value(v);
        return 0;
    }
    const char *im = req_header(req, "If-Match");
    if (im) {
        char *end;
        const char *p = im[0] == '"' ? im + 1 : im;
        long long n = strtoll(p, &end, 10);
        if (end != p && n > 0 && (*end == '\0' || (*end == '"' && end[1] == '\0'))) {
            *out = n;
            return 0;
        }
        http_error(res, 422, "invalid_field", "If-Match",
                   "If-Match must be the ETag you read, like \"3\"");
        return -1;
    }
    http_error(res, 428, "missing_field", "version",
               "send the version you read ('version' in the body or If-Match) so that "
               "nobody's change is overwritten");
    return -1;
}

void people_update(struct request *req, struct response *res)
{
    int64_t id, version;
    if (visible_person(req, res, &id) < 0 || client_version(req, res, &version) < 0)
        return;
    struct domain_error err = {0};
    if (person_update(req->store, id, req->json, version, req->now, &err) < 0) {
        http_domain_error(res, &err);
        domain_error_release(&err);
        return;
    }
    json_t *p = person_get(req->store, id, req->now);
    if (!p) {
        http_error(res, 500, "storage_error", NULL, "the person could not be read back");
        return;
    }
    set_etag(req, res, p);
    http_json(res, 200, p);
}

void people_access_log(struct request *req, struct response *res)
{
    int64_t id;
    if (visible_person(req, res, &id) < 0)
        return;
    req->audit_action = "read_access_log";
    json_t *p = person_get(req->store, id, req->now);
    if (!p) {
        http_error(res, 404, "not_found", NULL, "no person with id %lld", (long long)id);
        return;
    }
    json_decref(p);
    http_json(res, 200,
              json_pack("{s:I, s:o}", "person_id", (json_int_t)id, "entries",
                        audit_for_record(req->store, "person", id, 500)));
}

/* The choices the person form offers: the same lists the validator accepts. */
void people_new(struct request *req, struct response *res)
{
    (void)req;
    json_t *flags = json_array();
    for (const char *const *f = person_flag_kinds; *f; f++)
        json_array_append_new(flags, json_string(*f));
    http_json(res, 200, json_pack("{s:o}", "flag_kinds", flags));
}

void people_edit(struct request *req, struct response *res)
{
    people_show(req, res);
}

void people_data_quality(struct request *req, struct response *res)
{
    http_json(res, 200, person_data_quality(req->store, req->now));
}

/* The age-band chart, drawn by the one chart module: SVG for the page, PDF
 * for a report pack. */
static void data_quality_chart(struct request *req, struct response *res, enum chart_format fmt)
{
    json_t *dq = person_data_quality(req->store, req->now);
    json_t *bands = json_object_get(dq, "age_bands");
    size_t n = json_array_size(bands);
    const char *labels[16];
    double values[16];
    for (size_t i = 0; i < n && i < 16; i++) {
        labels[i] = json_string_value(json_object_get(json_array_get(bands, i), "band"));
        values[i] = (double)json_integer_value(json_object_get(json_array_get(bands, i), "people"));
    }
    struct chart_series series = {"People", values, n};
    struct chart c = {.title = "People by age band",
                      .x_label = "Age band (years)",
                      .y_label = "People",
                      .categories = labels,
                      .ncategories = n,
                      .series = &series,
                      .nseries = 1};
    struct buf b;
    buf_init(&b, 1024 * 1024);
    char err[160];
    int rc = chart_bar(&c, fmt, &b, err, sizeof(err));
    json_decref(dq);
    if (rc < 0) {
        buf_release(&b);
        http_error(res, 500, "chart_failed", NULL, "the chart could not be drawn: %s", err);
        return;
    }
    res->status = 200;
    res->content_type = fmt == CHART_PDF ? "application/pdf" : "image/svg+xml";
    res->body = arena_strndup(req->arena, b.data, b.len);
    res->body_len = b.len;
    buf_release(&b);
    if (fmt == CHART_PDF)
        http_header(res, "Content-Disposition", "attachment; filename=\"data-quality.pdf\"");
}

void people_data_quality_chart(struct request *req, struct response *res)
{
    data_quality_chart(req, res, CHART_SVG);
}

void people_data_quality_pdf(struct request *req, struct response *res)
{
    data_quality_chart(req, res, CHART_PDF);
}

static int parse_int_param(struct request *req, struct response *res, const char *name, int dflt,
                           int lo, int hi, int *out)
{
    const char *v = req_query(req, name);
    if (!v) {
        *out = dflt;
        return 0;
    }
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        http_error(res, 422, "invalid_field", name, "'%s' must be a whole number from %d to %d",
                   name, lo, hi);
        return -1;
    }
    *out = (int)n;
    return 0;
}

void people_find(struct request *req, struct response *res)
{
    static const char *const allowed[] = {"q", "dob", "page", "per_page", NULL};
    if (req_query_allow(req, res, allowed) < 0)
        return;
    const char *q = req_query(req, "q");
    const char *dob = req_query(req, "dob");
    /* A search form sends empty fields it was not given. */
    if (dob && !*dob)
        dob = NULL;
    int page, per_page;
    if (parse_int_param(req, res, "page", 1, 1, 10000, &page) < 0 ||
        parse_int_param(req, res, "per_page", 20, 1, 100, &per_page) < 0)
        return;
    struct civil_date d;
    if (dob && date_parse(dob, &d) < 0) {
        http_error(res, 422, "invalid_date", "dob", "'dob' must be a real date written YYYY-MM-DD");
        return;
    }
    if (q && (strlen(q) > 200)) {
        http_error(res, 422, "invalid_field", "q", "'q' must be at most 200 characters");
        return;
    }
    if (q && q[strspn(q, " \t")] == '\0')
        q = NULL;
    if (!q && !dob && req->html && !req_query(req, "page")) {
        http_json(res, 200, json_object()); /* the empty search form */
        return;
    }
    if (!q && !dob) {
        http_error(res, 422, "missing_field", "q",
                   "give a name to search for ('q'), a date of birth ('dob'), or both");
        return;
    }
    struct domain_error err = {0};
    json_t *r = person_search(req->store, q, dob, page, per_page, req->now, req->user, &err);
    if (!r) {
        http_domain_error(res, &err);
        return;
    }
    /* The audit entry names what was asked and whom it showed. */
    json_t *ids = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r, "results"), i, it)
        json_array_append(ids, json_object_get(it, "id"));
    json_t *detail =
        json_pack("{s:s?, s:s?, s:i, s:o}", "q", q, "dob", dob, "page", page, "shown", ids);
    char *text = json_dumps(detail, JSON_COMPACT);
    req->audit_detail = arena_strdup(req->arena, text ? text : "{}");
    free(text);
    json_decref(detail);
    req->audit_action = "search";
    req->audit_type = "person";
    http_json(res, 200, r);
}
