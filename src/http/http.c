/* http.c — request accessors and response helpers shared by handlers (see http.h). */
#include "http/http.h"
#include "core/arena.h"
#include "core/buf.h"

#include <netinet/in.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void http_json(struct response *res, int status, json_t *body)
{
    if (res->json)
        json_decref(res->json);
    res->status = status;
    res->json = body;
}

void http_error(struct response *res, int status, const char *code, const char *field,
                const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_t *err = json_pack("{s:i, s:s, s:s?, s:s}", "status", status, "code", code, "field", field,
                            "message", msg);
    http_json(res, status, json_pack("{s:o}", "error", err));
}

void http_header(struct response *res, const char *name, const char *value)
{
    if (res->nheaders < RESPONSE_MAX_HEADERS) {
        res->header_names[res->nheaders] = name;
        res->header_values[res->nheaders] = value;
        res->nheaders++;
    }
}

void http_pdf(struct request *req, struct response *res, const struct buf *b, bool attachment,
              const char *filename)
{
    res->status = 200;
    res->content_type = "application/pdf";
    res->body = arena_strndup(req->arena, b->data, b->len);
    res->body_len = b->len;
    http_header(res, "Content-Disposition",
                arena_printf(req->arena, "%s; filename=\"%s\"",
                             attachment ? "attachment" : "inline", filename));
}

const char *req_param(const struct request *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->param_names[i], name) == 0)
            return req->param_values[i];
    return NULL;
}

int req_param_id(const struct request *req, struct response *res, const char *name, int64_t *out)
{
    const char *v = req_param(req, name);
    int64_t id = 0;
    if (!v || !*v || strlen(v) > 18)
        goto bad;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        id = id * 10 + (*p - '0');
    }
    if (id <= 0)
        goto bad;
    *out = id;
    return 0;
bad:
    http_error(res, 404, "not_found", NULL, "no record with %s '%.40s'", name, v ? v : "");
    return -1;
}

const char *req_query(const struct request *req, const char *name)
{
    if (!req->conn)
        return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct allow_ctx {
    const char *const *allowed;
    const char *bad;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    (void)value;
    struct allow_ctx *c = cls;
    for (const char *const *a = c->allowed; *a; a++)
        if (strcmp(*a, key) == 0)
            return MHD_YES;
    c->bad = key;
    return MHD_NO;
}

int req_query_allow(const struct request *req, struct response *res, const char *const *allowed)
{
    if (!req->conn)
        return 0;
    struct allow_ctx c = {allowed, NULL};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_arg, &c);
    if (c.bad) {
        http_error(res, 422, "unknown_query_parameter", c.bad,
                   "query parameter '%.60s' is not accepted here", c.bad);
        return -1;
    }
    return 0;
}

const char *req_header(const struct request *req, const char *name)
{
    if (!req->conn)
        return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

enum http_method http_method_from_name(const char *name)
{
    static const char *names[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
    for (int i = 0; i < 6; i++)
        if (strcmp(name, names[i]) == 0)
            return (enum http_method)i;
    return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
    static const char *names[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OTHER"};
    return names[m];
}
