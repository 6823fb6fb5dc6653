/*
 * http.h — the request and response every handler sees.
 *
 * Invariants: a handler gets a request whose route, permission, body size,
 * content type and JSON syntax have already been checked by the dispatcher
 * (dispatch.c); it must still validate the body's fields and the query
 * parameters it accepts. Everything hanging off `req->arena` is freed with the
 * request. The handler fills `res` with a status and a JSON body (owned by the
 * response, freed by the server) or an error via http_error().
 */
#ifndef SG_HTTP_H
#define SG_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct store;
struct route;
struct MHD_Connection;
struct user;
struct form_pair;

#define ROUTE_MAX_PARAMS     4
#define RESPONSE_MAX_HEADERS 8

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_HEAD, HTTP_OTHER };

struct request {
    struct arena *arena;
    enum http_method method;
    const char *method_name;
    const char *path;
    const char *body;
    size_t body_len;
    json_t *json; /* parsed body, or NULL when there is none; owned by the request */
    const char *param_names[ROUTE_MAX_PARAMS];
    const char *param_values[ROUTE_MAX_PARAMS];
    int nparams;
    char request_id[33];
    const char *remote_addr;
    struct MHD_Connection *conn; /* NULL in unit tests */
    struct store *store;
    const struct route *route;
    struct user *user;      /* the authenticated user, or NULL on public routes */
    int html;               /* the request came to a route's page path, not its /api/ path */
    struct form_pair *form; /* a page's form post, parsed (page.c); NULL otherwise */
    int nform;
    const char *form_csrf;
    int64_t now; /* the injected clock, read once per request */
    /* What the audit entry of an audited route records; set by the handler.
     * action defaults to the method's verb (read, create, update, delete). */
    const char *audit_action;
    const char *audit_type;
    int64_t audit_id;
    const char *audit_detail; /* small JSON text */
};

struct response {
    int status;
    json_t *json;             /* owned; serialised by the server */
    const char *content_type; /* for non-JSON bodies */
    const char *body;         /* arena-owned raw body, when json is NULL */
    size_t body_len;
    const char *header_names[RESPONSE_MAX_HEADERS];
    const char *header_values[RESPONSE_MAX_HEADERS];
    int nheaders;
    int keep_writes;      /* commit even though the status is an error (failed sign-in counts) */
    const char *redirect; /* pages: where to send the browser after a successful form post */
};

/* Sets a JSON error body: {"error":{"status","code","field","message"}}.
 * field may be NULL when no single field is at fault. */
void http_error(struct response *res, int status, const char *code, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sets the error for a failed store call: 503 for a full, read-only or busy
 * database (nothing was saved), 500 otherwise. */
void http_store_error(struct response *res, int rc, struct store *s);
/* Sets status and takes ownership of body. */
void http_json(struct response *res, int status, json_t *body);
/* Adds a response header; both strings must outlive the request (arena). */
void http_header(struct response *res, const char *name, const char *value);
/* Answers 200 with the document in b (copied into the request's arena) as
 * application/pdf, shown in the browser (inline) or saved (attachment)
 * under filename; b stays the caller's to release. */
struct buf;
void http_pdf(struct request *req, struct response *res, const struct buf *b, bool attachment,
              const char *filename);

/* The path parameter by name, or NULL. */
const char *req_param(const struct request *req, const char *name);
/* Parses a path parameter as a positive 63-bit id; on failure sets a 404 and
 * returns -1 (an id that cannot exist is a missing record, not bad input). */
int req_param_id(const struct request *req, struct response *res, const char *name, int64_t *out);
/* A query-string argument, or NULL. */
const char *req_query(const struct request *req, const char *name);
/* Checks every query argument is among the NULL-terminated allowed names;
 * otherwise sets 422 unknown_query_parameter and returns -1. */
int req_query_allow(const struct request *req, struct response *res, const char *const *allowed);
/* A request header, or NULL. */
const char *req_header(const struct request *req, const char *name);

enum http_method http_method_from_name(const char *name);
const char *http_method_name(enum http_method m);

#endif
