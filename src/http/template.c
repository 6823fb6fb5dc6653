/*
 * template.c — compile templates to node trees once; render them by walking
 * the tree with a stack of JSON contexts (see template.h for the language).
 *
 * Every value is escaped on output by html_escape() unless the template says
 * {{raw ...}}; escaping happens here, at the point of output, never earlier.
 */
#include "http/template.h"
#include "core/date.h"
#include "core/embedded.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEMPLATES 512 /* every page and partial; raised as areas add pages */
#define MAX_DEPTH     32  /* nested sections and partials at render time */
#define PATH_MAX_LEN  128

extern const struct embedded_file web_templates[];

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_EQ, N_PARTIAL };
enum filter { F_NONE, F_DATE, F_DATETIME, F_URL, F_HUMANISE, F_COUNT, F_DAY, F_MONTH, F_YEAR };

struct node {
    enum node_kind kind;
    const char *text; /* N_TEXT: points into the template source */
    size_t len;
    char path[PATH_MAX_LEN];
    enum filter filter;
    char arg[PATH_MAX_LEN]; /* N_EQ: the text compared with */
    struct node *children;  /* sections */
    size_t nchildren;
    int partial; /* N_PARTIAL: index into the template set, resolved after compiling */
};

struct tmpl {
    char name[64];
    char *source;
    struct node *nodes;
    size_t n;
};

struct tset {
    struct tmpl t[MAX_TEMPLATES];
    size_t n;
};

static struct tset app_set;

/* ---- escaping ------------------------------------------------------------ */

void html_escape(struct buf *out, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_append(out, s + start, i - start);
        buf_puts(out, rep);
        start = i + 1;
    }
    buf_append(out, s + start, len - start);
}

void url_escape(struct buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            buf_putc(out, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(out, e, 3);
        }
    }
}

/* ---- compiling ----------------------------------------------------------- */

struct parser {
    const char *name;
    const char *src, *p, *end;
    int line;
    char *err;
    size_t errlen;
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct parser *ps, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->name, ps->line, msg);
    return -1;
}

static int push(struct node **arr, size_t *n, size_t *cap, const struct node *nd)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        struct node *a = realloc(*arr, c * sizeof(*a));
        if (!a)
            return -1;
        *arr = a;
        *cap = c;
    }
    (*arr)[(*n)++] = *nd;
    return 0;
}

static void free_nodes(struct node *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free_nodes(nodes[i].children, nodes[i].nchildren);
    free(nodes);
}

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\n' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\n' || (*e)[-1] == '\t'))
        (*e)--;
}

static int valid_path(const char *b, const char *e)
{
    if (b == e || e - b >= PATH_MAX_LEN)
        return 0;
    for (const char *c = b; c < e; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '.' || *c == '@' || *c == '-'))
            return 0;
    return 1;
}

static int set_path(struct parser *ps, struct node *nd, const char *b, const char *e)
{
    trim(&b, &e);
    const char *bar = memchr(b, '|', (size_t)(e - b));
    const char *pe = bar ? bar : e;
    const char *pb = b;
    trim(&pb, &pe);
    char tmp[PATH_MAX_LEN];
    snprintf(tmp, sizeof(tmp), "%.*s", (int)(pe - pb < 100 ? pe - pb : 100), pb);
    if (!valid_path(pb, pe))
        return perr(ps, "'%s' is not a valid path", tmp);
    memcpy(nd->path, pb, (size_t)(pe - pb));
    nd->path[pe - pb] = '\0';
    nd->filter = F_NONE;
    if (bar) {
        const char *fb = bar + 1, *fe = e;
        trim(&fb, &fe);
        static const struct {
            const char *name;
            enum filter f;
        } filters[] = {{"date", F_DATE},         {"datetime", F_DATETIME}, {"url", F_URL},
                       {"humanise", F_HUMANISE}, {"count", F_COUNT},       {"day", F_DAY},
                       {"month", F_MONTH},       {"year", F_YEAR}};
        size_t fl = (size_t)(fe - fb);
        for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
            if (strlen(filters[i].name) == fl && memcmp(filters[i].name, fb, fl) == 0)
                nd->filter = filters[i].f;
        if (nd->filter == F_NONE) {
            snprintf(tmp, sizeof(tmp), "%.*s", (int)(fl < 60 ? fl : 60), fb);
            return perr(ps, "unknown filter '%s'", tmp);
        }
    }
    return 0;
}

/* Parses nodes until {{/close}} (or the end when close is NULL). */
static int parse_block(struct parser *ps, const char *close, struct node **out, size_t *nout)
{
    struct node *arr = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        const char *open = ps->p;
        while (open < ps->end && !(open[0] == '{' && open + 1 < ps->end && open[1] == '{'))
            open++;
        if (open > ps->p) {
            struct node t = {.kind = N_TEXT, .text = ps->p, .len = (size_t)(open - ps->p)};
            for (const char *c = ps->p; c < open; c++)
                ps->line += *c == '\n';
            if (push(&arr, &n, &cap, &t) < 0)
                goto oom;
        }
        if (open >= ps->end) {
            if (close) {
                perr(ps, "section '%s' is never closed", close);
                goto fail;
            }
            break;
        }
        const char *tag = open + 2;
        const char *tend = tag;
        while (tend + 1 < ps->end && !(tend[0] == '}' && tend[1] == '}'))
            tend++;
        if (tend + 1 >= ps->end) {
            perr(ps, "a tag is not closed with '}}'");
            goto fail;
        }
        for (const char *c = tag; c < tend; c++)
            ps->line += *c == '\n';
        ps->p = tend + 2;
        struct node nd = {0};
        const char *b = tag, *e = tend;
        trim(&b, &e);
        if (b < e && *b == '!')
            continue; /* comment */
        if (b < e && *b == '/') {
            b++;
            trim(&b, &e);
            size_t l = (size_t)(e - b);
            if (!close || strlen(close) != l || memcmp(close, b, l) != 0) {
                char got[64];
                snprintf(got, sizeof(got), "%.*s", (int)(l < 60 ? l : 60), b);
                perr(ps, "'{{/%s}}' closes nothing open here", got);
                goto fail;
            }
            break;
        }
        if (b < e && (*b == '#' || *b == '^')) {
            int inverted = *b == '^';
            b++;
            trim(&b, &e);
            char closer[PATH_MAX_LEN];
            if (!inverted && e - b > 3 && memcmp(b, "eq ", 3) == 0) {
                /* {{#eq path "text"}} */
                const char *q1 = memchr(b, '"', (size_t)(e - b));
                if (!q1 || e[-1] != '"' || q1 == e - 1) {
                    perr(ps, "write {{#eq path \"text\"}}");
                    goto fail;
                }
                nd.kind = N_EQ;
                if (set_path(ps, &nd, b + 3, q1) < 0)
                    goto fail;
                size_t al = (size_t)(e - 1 - (q1 + 1));
                if (al >= sizeof(nd.arg)) {
                    perr(ps, "comparison text too long");
                    goto fail;
                }
                memcpy(nd.arg, q1 + 1, al);
                nd.arg[al] = '\0';
                snprintf(closer, sizeof(closer), "eq");
            } else {
                nd.kind = inverted ? N_INVERTED : N_SECTION;
                if (set_path(ps, &nd, b, e) < 0)
                    goto fail;
                snprintf(closer, sizeof(closer), "%s", nd.path);
            }
            if (parse_block(ps, closer, &nd.children, &nd.nchildren) < 0)
                goto fail;
            if (push(&arr, &n, &cap, &nd) < 0)
                goto oom;
            continue;
        }
        if (b < e && *b == '>') {
            b++;
            trim(&b, &e);
            nd.kind = N_PARTIAL;
            nd.partial = -1;
            if (!valid_path(b, e)) {
                perr(ps, "bad partial name");
                goto fail;
            }
            memcpy(nd.path, b, (size_t)(e - b));
            nd.path[e - b] = '\0';
        } else if (e - b > 4 && memcmp(b, "raw ", 4) == 0) {
            nd.kind = N_RAW;
            if (set_path(ps, &nd, b + 4, e) < 0)
                goto fail;
        } else {
            nd.kind = N_VAR;
            if (set_path(ps, &nd, b, e) < 0)
                goto fail;
        }
        if (push(&arr, &n, &cap, &nd) < 0)
            goto oom;
    }
    *out = arr;
    *nout = n;
    return 0;
oom:
    perr(ps, "out of memory");
fail:
    free_nodes(arr, n);
    return -1;
}

/* By file name ("person.html"), or for partials without the extension. */
static int find(const struct tset *set, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < set->n; i++) {
        const char *t = set->t[i].name;
        if (strcmp(t, name) == 0 || (strncmp(t, name, l) == 0 && strcmp(t + l, ".html") == 0))
            return (int)i;
    }
    return -1;
}

static int compile_into(struct tset *set, const char *name, const char *text, size_t len, char *err,
                        size_t errlen)
{
    if (set->n == MAX_TEMPLATES) {
        snprintf(err, errlen, "too many templates");
        return -1;
    }
    struct tmpl *t = &set->t[set->n];
    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "%s", name);
    t->source = malloc(len + 1);
    if (!t->source) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(t->source, text, len);
    t->source[len] = '\0';
    struct parser ps = {name, t->source, t->source, t->source + len, 1, err, errlen};
    if (parse_block(&ps, NULL, &t->nodes, &t->n) < 0) {
        free(t->source);
        return -1;
    }
    set->n++;
    return 0;
}

static int resolve_partials(struct tset *set, struct node *nodes, size_t n, const char *in,
                            char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (nodes[i].kind == N_PARTIAL) {
            nodes[i].partial = find(set, nodes[i].path);
            if (nodes[i].partial < 0) {
                snprintf(err, errlen, "%s: partial '%s' does not exist", in, nodes[i].path);
                return -1;
            }
        }
        if (resolve_partials(set, nodes[i].children, nodes[i].nchildren, in, err, errlen) < 0)
            return -1;
    }
    return 0;
}

static void release_set(struct tset *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free_nodes(set->t[i].nodes, set->t[i].n);
        free(set->t[i].source);
    }
    set->n = 0;
}

int template_init(char *err, size_t errlen)
{
    release_set(&app_set);
    for (const struct embedded_file *f = web_templates; f->name; f++)
        if (compile_into(&app_set, f->name, f->data, f->len, err, errlen) < 0)
            goto fail;
    for (size_t i = 0; i < app_set.n; i++)
        if (resolve_partials(&app_set, app_set.t[i].nodes, app_set.t[i].n, app_set.t[i].name, err,
                             errlen) < 0)
            goto fail;
    return 0;
fail:
    release_set(&app_set);
    return -1;
}

void template_release(void)
{
    release_set(&app_set);
}

int template_compile_one(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
    struct tset *one = calloc(1, sizeof(*one));
    if (!one)
        return -1;
    int rc = compile_into(one, name, text, len, err, errlen);
    if (rc == 0)
        rc = resolve_partials(one, one->t[0].nodes, one->t[0].n, name, err, errlen);
    release_set(one);
    free(one);
    return rc;
}

/* ---- rendering ----------------------------------------------------------- */

struct frame {
    const json_t *value;
    long index; /* position in the array being iterated, or -1 */
    /* For an array item: the frame a missed lookup continues from, which
     * skips the record holding the array. Otherwise a row without a key
     * would show the value of the record around it (a child's date of birth
     * taken from the person whose aliases are listed). -1: the next frame. */
    int outer;
};

struct render {
    const struct tset *set;
    struct frame stack[MAX_DEPTH];
    int depth;
    struct buf *out;
    int failed;
};

static const json_t *lookup_at(struct render *r, const char *path, long *index, int *found);

static const json_t *lookup(struct render *r, const char *path, long *index)
{
    int found;
    return lookup_at(r, path, index, &found);
}

/* As lookup(); *found is the frame where the first segment was found. */
static const json_t *lookup_at(struct render *r, const char *path, long *index, int *found)
{
    *index = -1;
    *found = r->depth - 1;
    const struct frame *top = &r->stack[r->depth - 1];
    if (strcmp(path, ".") == 0)
        return top->value;
    if (strcmp(path, "@index") == 0) {
        *index = top->index;
        return NULL;
    }
    char seg[PATH_MAX_LEN];
    const char *dot = strchr(path, '.');
    size_t l = dot ? (size_t)(dot - path) : strlen(path);
    memcpy(seg, path, l);
    seg[l] = '\0';
    const json_t *v = NULL;
    for (int d = r->depth - 1; d >= 0 && !v;) {
        if (json_is_object(r->stack[d].value))
            v = json_object_get(r->stack[d].value, seg);
        if (v)
            *found = d;
        else
            d = r->stack[d].outer >= 0 ? r->stack[d].outer : d - 1;
    }
    while (v && dot) {
        const char *p = dot + 1;
        dot = strchr(p, '.');
        l = dot ? (size_t)(dot - p) : strlen(p);
        memcpy(seg, p, l);
        seg[l] = '\0';
        if (json_is_object(v))
            v = json_object_get(v, seg);
        else if (json_is_array(v) && seg[0] >= '0' && seg[0] <= '9')
            v = json_array_get(v, (size_t)strtoul(seg, NULL, 10));
        else
            v = NULL;
    }
    return v;
}

static int truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    if (json_is_object(v))
        return json_object_size(v) > 0;
    return 1;
}

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

static void put_filtered(struct render *r, const json_t *v, enum filter f, int raw)
{
    char tmp[96];
    const char *s = NULL;
    size_t len = 0;
    if (f == F_COUNT) {
        snprintf(tmp, sizeof(tmp), "%zu",
                 json_is_array(v)    ? json_array_size(v)
                 : json_is_object(v) ? json_object_size(v)
                                     : 0);
        buf_puts(r->out, tmp);
        return;
    }
    if (!v || json_is_null(v) || json_is_false(v))
        return;
    if (json_is_string(v)) {
        s = json_string_value(v);
        len = json_string_length(v);
    } else if (json_is_integer(v)) {
        snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(v));
        s = tmp;
        len = strlen(tmp);
    } else if (json_is_real(v)) {
        snprintf(tmp, sizeof(tmp), "%g", json_real_value(v));
        s = tmp;
        len = strlen(tmp);
    } else if (json_is_true(v)) {
        s = "true";
        len = 4;
    } else {
        return; /* objects and arrays print nothing */
    }
    if (f == F_DAY || f == F_MONTH || f == F_YEAR) {
        /* One part of "YYYY-MM-DD" for a GOV.UK date input, without leading
         * zeros; a malformed value still splits on '-' so input is kept. */
        int want = f == F_YEAR ? 0 : f == F_MONTH ? 1 : 2, part = 0;
        const char *b = s, *e = s + len;
        for (const char *c = s; c <= e; c++) {
            if (c == e || *c == '-') {
                if (part == want) {
                    while (want && b < c - 1 && *b == '0')
                        b++;
                    html_escape(r->out, b, (size_t)(c - b));
                    return;
                }
                part++;
                b = c + 1;
            }
        }
        return;
    }
    if ((f == F_DATE || f == F_DATETIME) && len >= 10) {
        char d[11];
        struct civil_date cd;
        memcpy(d, s, 10);
        d[10] = '\0';
        int64_t t;
        if (f == F_DATETIME && ts_parse(s, &t) == 0) {
            int64_t local = ts_uk_local(t);
            cd = date_of_ts(local);
            int64_t secs = local - date_to_days(&cd) * 86400;
            snprintf(tmp, sizeof(tmp), "%d %s %d, %02d:%02d", cd.day, months[cd.month - 1], cd.year,
                     (int)(secs / 3600), (int)(secs / 60 % 60));
            s = tmp;
            len = strlen(tmp);
        } else if (date_parse(d, &cd) == 0) {
            snprintf(tmp, sizeof(tmp), "%d %s %d", cd.day, months[cd.month - 1], cd.year);
            s = tmp;
            len = strlen(tmp);
        }
    } else if (f == F_URL) {
        char *copy = strndup(s, len);
        if (copy)
            url_escape(r->out, copy);
        free(copy);
        return;
    } else if (f == F_HUMANISE && len < sizeof(tmp)) {
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        for (size_t i = 0; i < len; i++)
            if (tmp[i] == '_')
                tmp[i] = ' ';
        if (tmp[0] >= 'a' && tmp[0] <= 'z')
            tmp[0] = (char)(tmp[0] - 'a' + 'A');
        s = tmp;
    }
    if (raw)
        buf_append(r->out, s, len);
    else
        html_escape(r->out, s, len);
}

static void render_nodes(struct render *r, const struct node *nodes, size_t n);

static void with_context(struct render *r, const json_t *v, long index, int outer,
                         const struct node *nd)
{
    if (r->depth == MAX_DEPTH) {
        r->failed = 1;
        return;
    }
    r->stack[r->depth].value = v;
    r->stack[r->depth].index = index;
    r->stack[r->depth].outer = outer;
    r->depth++;
    render_nodes(r, nd->children, nd->nchildren);
    r->depth--;
}

static void render_nodes(struct render *r, const struct node *nodes, size_t n)
{
    for (size_t i = 0; i < n && !r->failed; i++) {
        const struct node *nd = &nodes[i];
        long index;
        const json_t *v;
        switch (nd->kind) {
        case N_TEXT:
            buf_append(r->out, nd->text, nd->len);
            break;
        case N_VAR:
        case N_RAW:
            v = lookup(r, nd->path, &index);
            if (!v && index >= 0) {
                char tmp[24];
                snprintf(tmp, sizeof(tmp), "%ld", index);
                buf_puts(r->out, tmp);
            } else {
                put_filtered(r, v, nd->filter, nd->kind == N_RAW);
            }
            break;
        case N_SECTION: {
            int found;
            v = lookup_at(r, nd->path, &index, &found);
            if (!truthy(v))
                break;
            const char *last = strrchr(nd->path, '.');
            if (last && last[1] >= '0' && last[1] <= '9') {
                /* {{#list.0}}: "the list has a first item" is a condition,
                 * not a context, so its rows are never looked up through. */
                render_nodes(r, nd->children, nd->nchildren);
            } else if (json_is_array(v)) {
                size_t k;
                const json_t *item;
                json_array_foreach(v, k, item) with_context(r, item, (long)k, found - 1, nd);
            } else {
                with_context(r, v, r->stack[r->depth - 1].index, -1, nd);
            }
            break;
        }
        case N_INVERTED:
            v = lookup(r, nd->path, &index);
            if (!truthy(v))
                render_nodes(r, nd->children, nd->nchildren);
            break;
        case N_EQ: {
            v = lookup(r, nd->path, &index);
            char tmp[32];
            const char *s = NULL;
            if (json_is_string(v))
                s = json_string_value(v);
            else if (json_is_integer(v)) {
                snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(v));
                s = tmp;
            } else if (json_is_boolean(v))
                s = json_is_true(v) ? "true" : "false";
            if (s && strcmp(s, nd->arg) == 0)
                render_nodes(r, nd->children, nd->nchildren);
            break;
        }
        case N_PARTIAL:
            if (r->depth == MAX_DEPTH) {
                r->failed = 1;
                break;
            }
            r->stack[r->depth] = r->stack[r->depth - 1];
            r->depth++;
            render_nodes(r, r->set->t[nd->partial].nodes, r->set->t[nd->partial].n);
            r->depth--;
            break;
        }
    }
}

int template_render(const char *name, const json_t *data, struct buf *out)
{
    int i = find(&app_set, name);
    if (i < 0)
        return -1;
    struct render r = {.set = &app_set, .depth = 1, .out = out};
    r.stack[0].value = data;
    r.stack[0].index = -1;
    r.stack[0].outer = -1;
    render_nodes(&r, app_set.t[i].nodes, app_set.t[i].n);
    /* A page cut short by the buffer's maximum must never be sent. */
    return r.failed || out->overflowed ? -1 : 0;
}
