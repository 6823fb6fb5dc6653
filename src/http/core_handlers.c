/* core_handlers.c — /healthz, /readyz, /metrics, /api/openapi.json. */
#include "http/core_handlers.h"
#include "http/metrics.h"
#include "http/router.h"
#include "rules/rules.h"
#include "store/migrations.h"
#include "store/store.h"

#include <string.h>

void core_healthz(struct request *req, struct response *res)
{
    (void)req;
    http_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

void core_readyz(struct request *req, struct response *res)
{
    int version = store_schema_version(req->store);
    int want = migrations_count ? migrations[migrations_count - 1].version : 0;
    if (version != want) {
        http_error(res, 503, "not_ready", NULL, "database schema is at %d, this build needs %d",
                   version, want);
        return;
    }
    http_json(res, 200, json_pack("{s:s, s:i}", "status", "ready", "schema_version", version));
}

void core_metrics(struct request *req, struct response *res)
{
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    metrics_render(&b);
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4";
    res->body = arena_strndup(req->arena, b.data ? b.data : "", b.len);
    res->body_len = b.len;
    buf_release(&b);
}

static json_t *schema_of(const struct field *f);

static json_t *object_schema(const struct field *fields)
{
    json_t *props = json_object(), *required = json_array();
    for (const struct field *f = fields; f && f->name; f++) {
        json_object_set_new(props, f->name, schema_of(f));
        if (f->flags & FIELD_REQUIRED)
            json_array_append_new(required, json_string(f->name));
    }
    json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                          "additionalProperties", 0);
    if (json_array_size(required))
        json_object_set_new(o, "required", required);
    else
        json_decref(required);
    return o;
}

static json_t *schema_of(const struct field *f)
{
    json_t *s = NULL;
    switch (f->type) {
    case FIELD_STRING:
        s = json_pack("{s:s}", "type", "string");
        if (f->max_len)
            json_object_set_new(s, "maxLength", json_integer((json_int_t)f->max_len));
        break;
    case FIELD_INT:
        s = json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)f->min,
                      "maximum", (json_int_t)f->max);
        break;
    case FIELD_BOOL:
        s = json_pack("{s:s}", "type", "boolean");
        break;
    case FIELD_DATE:
        s = json_pack("{s:s, s:s}", "type", "string", "format", "date");
        break;
    case FIELD_TIMESTAMP:
        s = json_pack("{s:s, s:s}", "type", "string", "format", "date-time");
        break;
    case FIELD_ENUM: {
        json_t *e = json_array();
        for (const char *const *v = f->values; *v; v++)
            json_array_append_new(e, json_string(*v));
        s = json_pack("{s:s, s:o}", "type", "string", "enum", e);
        break;
    }
    case FIELD_OBJECT:
        s = object_schema(f->children);
        break;
    case FIELD_MAP:
        s = json_pack("{s:s, s:o, s:s}", "type", "object", "additionalProperties",
                      object_schema(f->children), "x-key-pattern", "^[a-z][a-z0-9_]*$");
        if (f->max_len)
            json_object_set_new(s, "maxProperties", json_integer((json_int_t)f->max_len));
        break;
    case FIELD_STRINGS:
        s = json_pack("{s:s, s:{s:s, s:I}, s:I}", "type", "array", "items", "type", "string",
                      "maxLength", (json_int_t)f->max, "maxItems", (json_int_t)f->max_len);
        break;
    case FIELD_ARRAY: {
        json_t *items;
        if (f->values) {
            struct field ef = {.type = FIELD_ENUM, .values = f->values};
            items = schema_of(&ef);
        } else {
            items = object_schema(f->children);
        }
        s = json_pack("{s:s, s:o}", "type", "array", "items", items);
        if (f->max_len)
            json_object_set_new(s, "maxItems", json_integer((json_int_t)f->max_len));
        break;
    }
    }
    if (f->flags & FIELD_NULLABLE)
        json_object_set_new(s, "nullable", json_true());
    return s;
}

json_t *openapi_document(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *r = &app_routes[i];
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        char method[8];
        const char *m = http_method_name(r->method);
        size_t k = 0;
        for (; m[k] && k < sizeof(method) - 1; k++)
            method[k] = (char)(m[k] | 0x20);
        method[k] = '\0';
        json_t *params = json_array();
        for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
            const char *end = strchr(p, '}');
            json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
                                                    (size_t)(end - p - 1), "in", "path", "required",
                                                    1, "schema", "type", "string"));
        }
        json_t *op =
            json_pack("{s:s, s:s, s:o, s:s, s:{s:{s:s}, s:{s:s}}}", "operationId", r->handler_name,
                      "summary", r->summary, "parameters", params, "x-permission",
                      permission_name(r->permission), "responses", "200", "description", "success",
                      "default", "description", "error: {\"error\":{status,code,field,message}}");
        if (r->flags & ROUTE_JSON_BODY)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                                          "application/json", "schema", object_schema(r->body)));
        json_object_set_new(item, method, op);
    }
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o}", "openapi", "3.0.3", "info", "title",
                     "Safeguard API", "version", SAFEGUARD_VERSION, "description",
                     "Child-protection case management. Every route names the permission it needs "
                     "(x-permission); errors are {\"error\":{status,code,field,message}}.",
                     "paths", paths);
}

void core_my_work(struct request *req, struct response *res)
{
    http_json(res, 200, rules_my_work(req->store, req->user, req->now));
}

void core_openapi(struct request *req, struct response *res)
{
    (void)req;
    http_header(res, "Cache-Control", "no-cache");
    http_json(res, 200, openapi_document());
}
