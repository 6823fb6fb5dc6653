/*
 * assurance_import_handlers.c — HTTP in and out for imported inspections:
 * the import itself (API and form), the form's data and the list. The
 * domain work is in assurance_import.c.
 */
#include "modules/assurance/assurance_handlers.h"
#include "modules/assurance/assurance_import.h"

#include <assert.h>
#include <string.h>

static const char *const import_formats[] = {"csv", "json", NULL};

/* The document is sent as text inside a JSON body (or a form), so the whole
 * request must also fit the server's max_body_bytes (1 MiB by default). */
const struct field assurance_import_fields[] = {
    {.name = "format", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .values = import_formats},
    {.name = "content", .type = FIELD_STRING, .flags = FIELD_REQUIRED, .max_len = IMPORT_MAX_BYTES},
    {0}};

void assurance_import_inspection(struct request *req, struct response *res)
{
    req->audit_type = "inspection";
    /* Both are required and format is csv or json (assurance_import_fields). */
    const char *content = jstr(req->json, "content");
    enum import_format fmt = IMPORT_CSV;
    int known = assurance_import_format(jstr(req->json, "format"), &fmt);
    assert(content && known == 0);
    (void)known;
    struct import_doc doc;
    struct domain_error err = {0};
    int64_t id = assurance_import(req->store, req->arena, fmt, content, strlen(content), req->now,
                                  &doc, &err);
    if (id < 0) {
        http_domain_error(res, &err);
        if (doc.nerrors)
            json_object_set_new(res->json, "errors", assurance_import_errors_json(&doc));
        return;
    }
    req->audit_id = id;
    req->audit_detail = arena_printf(req->arena, "{\"format\":\"%s\",\"recommendations\":%d}",
                                     fmt == IMPORT_JSON ? "json" : "csv", doc.nrecs);
    json_t *o = assurance_inspection_json(req->store, id);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    res->redirect = "/assurance";
    http_json(res, 201, o);
}

/* What the import form starts with: CSV chosen, nothing pasted yet. */
void assurance_import_form(struct request *req, struct response *res)
{
    (void)req;
    http_json(res, 200,
              json_pack("{s:s, s:s, s:i, s:i}", "format", "csv", "content", "",
                        "max_recommendations", IMPORT_MAX_RECOMMENDATIONS, "max_bytes",
                        IMPORT_MAX_BYTES));
}

void assurance_list_inspections(struct request *req, struct response *res)
{
    req->audit_type = "inspection";
    json_t *o = assurance_inspection_list(req->store);
    if (!o) {
        http_store_error(res, -1, req->store);
        return;
    }
    http_json(res, 200, o);
}
