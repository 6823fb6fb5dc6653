/* dispatch.c — route, authenticate, authorise, validate, transact, audit (see dispatch.h). */
#include "http/dispatch.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "http/page.h"
#include "http/router.h"
#include "http/server.h"
#include "http/validate.h"
#include "store/store.h"

#include <assert.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <sodium.h>
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

/* An audited read whose audit entry cannot be written is refused: nobody
 * reads personal data without a trace. */
static void unrecordable_read(struct response *res, int rc, struct store *s)
{
    if (res->json) {
        json_decref(res->json);
        res->json = NULL;
    }
    const char *why = rc == STORE_FULL       ? "the disk is full"
                      : rc == STORE_READONLY ? "the database is read-only"
                      : rc == STORE_BUSY     ? "the database is busy"
                                             : store_errmsg(s);
    http_error(res, rc == STORE_FULL || rc == STORE_READONLY || rc == STORE_BUSY ? 503 : 500,
               rc == STORE_FULL       ? "storage_full"
               : rc == STORE_READONLY ? "storage_read_only"
               : rc == STORE_BUSY     ? "storage_busy"
                                      : "storage_error",
               NULL, "this read cannot be recorded in the audit trail (%s), so it is not shown",
               why);
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

static const char *route_label(struct request *req)
{
    return arena_printf(req->arena, "%s %s", http_method_name(req->route->method),
                        req->route->pattern);
}

/* Appends an audit entry for this request naming a record; inside the
 * caller's transaction. */
static int audit_entry_for(struct request *req, const char *action, const char *record_type,
                           int64_t record_id, const char *detail)
{
    const struct user *u = req->user;
    struct audit_entry e = {.at = req->now,
                            .user_id = u ? u->id : 0,
                            .username = u ? u->username : NULL,
                            .roles = u ? u->roles : NULL,
                            .action = action,
                            .record_type = record_type,
                            .record_id = record_id,
                            .route = route_label(req),
                            .remote_addr = req->remote_addr,
                            .request_id = req->request_id,
                            .detail = detail};
    return audit_append(req->store, &e);
}

/* The audit entry describing this request. */
static int audit_request(struct request *req, const char *action)
{
    return audit_entry_for(req, action, req->audit_type, req->audit_id, req->audit_detail);
}

int dispatch_audit_also(struct request *req, const char *action, const char *record_type,
                        int64_t record_id, const char *detail)
{
    assert(req->store && req->route);
    return audit_entry_for(req, action, record_type, record_id, detail);
}

/* Records a refusal in the audit trail, in its own transaction, and answers. */
static void deny(struct request *req, struct response *res, const char *code, const char *why)
{
    req->audit_detail = arena_printf(req->arena, "{\"permission\":\"%s\",\"code\":\"%s\"}",
                                     permission_name(req->route->permission), code);
    if (store_begin_write(req->store) == STORE_OK) {
        if (audit_request(req, "denied") == STORE_OK)
            store_commit(req->store);
        else
            store_rollback(req->store);
    }
    http_error(res, 403, code, NULL, "%s", why);
}

/* Who is asking: an API token (Authorization: Bearer) or a session cookie. */
static int authenticate(struct request *req, struct response *res)
{
    const char *authz = req_header(req, "Authorization");
    const char *cookie =
        req->conn ? MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "sg_session") : NULL;
    if (cookie && !*cookie)
        cookie = NULL;
    if (!authz && !cookie)
        return 0;
    struct user *u = arena_alloc(req->arena, sizeof(*u));
    enum auth_result r;
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0) {
            http_error(res, 401, "unauthenticated", "Authorization",
                       "the Authorization header must be 'Bearer <token>'");
            return -1;
        }
        r = auth_api_token(req->store, authz + 7, req->now, u);
    } else {
        r = auth_session(req->store, cookie, req->now, &the_app->cfg, u);
    }
    if (r == AUTH_ERROR) {
        http_error(res, 503, "storage_unavailable", NULL,
                   "the database could not check who you are");
        return -1;
    }
    if (r == AUTH_OK)
        req->user = u;
    else if (req->route->permission != PERM_PUBLIC) {
        if (cookie && !authz)
            http_header(res, "Set-Cookie",
                        "sg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        http_error(res, 401, authz ? "invalid_token" : "session_expired", NULL,
                   authz ? "the API token is not valid or has been revoked"
                         : "your session has ended: sign in again");
        return -1;
    }
    return 0;
}

/* Cookie-authenticated changes must carry the session's CSRF token, in the
 * X-CSRF-Token header (API) or the csrf_token form field (pages). API tokens
 * are not sent by browsers automatically, so they need none. */
static int check_csrf(struct request *req, struct response *res)
{
    if (!req->user || !req->user->session_id || !is_write(req->method))
        return 0;
    if (req->route->permission == PERM_PUBLIC)
        return 0;
    const char *sent = req_header(req, "X-CSRF-Token");
    if (!sent)
        sent = req->form_csrf;
    if (sent && strlen(sent) == TOKEN_HEX_LEN &&
        sodium_memcmp(sent, req->user->csrf, TOKEN_HEX_LEN) == 0)
        return 0;
    deny(
        req, res, "csrf_failed",
        "this change did not carry your session's CSRF token (X-CSRF-Token): reload and try again");
    return -1;
}

/* The handler in one transaction: a write's, or (when its handler writes
 * as it reads) an audited read's, with the audit entry inside it so the
 * change and its trace commit together or not at all. */
static void run_in_transaction(struct request *req, struct response *res, int audited)
{
    struct store *s = req->store;
    int rc = is_write(req->method) || audited ? store_begin_write(s) : store_begin_read(s);
    if (rc != STORE_OK) {
        if (is_write(req->method))
            http_store_error(res, rc, s);
        else
            unrecordable_read(res, rc, s);
        return;
    }
    req->route->handler(req, res);
    if (res->status >= 200 && res->status < 400) {
        static const char *const verbs[] = {"read",   "create", "update", "update",
                                            "delete", "read",   "read"};
        if (audited) {
            rc = audit_request(req, req->audit_action ? req->audit_action : verbs[req->method]);
            if (rc != STORE_OK) {
                store_rollback(s);
                if (is_write(req->method))
                    http_store_error(res, rc, s);
                else
                    unrecordable_read(res, rc, s);
                return;
            }
        }
        rc = store_commit(s);
        if (rc != STORE_OK)
            http_store_error(res, rc, s);
    } else if (res->keep_writes) {
        /* An audited refusal (e.g. a restricted record) is still recorded. */
        if (audited && req->audit_action && audit_request(req, req->audit_action) != STORE_OK) {
            store_rollback(s);
            return;
        }
        store_commit(s);
    } else {
        store_rollback(s);
    }
}

/* An audited read: the handler reads in a snapshot, without the write lock,
 * so reads run side by side; then the audit entry is written in a short
 * transaction of its own, and only once it has committed is the answer
 * given, so no read of personal data is answered without its trace. A
 * handler that writes as it reads (a partner's first opening is recorded,
 * an export is kept in the history) is run again as a write. */
static void read_then_audit(struct request *req, struct response *res)
{
    struct store *s = req->store;
    int rc = store_begin_snapshot(s);
    if (rc != STORE_OK) {
        unrecordable_read(res, rc, s);
        return;
    }
    struct response fresh = *res;
    const char *type = req->audit_type, *detail = req->audit_detail, *action = req->audit_action;
    int64_t id = req->audit_id;
    req->route->handler(req, res);
    int wrote = store_snapshot_wrote(s);
    store_rollback(s); /* nothing of a snapshot is kept */
    if (wrote) {
        if (res->json && res->json != fresh.json)
            json_decref(res->json);
        *res = fresh;
        req->audit_type = type;
        req->audit_id = id;
        req->audit_detail = detail;
        req->audit_action = action;
        run_in_transaction(req, res, 1);
        return;
    }
    int ok = res->status >= 200 && res->status < 400;
    if (ok)
        action = req->audit_action ? req->audit_action : "read";
    else if (res->keep_writes)
        action = req->audit_action; /* an audited refusal (a restricted record) */
    else
        return;
    if (!action)
        return;
    rc = store_begin_write(s);
    if (rc == STORE_OK) {
        rc = audit_request(req, action);
        if (rc == STORE_OK)
            rc = store_commit(s);
        else
            store_rollback(s);
    }
    /* A refusal stands when only its trace was lost, as before. */
    if (rc != STORE_OK && ok)
        unrecordable_read(res, rc, s);
}

static void dispatch_route(const struct router *router, struct request *req, struct response *res)
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

    if (!(route->flags & ROUTE_JSON_BODY) && req->body_len > 0 && !req->form) {
        http_error(res, 415, "unsupported_media_type", NULL, "this request takes no body");
        return;
    }
    /* Public routes that need no database answer before anything else. */
    if (route->permission == PERM_PUBLIC && (route->flags & ROUTE_NO_DB) &&
        !(route->flags & ROUTE_JSON_BODY)) {
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

    if (authenticate(req, res) < 0)
        return;
    if (route->permission != PERM_PUBLIC) {
        if (!req->user) {
            http_error(res, 401, "unauthenticated", NULL,
                       "sign in, or send an API token as 'Authorization: Bearer <token>'");
            return;
        }
        if (!permset_has(&req->user->perms, route->permission)) {
            deny(req, res, "forbidden", "your role does not allow this");
            return;
        }
    }

    if (req->form) {
        /* A page's form post: the same declared fields, the same validator. */
        page_form_json(req);
        struct verror verr;
        if ((route->flags & ROUTE_JSON_BODY) && route->body &&
            validate_object(req->json, route->body, &verr) < 0) {
            http_error(res, verr.status, verr.code, verr.field[0] ? verr.field : NULL, "%s",
                       verr.message);
            return;
        }
    } else if ((route->flags & ROUTE_JSON_BODY) && check_body(req, res, route->body) < 0) {
        return;
    }
    if (check_csrf(req, res) < 0)
        return;

    if (route->flags & (ROUTE_OWN_TXN | ROUTE_NO_DB)) {
        route->handler(req, res);
        return;
    }

    int audited = (route->flags & (ROUTE_AUDIT_READ | ROUTE_AUDIT_WRITE)) != 0;
    if (audited && !is_write(req->method))
        read_then_audit(req, res);
    else
        run_in_transaction(req, res, audited);
}

void dispatch(const struct router *router, struct request *req, struct response *res)
{
    if (static_serve(req, res))
        return;
    if (strcmp(req->path, "/") == 0 && (req->method == HTTP_GET || req->method == HTTP_HEAD)) {
        http_header(res, "Location", "/work");
        res->status = 303;
        res->body = "";
        return;
    }
    int page = page_path(req->path);
    if (page && req->method == HTTP_POST && page_read_form(req, res) < 0)
        return;
    dispatch_route(router, req, res);
    /* An address that matched nothing gets an HTML page only when a browser
     * asked for one; API clients keep the JSON error. */
    const char *accept = req_header(req, "Accept");
    if (req->html || (page && !req->route && accept && strstr(accept, "text/html")))
        page_finish(req, res);
}
