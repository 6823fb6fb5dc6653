/* dispatch.c — route, authorise, validate, transact, handle (see dispatch.h). */
#include "http/dispatch.h"
#include "http/router.h"
#include "http/server.h"
#include "http/validate.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_write(enum http_method m)
{
    return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

void http_store_error(struct response *res, int rc, struct store *s)
{
    if (rc == STORE_FULL)
        http_error(res, 503, "storage_full", NULL,
                   "the database cannot accept writes: disk is full; nothing was saved");
    else if (rc == STORE_READONLY)
        http_error(res, 503, "storage_read_only", NULL,
                   "the database is read-only; nothing was saved");
    else if (rc == STORE_BUSY)
        http_error(res, 503, "storage_busy", NULL, "the database is busy; try again");
    else
        http_error(res, 500, "storage_error", NULL, "the database failed: %s",
                   s ? store_errmsg(s) : "no connection");
}

/* Parses and validates the JSON body against the route's fields. */
static int check_body(struct request *req, struct response *res, const struct field *fields)
{
    const char *ct = req_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        http_error(res, 415, "unsupported_media_type", NULL,
                   "the request body must be sent as Content-Type: application/json");
        return -1;
    }
    json_error_t jerr;
    req->json = json_loadb(req->body ? req->body : "", req->body_len,
                           JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!req->json) {
        http_error(res, 400, "malformed_json", NULL,
                   "the body is not valid JSON: %s at line %d column %d", jerr.text, jerr.line,
                   jerr.column);
        return -1;
    }
    arena_cleanup(req->arena, (void (*)(void *))json_decref, req->json);
    if (fields) {
        struct verror verr;
        if (validate_object(req->json, fields, &verr) < 0) {
            http_error(res, verr.status, verr.code, verr.field[0] ? verr.field : NULL, "%s",
                       verr.message);
            return -1;
        }
    }
    return 0;
}

void dispatch(const struct router *router, struct request *req, struct response *res)
{
    char allow[64];
    const struct route *route = NULL;
    switch (router_match(router, req, &route, allow, sizeof(allow))) {
    case ROUTER_NOT_FOUND:
        http_error(res, 404, "not_found", NULL, "nothing is at this address");
        return;
    case ROUTER_METHOD_NOT_ALLOWED:
        http_header(res, "Allow", arena_strdup(req->arena, allow));
        http_error(res, 405, "method_not_allowed", NULL, "this address accepts %s", allow);
        return;
    case ROUTER_FOUND:
        break;
    }
    req->route = route;

    if (route->flags & ROUTE_JSON_BODY) {
        if (check_body(req, res, route->body) < 0)
            return;
    } else if (req->body_len > 0) {
        http_error(res, 415, "unsupported_media_type", NULL, "this request takes no body");
        return;
    }

    if (route->flags & ROUTE_NO_DB) {
        route->handler(req, res);
        return;
    }

    char err[256];
    struct store *s = server_thread_store(err, sizeof(err));
    if (!s) {
        http_error(res, 503, "storage_unavailable", NULL, "%s", err);
        return;
    }
    req->store = s;
    int write = is_write(req->method);
    int rc = write ? store_begin_write(s) : store_begin_read(s);
    if (rc != STORE_OK) {
        http_store_error(res, rc, s);
        return;
    }
    route->handler(req, res);
    if (res->status >= 200 && res->status < 400) {
        rc = store_commit(s);
        if (rc != STORE_OK)
            http_store_error(res, rc, s);
    } else {
        store_rollback(s);
    }
}
