/*
 * router.c — compiles the route table into segment lists and matches paths.
 *
 * Linear scan over compiled routes: with a few hundred routes it costs well
 * under a microsecond, and keeps the matcher obviously correct. Paths longer
 * than ROUTE_MAX_SEGMENTS segments or with empty segments ("//") never match.
 */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compiled {
    const struct route *route;
    int html; /* this entry is the route's page path */
    int nseg;
    const char *seg[ROUTE_MAX_SEGMENTS]; /* literal text, or NULL for a parameter */
    size_t seglen[ROUTE_MAX_SEGMENTS];
    const char *pname[ROUTE_MAX_SEGMENTS];
    size_t pnamelen[ROUTE_MAX_SEGMENTS];
};

struct router {
    struct compiled *c;
    size_t n;
};

static int compile(const struct route *rt, const char *p, struct compiled *c, char *err,
                   size_t errlen)
{
    memset(c, 0, sizeof(*c));
    c->route = rt;
    if (!p || p[0] != '/') {
        snprintf(err, errlen, "route '%s': pattern must start with '/'", p ? p : "(null)");
        return -1;
    }
    if (strcmp(p, "/") == 0)
        return 0;
    p++;
    int nparams = 0;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || c->nseg == ROUTE_MAX_SEGMENTS) {
            snprintf(err, errlen, "route '%s': empty segment or too many segments", rt->pattern);
            return -1;
        }
        const char *open = memchr(p, '{', len), *close = memchr(p, '}', len);
        if ((open || close) && p[0] != '{') {
            snprintf(err, errlen, "route '%s': braces only around a whole segment", rt->pattern);
            return -1;
        }
        if (p[0] == '{') {
            if (len < 3 || p[len - 1] != '}' || memchr(p + 1, '{', len - 1) ||
                memchr(p, '}', len - 1) || ++nparams > ROUTE_MAX_PARAMS) {
                snprintf(err, errlen, "route '%s': malformed parameter", rt->pattern);
                return -1;
            }
            c->pname[c->nseg] = p + 1;
            c->pnamelen[c->nseg] = len - 2;
        } else {
            c->seg[c->nseg] = p;
            c->seglen[c->nseg] = len;
        }
        c->nseg++;
        p += len;
        if (*p == '/') {
            p++;
            if (!*p) {
                snprintf(err, errlen, "route '%s': trailing slash", rt->pattern);
                return -1;
            }
        }
    }
    return 0;
}

struct router *router_new(const struct route *routes, size_t n, char *err, size_t errlen)
{
    struct router *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->c = calloc(n ? 2 * n : 1, sizeof(*r->c));
    r->n = 0;
    for (size_t i = 0; i < n; i++) {
        const struct route *rt = &routes[i];
        if (!rt->handler) {
            snprintf(err, errlen, "route %s %s has no handler", http_method_name(rt->method),
                     rt->pattern);
            goto fail;
        }
        if (rt->permission == PERM_NONE || rt->permission >= PERM__COUNT) {
            snprintf(err, errlen, "route %s %s names no permission", http_method_name(rt->method),
                     rt->pattern);
            goto fail;
        }
        if (rt->method == HTTP_OTHER || rt->method == HTTP_HEAD) {
            snprintf(err, errlen, "route %s: method must be GET, POST, PUT, PATCH or DELETE",
                     rt->pattern);
            goto fail;
        }
        if (rt->page_path && (!rt->pattern || strncmp(rt->pattern, "/api/", 5) != 0)) {
            snprintf(err, errlen, "route %s: only /api/ routes have page twins", rt->pattern);
            goto fail;
        }
        for (int twin = 0; twin < 1 + (rt->page_path != NULL); twin++) {
            size_t idx = r->n;
            if (compile(rt, twin ? rt->page_path : rt->pattern, &r->c[idx], err, errlen) < 0)
                goto fail;
            r->c[idx].html = twin;
            r->n++;
            for (size_t j = 0; j < idx; j++) {
                if (r->c[j].route->method != rt->method)
                    continue;
                /* Two rows conflict when some path matches both and neither has
                 * more literal segments to win by: "/a/{id}" vs "/a/{x}" (a
                 * duplicate) or "/a/{x}/c" vs "/a/b/{y}" (ambiguous). */
                const struct compiled *a = &r->c[idx], *b = &r->c[j];
                int overlap = a->nseg == b->nseg, la = 0, lb = 0;
                for (int k = 0; overlap && k < a->nseg; k++) {
                    la += a->seg[k] != NULL;
                    lb += b->seg[k] != NULL;
                    if (a->seg[k] && b->seg[k] &&
                        (a->seglen[k] != b->seglen[k] ||
                         memcmp(a->seg[k], b->seg[k], a->seglen[k])))
                        overlap = 0;
                }
                if (overlap && la == lb) {
                    snprintf(err, errlen, "route %s %s is a duplicate of, or ambiguous with, %s",
                             http_method_name(rt->method), twin ? rt->page_path : rt->pattern,
                             r->c[j].html ? r->c[j].route->page_path : r->c[j].route->pattern);
                    goto fail;
                }
            }
        }
    }
    return r;
fail:
    router_free(r);
    return NULL;
}

void router_free(struct router *r)
{
    if (!r)
        return;
    free(r->c);
    free(r);
}

/* Splits path into segments; returns count or -1 if it cannot match any route. */
static int split(const char *path, const char **seg, size_t *len)
{
    if (path[0] != '/')
        return -1;
    if (path[1] == '\0')
        return 0;
    int n = 0;
    const char *p = path + 1;
    for (;;) {
        const char *end = strchr(p, '/');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == 0 || n == ROUTE_MAX_SEGMENTS)
            return -1;
        seg[n] = p;
        len[n] = l;
        n++;
        if (!end)
            return n;
        p = end + 1;
    }
}

static int matches(const struct compiled *c, int n, const char **seg, const size_t *len)
{
    if (c->nseg != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (c->seg[i] && (c->seglen[i] != len[i] || memcmp(c->seg[i], seg[i], len[i]) != 0))
            return 0;
    return 1;
}

enum router_result router_match(const struct router *r, struct request *req,
                                const struct route **out, char *allow, size_t allowlen)
{
    const char *seg[ROUTE_MAX_SEGMENTS];
    size_t len[ROUTE_MAX_SEGMENTS];
    int n = split(req->path, seg, len);
    if (n < 0)
        return ROUTER_NOT_FOUND;
    /* Literal segments win over parameters: "/api/people/search" beats
     * "/api/people/{id}" whatever the table order. */
    const struct compiled *best = NULL;
    int best_literals = -1, path_known = 0;
    unsigned allowed = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct compiled *c = &r->c[i];
        if (!matches(c, n, seg, len))
            continue;
        path_known = 1;
        enum http_method m = c->route->method;
        if (m != req->method && !(req->method == HTTP_HEAD && m == HTTP_GET)) {
            allowed |= 1u << m;
            continue;
        }
        int literals = 0;
        for (int k = 0; k < n; k++)
            literals += c->seg[k] != NULL;
        if (literals > best_literals) {
            best = c;
            best_literals = literals;
        }
    }
    if (!best) {
        if (!path_known)
            return ROUTER_NOT_FOUND;
        size_t used = 0;
        if (allowlen)
            allow[0] = '\0';
        for (int m = HTTP_GET; m <= HTTP_DELETE; m++) {
            if (!(allowed & (1u << m)))
                continue;
            int w = snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
                             http_method_name((enum http_method)m));
            if (w > 0 && (size_t)w < allowlen - used)
                used += (size_t)w;
        }
        return ROUTER_METHOD_NOT_ALLOWED;
    }
    req->nparams = 0;
    for (int k = 0; k < n; k++) {
        if (best->seg[k])
            continue;
        req->param_names[req->nparams] =
            req->arena ? arena_strndup(req->arena, best->pname[k], best->pnamelen[k]) : NULL;
        req->param_values[req->nparams] =
            req->arena ? arena_strndup(req->arena, seg[k], len[k]) : NULL;
        req->nparams++;
    }
    *out = best->route;
    req->html = best->html;
    return ROUTER_FOUND;
}
