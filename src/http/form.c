/* form.c — urlencoded form parsing and conversion to declared JSON (see form.h). */
#include "http/form.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes one component; NULL when malformed. */
static char *decode(struct arena *a, const char *s, size_t len)
{
    char *out = arena_alloc(a, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= len)
                return NULL;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return NULL;
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else if (s[i] == '\0') {
            return NULL;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

int form_parse(struct arena *a, const char *body, size_t len, struct form_pair **out)
{
    int n = 0;
    struct form_pair *pairs = arena_alloc(a, sizeof(*pairs) * FORM_MAX_PAIRS);
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end > i) {
            if (n == FORM_MAX_PAIRS)
                return -1;
            const char *eq = memchr(body + i, '=', end - i);
            size_t nlen = eq ? (size_t)(eq - (body + i)) : end - i;
            char *name = decode(a, body + i, nlen);
            char *value =
                eq ? decode(a, eq + 1, (size_t)(body + end - (eq + 1))) : arena_strdup(a, "");
            /* Everything in a form becomes JSON text: well-formed UTF-8 only. */
            if (!name || !value || !*name || !utf8_valid(name, strlen(name)) ||
                !utf8_valid(value, strlen(value)))
                return -1;
            pairs[n].name = name;
            pairs[n].value = value;
            n++;
        }
        i = end + 1;
    }
    *out = pairs;
    return n;
}

static const struct field *field_named(const struct field *fields, const char *name, size_t len)
{
    for (const struct field *f = fields; f && f->name; f++)
        if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
            return f;
    return NULL;
}

static int blank(const char *v)
{
    return v[strspn(v, " \t\r\n")] == '\0';
}

/* The JSON value for one scalar input of field f. */
static json_t *scalar(const struct field *f, const char *v, int is_update)
{
    if (blank(v))
        return f && (f->flags & FIELD_NULLABLE) && is_update ? json_null() : NULL;
    if (f && f->type == FIELD_INT) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*end == '\0')
            return json_integer(n);
    }
    if (f && f->type == FIELD_BOOL) {
        if (!strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "1"))
            return json_true();
        if (!strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "0"))
            return json_false();
    }
    return json_string(v);
}

/* Joins NAME-day/-month/-year inputs into NAME = YYYY-MM-DD. */
static void join_dates(struct arena *a, struct form_pair *pairs, int *n)
{
    for (int i = 0; i < *n; i++) {
        const char *nm = pairs[i].name;
        if (!nm)
            continue; /* a month or year already joined into its date */
        size_t l = strlen(nm);
        if (l < 5 || strcmp(nm + l - 4, "-day") != 0)
            continue;
        char *base = arena_strndup(a, nm, l - 4);
        const char *parts[3] = {pairs[i].value, "", ""};
        const char *suffix[2] = {"-month", "-year"};
        for (int k = 0; k < 2; k++) {
            char *want = arena_printf(a, "%s%s", base, suffix[k]);
            for (int j = 0; j < *n; j++) {
                if (pairs[j].name && strcmp(pairs[j].name, want) == 0) {
                    parts[k + 1] = pairs[j].value;
                    pairs[j].name = NULL; /* consumed */
                }
            }
        }
        const char *d = parts[0], *m = parts[1], *y = parts[2];
        const char *joined;
        if (blank(d) && blank(m) && blank(y))
            joined = "";
        else if (strspn(d, "0123456789") == strlen(d) && strspn(m, "0123456789") == strlen(m) &&
                 strspn(y, "0123456789") == strlen(y) && strlen(d) && strlen(d) <= 2 && strlen(m) &&
                 strlen(m) <= 2 && strlen(y) == 4)
            joined = arena_printf(a, "%s-%02d-%02d", y, atoi(m), atoi(d));
        else
            joined = arena_printf(a, "%s-%s-%s", y, m, d); /* malformed: the validator names it */
        pairs[i].name = base;
        pairs[i].value = joined;
    }
}

static void drop_blank_rows(json_t *arr)
{
    for (size_t i = json_array_size(arr); i-- > 0;) {
        json_t *row = json_array_get(arr, i);
        if (json_is_object(row) && json_object_size(row) == 0)
            json_array_remove(arr, i);
    }
}

/* A map member whose inputs were all blank is left out, as a blank row is. */
static void drop_blank_members(json_t *map)
{
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(map, tmp, k, v)
    {
        if (json_is_object(v) && json_object_size(v) == 0)
            json_object_del(map, k);
    }
}

json_t *form_to_json(struct arena *a, const struct form_pair *in, int n, const struct field *fields,
                     int is_update, const char **csrf, const char **method)
{
    struct form_pair *pairs = arena_alloc(a, sizeof(*pairs) * (size_t)(n ? n : 1));
    memcpy(pairs, in, sizeof(*pairs) * (size_t)n);
    *csrf = *method = NULL;
    join_dates(a, pairs, &n);
    json_t *obj = json_object();
    for (int i = 0; i < n; i++) {
        const char *name = pairs[i].name, *value = pairs[i].value;
        if (!name)
            continue;
        if (strcmp(name, "csrf_token") == 0) {
            *csrf = value;
            continue;
        }
        if (strcmp(name, "_method") == 0) {
            *method = value;
            continue;
        }
        size_t head = strcspn(name, "[.");
        const struct field *f = field_named(fields, name, head);
        char *key = arena_strndup(a, name, head);
        if (name[head] == '\0') {
            if (f && (f->type == FIELD_STRINGS || (f->type == FIELD_ARRAY && f->values))) {
                json_t *arr = json_object_get(obj, key);
                if (!arr) {
                    arr = json_array();
                    json_object_set_new(obj, key, arr);
                }
                if (!blank(value))
                    json_array_append_new(arr, json_string(value));
                continue;
            }
            json_t *v = scalar(f, value, is_update);
            if (v)
                json_object_set_new(obj, key, v);
            continue;
        }
        /* list[i].field or obj.field, only where the fields declare them */
        const char *rest = name + head;
        json_t *container;
        const struct field *children = f ? f->children : NULL;
        int as_list = *rest == '[' && f && f->type == FIELD_ARRAY && f->children;
        int as_object = *rest == '.' && f && f->type == FIELD_OBJECT;
        int as_map = *rest == '.' && f && f->type == FIELD_MAP;
        if (!as_list && !as_object && !as_map) {
            json_object_set_new(obj, name, json_string(value)); /* reported as unknown */
            continue;
        }
        if (as_list) {
            /* "list[].field" appends a row of its own: checkboxes that each
             * choose a row ("agencies[].id"), however many there are. */
            int append = rest[1] == ']' && rest[2] == '.';
            char *end = (char *)rest + 1;
            long idx = append ? 0 : strtol(rest + 1, &end, 10);
            if (!append && (rest[1] < '0' || rest[1] > '9' || idx < 0 ||
                            (size_t)idx >= f->max_len || *end != ']' || end[1] != '.')) {
                json_object_set_new(obj, name, json_string(value)); /* reported as unknown */
                continue;
            }
            json_t *arr = json_object_get(obj, key);
            if (!json_is_array(arr)) {
                arr = json_array();
                json_object_set_new(obj, key, arr);
            }
            if (append)
                idx = (long)json_array_size(arr);
            while ((long)json_array_size(arr) <= idx)
                json_array_append_new(arr, json_object());
            container = json_array_get(arr, (size_t)idx);
            rest = end + 2;
        } else if (as_map) {
            /* map.member.field: the member name is checked by the validator */
            const char *member = rest + 1, *dot = strchr(member, '.');
            if (!dot || dot == member || !dot[1]) {
                json_object_set_new(obj, name, json_string(value)); /* reported as unknown */
                continue;
            }
            json_t *map = json_object_get(obj, key);
            if (!json_is_object(map)) {
                map = json_object();
                json_object_set_new(obj, key, map);
            }
            char *mkey = arena_strndup(a, member, (size_t)(dot - member));
            container = json_object_get(map, mkey);
            if (!json_is_object(container)) {
                container = json_object();
                json_object_set_new(map, mkey, container);
            }
            rest = dot + 1;
        } else {
            container = json_object_get(obj, key);
            if (!json_is_object(container)) {
                container = json_object();
                json_object_set_new(obj, key, container);
            }
            rest++;
        }
        const struct field *cf = field_named(children, rest, strlen(rest));
        if (cf && (cf->type == FIELD_STRINGS || (cf->type == FIELD_ARRAY && cf->values))) {
            json_t *arr = json_object_get(container, rest);
            if (!arr) {
                arr = json_array();
                json_object_set_new(container, rest, arr);
            }
            if (!blank(value))
                json_array_append_new(arr, json_string(value));
            continue;
        }
        json_t *v = scalar(cf, value, 0);
        if (v)
            json_object_set_new(container, rest, v);
    }
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        const struct field *f = field_named(fields, k, strlen(k));
        if (json_is_array(v))
            drop_blank_rows(v);
        else if (f && f->type == FIELD_MAP && json_is_object(v))
            drop_blank_members(v);
    }
    return obj;
}
