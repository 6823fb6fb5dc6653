/*
 * router.h — the declarative route table and its matcher.
 *
 * Every endpoint is one row: method, path pattern, handler, permission, flags
 * (the Redis command-table habit). Patterns are literal segments and {name}
 * parameters, e.g. "/api/people/{id}". router_init() validates the whole table
 * once at start-up — a route with no permission, a malformed pattern or a
 * duplicate method+pattern stops the server from booting — so the dispatcher
 * can trust every row.
 */
#ifndef SG_ROUTER_H
#define SG_ROUTER_H

#include <stddef.h>

#include "auth/permissions.h"
#include "http/http.h"
#include "http/validate.h"

typedef void (*route_handler)(struct request *req, struct response *res);

enum route_flags {
    ROUTE_AUDIT_READ = 1 << 0,  /* reads personal data: audited */
    ROUTE_AUDIT_WRITE = 1 << 1, /* writes personal data: audited, in one transaction */
    ROUTE_NO_DB = 1 << 2,       /* needs no database connection (health, metrics) */
    ROUTE_JSON_BODY = 1 << 3,   /* takes a JSON request body */
    ROUTE_OWN_TXN = 1 << 4,     /* the handler runs its own transactions (slow password
                                   hashing must not hold the write lock) */
};

struct route {
    enum http_method method;
    const char *pattern;
    route_handler handler;
    enum permission permission;
    unsigned flags;
    const struct field *body; /* declared JSON body fields (ROUTE_JSON_BODY), or NULL */
    const char *summary;      /* one line for the OpenAPI description */
    const char *handler_name;
    /* The web page served by the same handler (PAGE(path, template) in the
     * table, NOPAGE when none): GET renders the template with the handler's
     * JSON; a form post to a write route re-renders it with the errors. A
     * NULL template serves the handler's body as it is (images). */
    const char *page_path;
    const char *page_template;
};

#define NOPAGE               NULL, NULL
#define PAGE(path, template) path, template

#define ROUTE_MAX_SEGMENTS 12

struct router;

/* Validates and compiles a route table. Returns NULL with a message in err
 * when any row is invalid. The table must outlive the router. */
struct router *router_new(const struct route *routes, size_t n, char *err, size_t errlen);
void router_free(struct router *r);

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_METHOD_NOT_ALLOWED };

/* Matches method and path (no query string). On ROUTER_FOUND sets *out and
 * the request's params (values are arena copies). On
 * ROUTER_METHOD_NOT_ALLOWED writes the allowed methods, comma-separated, into
 * allow. */
enum router_result router_match(const struct router *r, struct request *req,
                                const struct route **out, char *allow, size_t allowlen);

/* The application's route table (routes.c). */
extern const struct route app_routes[];
extern const size_t app_routes_count;

#endif
