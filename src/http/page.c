/* page.c — form posts in, rendered pages out (see page.h). */
#include "http/page.h"
#include "auth/auth.h"
#include "http/router.h"
#include "http/server.h"
#include "http/template.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_MAX  (4 * 1024 * 1024)
#define ASSET_MAX (2 * 1024 * 1024)

int page_path(const char *path)
{
    return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0 &&
           strcmp(path, "/healthz") != 0 && strcmp(path, "/readyz") != 0 &&
           strcmp(path, "/metrics") != 0;
}

int page_read_form(struct request *req, struct response *res)
{
    const char *ct = req_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return 0; /* not a form: the JSON rules apply */
    int n = form_parse(req->arena, req->body ? req->body : "", req->body_len, &req->form);
    if (n < 0) {
        http_error(res, 400, "malformed_form", NULL, "the form could not be read");
        return -1;
    }
    req->nform = n;
    for (int i = 0; i < n; i++) {
        if (strcmp(req->form[i].name, "_method") == 0) {
            enum http_method m = http_method_from_name(req->form[i].value);
            if (m != HTTP_PATCH && m != HTTP_DELETE && m != HTTP_PUT) {
                http_error(res, 400, "malformed_form", "_method",
                           "_method must be PATCH or DELETE");
                return -1;
            }
            req->method = m;
            req->method_name = req->form[i].value;
        }
    }
    return 0;
}

void page_form_json(struct request *req)
{
    const char *method;
    json_t *j = form_to_json(req->arena, req->form, req->nform, req->route->body,
                             req->method == HTTP_PATCH, &req->form_csrf, &method);
    req->json = j;
    arena_cleanup(req->arena, (void (*)(void *))json_decref, j);
}

/* ---- the data every page gets ------------------------------------------- */

static const struct {
    const char *href, *text;
    enum permission perm;
} nav_items[] = {
    {"/work", "My work", PERM_AUTHENTICATED},
    {"/portal", "Portal", PERM_PORTAL},
    {"/incidents", "Incidents", PERM_INCIDENTS_READ},
    {"/children-at-risk", "At risk now", PERM_AT_RISK_READ},
    {"/missing", "Missing", PERM_MISSING_READ},
    {"/police-protection", "Police protection", PERM_PROTECTION_READ},
    {"/investigations", "Investigations", PERM_INVESTIGATIONS_READ},
    {"/online-referrals", "Online referrals", PERM_OCSE_READ},
    {"/offenders", "Offenders", PERM_OFFENDERS_READ},
    {"/offender-briefings", "Offender briefing", PERM_OFFENDERS_BRIEFING},
    {"/disclosure", "Disclosure scheme", PERM_DISCLOSURE_READ},
    {"/custody", "Custody", PERM_CUSTODY_READ},
    {"/referrals", "Referrals", PERM_REFERRALS_READ},
    {"/people", "People", PERM_PEOPLE_READ},
    {"/data-quality", "Data quality", PERM_REPORTS_READ},
    {"/assurance", "Assurance", PERM_ASSURANCE_READ},
    {"/case-audits", "Case audits", PERM_CASE_AUDITS_CONDUCT},
    {"/admin/users", "Users", PERM_USERS_ADMIN},
    {"/agencies", "Agencies", PERM_AGENCIES_ADMIN},
};

static json_t *base_data(struct request *req)
{
    json_t *d = json_pack("{s:s, s:s, s:s}", "service_name", "Safeguard", "version",
                          SAFEGUARD_VERSION, "path", req->path);
    if (req->user) {
        json_object_set_new(d, "user", auth_user_json(req->user));
        if (req->user->session_id)
            json_object_set_new(d, "csrf", json_string(req->user->csrf));
        json_t *nav = json_array();
        for (size_t i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
            if (!permset_has(&req->user->perms, nav_items[i].perm))
                continue;
            size_t l = strlen(nav_items[i].href);
            int current = strncmp(req->path, nav_items[i].href, l) == 0 &&
                          (req->path[l] == '\0' || req->path[l] == '/');
            json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", nav_items[i].href,
                                                 "text", nav_items[i].text, "current", current));
        }
        json_object_set_new(d, "nav", nav);
        /* "can.people_write": what this user may do, for showing actions. */
        json_t *can = json_object();
        for (int p = PERM_AUTHENTICATED; p < PERM__COUNT; p++) {
            if (!permset_has(&req->user->perms, (enum permission)p))
                continue;
            char k[64];
            snprintf(k, sizeof(k), "%s", permission_name((enum permission)p));
            for (char *c = k; *c; c++)
                if (*c == '.')
                    *c = '_';
            json_object_set_new(can, k, json_true());
        }
        json_object_set_new(d, "can", can);
    }
    /* Echo the query so search forms keep what was typed. */
    static const char *const keys[] = {"q", "dob", "page", "next", NULL};
    json_t *q = json_object();
    for (const char *const *k = keys; *k; k++) {
        const char *v = req_query(req, *k);
        if (v)
            json_object_set_new(q, *k, json_string(v));
    }
    json_object_set_new(d, "query", q);
    /* The path's parameters ("id" of "/missing/{id}/return"), so a form
     * re-rendered after a refused post can link back to its record. */
    json_t *params = json_object();
    for (int i = 0; i < req->nparams; i++) {
        json_t *v = json_string(req->param_values[i]);
        if (v && req->param_names[i])
            json_object_set_new(params, req->param_names[i], v);
        else
            json_decref(v);
    }
    json_object_set_new(d, "params", params);
    return d;
}

/* Where a page's form posts, and whether it changes a record: the page path
 * without a trailing "/edit" or "/new" ("/people/5/edit" posts to
 * "/people/5" as a PATCH). */
static void form_context(struct request *req, json_t *data)
{
    size_t l = strlen(req->path);
    int edit = l > 5 && strcmp(req->path + l - 5, "/edit") == 0;
    int add = l > 4 && strcmp(req->path + l - 4, "/new") == 0;
    char *action = arena_strndup(req->arena, req->path, l - (edit ? 5 : add ? 4 : 0));
    json_object_set_new(data, "form_action", json_string(action));
    json_object_set_new(data, "editing", json_boolean(edit || req->method == HTTP_PATCH));
}

static void render(struct request *req, struct response *res, const char *tmpl, json_t *data,
                   int status)
{
    form_context(req, data);
    struct buf b;
    buf_init(&b, PAGE_MAX);
    if (template_render(tmpl, data, &b) < 0) {
        buf_release(&b);
        buf_init(&b, PAGE_MAX);
        /* Never debug output: a plain, fixed page. */
        buf_puts(&b, "<!DOCTYPE html><html lang=\"en\"><title>Error - Safeguard</title>"
                     "<h1>Sorry, there is a problem with the service</h1></html>");
        status = 500;
    }
    json_decref(data);
    if (res->json) {
        json_decref(res->json);
        res->json = NULL;
    }
    res->status = status;
    res->content_type = "text/html; charset=utf-8";
    res->body = arena_strndup(req->arena, b.data ? b.data : "", b.len);
    res->body_len = b.len;
    buf_release(&b);
    http_header(res, "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}

static void redirect(struct request *req, struct response *res, const char *to)
{
    if (res->json) {
        json_decref(res->json);
        res->json = NULL;
    }
    /* The handler's Location (an /api/ address) gives way to the page's:
     * two Location headers make browsers refuse the answer. */
    int k = 0;
    for (int i = 0; i < res->nheaders; i++) {
        if (strcasecmp(res->header_names[i], "Location") == 0)
            continue;
        res->header_names[k] = res->header_names[i];
        res->header_values[k] = res->header_values[i];
        k++;
    }
    res->nheaders = k;
    res->status = 303;
    res->content_type = "text/plain; charset=utf-8";
    res->body = "";
    res->body_len = 0;
    http_header(res, "Location", arena_strdup(req->arena, to));
}

const char *page_local_next(const char *next)
{
    if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && !strchr(next, '\r') &&
        !strchr(next, '\n'))
        return next;
    return NULL;
}

/* error_map gets the message at the field's path with "[n]" read as ".n",
 * so a template finds "addresses[0].line1" as error_map.addresses.0.line1. */
static void nest_error(json_t *map, const char *field, const char *msg)
{
    char key[128];
    json_t *at = map;
    const char *p = field;
    while (*p) {
        size_t l = strcspn(p, ".[]");
        if (l >= sizeof(key))
            return;
        memcpy(key, p, l);
        key[l] = '\0';
        p += l;
        while (*p == '.' || *p == '[' || *p == ']')
            p++;
        if (!l)
            continue;
        if (!*p) {
            json_object_set_new(at, key, json_string(msg));
            return;
        }
        json_t *next = json_object_get(at, key);
        if (!json_is_object(next)) {
            next = json_object();
            json_object_set_new(at, key, next);
        }
        at = next;
    }
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    struct buf *b = cls;
    if (b->len)
        buf_putc(b, '&');
    url_escape(b, key);
    if (value) {
        buf_putc(b, '=');
        url_escape(b, value);
    }
    return MHD_YES;
}

/* The request's query string, re-encoded (arena), or "". */
static const char *request_query(struct request *req)
{
    if (!req->conn)
        return "";
    struct buf b;
    buf_init(&b, 4096);
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg, &b);
    const char *q = b.overflowed || !b.data ? "" : arena_strdup(req->arena, b.data);
    buf_release(&b);
    return q;
}

static const char *header_value(const struct response *res, const char *name)
{
    for (int i = 0; i < res->nheaders; i++)
        if (strcasecmp(res->header_names[i], name) == 0)
            return res->header_values[i];
    return NULL;
}

void page_finish(struct request *req, struct response *res)
{
    int status = res->status;
    const struct route *rt = req->route;
    json_t *err = res->json ? json_object_get(res->json, "error") : NULL;
    int form_page = rt && rt->page_template && (req->form || req->method == HTTP_GET);
    if (status == 401 && !(req->form && form_page)) {
        /* Back to sign-in, remembering the whole address (query too) so the
         * officer lands where they were going. */
        const char *to = "/sign-in";
        if (req->method == HTTP_GET) {
            struct buf b;
            buf_init(&b, 4096);
            buf_puts(&b, "/sign-in?next=");
            url_escape(&b, req->path);
            const char *q = request_query(req);
            if (q && *q) {
                buf_puts(&b, "%3F");
                url_escape(&b, q);
            }
            to = b.overflowed ? "/sign-in" : arena_strdup(req->arena, b.data);
            buf_release(&b);
        }
        redirect(req, res, to);
        return;
    }
    if (err) {
        json_t *data = base_data(req);
        if (form_page &&
            (status == 422 || status == 409 || status == 428 || status == 429 || status == 401)) {
            /* The GOV.UK pattern: the same form, an error summary at the top
             * linking to the field, and everything typed kept. */
            /* Every fault when the handler listed them ("errors", e.g. an
             * import), else the one. */
            json_t *list = json_object_get(res->json, "errors");
            if (!json_is_array(list) || json_array_size(list) == 0)
                list = NULL;
            json_t *errors = json_array();
            json_t *map = json_object();
            for (size_t i = 0; i < (list ? json_array_size(list) : 1); i++) {
                json_t *e = list ? json_array_get(list, i) : err;
                const char *field = json_string_value(json_object_get(e, "field"));
                const char *msg = json_string_value(json_object_get(e, "message"));
                /* A field with no input on the page (the hidden version of a
                 * stale edit) links to the main content instead. */
                int visible = field && strcmp(field, "version") != 0;
                json_array_append_new(
                    errors,
                    json_pack("{s:s, s:s}", "href",
                              visible ? arena_printf(req->arena, "#%s", field) : "#main-content",
                              "text", msg ? msg : "There is a problem"));
                /* The first message for a field is the one shown beside it. */
                if (field && (i == 0 || !json_object_get(map, field)))
                    nest_error(map, field, msg ? msg : "");
            }
            json_object_set_new(data, "errors", errors);
            json_object_set_new(data, "error_map", map);
            json_object_set(data, "error", err);
            json_object_set(data, "candidates", json_object_get(res->json, "candidates"));
            /* The page's own data, when the handler sent it beside the error
             * (the record being graded, the form's choices). */
            if (json_object_get(res->json, "page"))
                json_object_set(data, "page", json_object_get(res->json, "page"));
            json_object_set_new(data, "form", req->json ? json_incref(req->json) : json_object());
            /* The page's own data (e.g. the record being edited) when the
             * handler had none to give. */
            render(req, res, rt->page_template, data, status);
            return;
        }
        json_object_set(data, "error", err);
        json_object_set_new(data, "status", json_integer(status));
        render(req, res, "error.html", data, status);
        return;
    }
    if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
        const char *to = res->redirect;
        const char *loc = header_value(res, "Location");
        if (!to && loc && strncmp(loc, "/api/", 5) == 0)
            to = loc + 4;
        if (!to)
            to = req->path;
        redirect(req, res, to);
        return;
    }
    if (!rt || !rt->page_template)
        return; /* served as it is (an image) */
    json_t *data = base_data(req);
    json_object_set(data, "page", res->json ? res->json : json_null());
    json_object_set_new(data, "form", res->json ? json_incref(res->json) : json_object());
    render(req, res, rt->page_template, data, status);
}

/* ---- static assets ------------------------------------------------------- */

static const struct {
    const char *prefix; /* URL prefix */
    int from_assets;    /* 1: govuk-frontend's dist folder, 0: our web/static */
    const char *sub;    /* folder below the root */
} asset_roots[] = {
    {"/assets/govuk/", 1, ""},
    {"/assets/images/", 1, "assets/images/"},
    {"/assets/app/", 0, ""},
};

static const char *mime(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const char *const map[][2] = {{".css", "text/css; charset=utf-8"},
                                         {".js", "text/javascript; charset=utf-8"},
                                         {".svg", "image/svg+xml"},
                                         {".png", "image/png"},
                                         {".ico", "image/x-icon"},
                                         {".woff2", "font/woff2"},
                                         {".woff", "font/woff"},
                                         {".json", "application/json"},
                                         {".map", "application/json"}};
    for (size_t i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(dot, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

int static_serve(struct request *req, struct response *res)
{
    if (strncmp(req->path, "/assets/", 8) != 0)
        return 0;
    const char *rest = NULL;
    size_t r;
    for (r = 0; r < sizeof(asset_roots) / sizeof(asset_roots[0]); r++) {
        size_t l = strlen(asset_roots[r].prefix);
        if (strncmp(req->path, asset_roots[r].prefix, l) == 0) {
            rest = req->path + l;
            break;
        }
    }
    /* Only plain names: no "..", no hidden files, no odd bytes. */
    const char *type = rest ? mime(rest) : NULL;
    if (!rest || !*rest || strstr(rest, "..") || strstr(rest, "/.") || rest[0] == '.' ||
        strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") !=
            strlen(rest) ||
        !type || (req->method != HTTP_GET && req->method != HTTP_HEAD)) {
        http_error(res, 404, "not_found", NULL, "no such asset");
        return 1;
    }
    const struct config *cfg = &the_app->cfg;
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s%s",
             asset_roots[r].from_assets ? cfg->assets_dir : cfg->static_dir, asset_roots[r].sub,
             rest);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > ASSET_MAX) {
        if (fd >= 0)
            close(fd);
        http_error(res, 404, "not_found", NULL, "no such asset");
        return 1;
    }
    char *data = arena_alloc(req->arena, (size_t)st.st_size + 1);
    ssize_t got = 0;
    while (got < st.st_size) {
        ssize_t k = read(fd, data + got, (size_t)(st.st_size - got));
        if (k <= 0)
            break;
        got += k;
    }
    close(fd);
    res->status = 200;
    res->content_type = type;
    res->body = data;
    res->body_len = (size_t)got;
    /* Asset URLs carry the version (?v=), so they can be cached for a year. */
    http_header(res, "Cache-Control", "public, max-age=31536000, immutable");
    return 1;
}
