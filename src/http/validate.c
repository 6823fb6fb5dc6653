/* validate.c — declared-field validation of JSON bodies (see validate.h). */
#include "http/validate.h"
#include "core/date.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 6

/* Records the first fault. fmt receives the field path, then `detail`. */
static int fail(struct verror *err, const char *path, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct verror *err, const char *path, const char *code, const char *fmt, ...)
{
    err->status = 422;
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->field, sizeof(err->field), "%s", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return -1;
}

static const char *type_name(enum field_type t)
{
    switch (t) {
    case FIELD_STRING:
    case FIELD_ENUM:
        return "a string";
    case FIELD_INT:
        return "an integer";
    case FIELD_BOOL:
        return "true or false";
    case FIELD_DATE:
        return "a date (YYYY-MM-DD)";
    case FIELD_TIMESTAMP:
        return "a timestamp (YYYY-MM-DDTHH:MM:SSZ)";
    case FIELD_OBJECT:
    case FIELD_MAP:
        return "an object";
    case FIELD_ARRAY:
    case FIELD_STRINGS:
        return "an array";
    }
    return "?";
}

/* True when a string holds control characters other than tab, CR and LF
 * (free text may have line breaks): C0, DEL and the C1 range U+0080-U+009F
 * (UTF-8 0xC2 0x80-0x9F). jansson guarantees valid UTF-8. */
static int has_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
            return 1;
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return 1;
    }
    return 0;
}

static int check_object(const json_t *obj, const struct field *fields, const char *prefix,
                        int depth, struct verror *err);

static int check_value(const json_t *v, const struct field *f, const char *path, int depth,
                       struct verror *err)
{
    /* Every string-typed value: an embedded NUL would be cut short by C. */
    if (json_is_string(v) && strlen(json_string_value(v)) != json_string_length(v))
        return fail(err, path, "invalid_field", "'%s' must not contain NUL characters%s", path, "");
    if (json_is_null(v)) {
        if (f->flags & (FIELD_NULLABLE))
            return 0;
        return fail(err, path, "invalid_field", "'%s' must not be null%s", path, "");
    }
    char tmp[200];
    switch (f->type) {
    case FIELD_STRING: {
        if (!json_is_string(v))
            break;
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (strlen(s) != len)
            return fail(err, path, "invalid_field", "'%s' must not contain NUL characters%s", path,
                        "");
        if (has_controls(s))
            return fail(err, path, "invalid_field", "'%s' must not contain control characters%s",
                        path, "");
        size_t start = strspn(s, " \t\r\n");
        if (start == len && !(f->flags & FIELD_EMPTY_OK))
            return fail(err, path, "invalid_field", "'%s' must not be empty%s", path, "");
        if (f->max_len && utf8_chars(s) > f->max_len) {
            snprintf(tmp, sizeof(tmp), "%zu", f->max_len);
            return fail(err, path, "invalid_field", "'%s' must be at most %s characters long", path,
                        tmp);
        }
        return 0;
    }
    case FIELD_INT:
        if (!json_is_integer(v))
            break;
        if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
            snprintf(tmp, sizeof(tmp), "between %lld and %lld", f->min, f->max);
            return fail(err, path, "invalid_field", "'%s' must be %s", path, tmp);
        }
        return 0;
    case FIELD_BOOL:
        if (!json_is_boolean(v))
            break;
        return 0;
    case FIELD_DATE: {
        struct civil_date d;
        if (!json_is_string(v))
            break;
        if (date_parse(json_string_value(v), &d) < 0)
            return fail(err, path, "invalid_date", "'%s' must be a real date written YYYY-MM-DD%s",
                        path, "");
        return 0;
    }
    case FIELD_TIMESTAMP: {
        int64_t t;
        if (!json_is_string(v))
            break;
        if (ts_parse(json_string_value(v), &t) < 0)
            return fail(err, path, "invalid_timestamp",
                        "'%s' must be a UTC time written YYYY-MM-DDTHH:MM:SSZ%s", path, "");
        return 0;
    }
    case FIELD_ENUM: {
        if (!json_is_string(v))
            break;
        for (const char *const *e = f->values; *e; e++)
            if (strcmp(*e, json_string_value(v)) == 0)
                return 0;
        size_t used = 0;
        tmp[0] = '\0';
        for (const char *const *e = f->values; *e && used < sizeof(tmp) - 40; e++) {
            int w = snprintf(tmp + used, sizeof(tmp) - used, "%s%s", used ? ", " : "", *e);
            if (w > 0)
                used += (size_t)w;
        }
        return fail(err, path, "invalid_field", "'%s' must be one of: %s", path, tmp);
    }
    case FIELD_STRINGS: {
        if (!json_is_array(v))
            break;
        if (f->max_len && json_array_size(v) > f->max_len) {
            snprintf(tmp, sizeof(tmp), "%zu", f->max_len);
            return fail(err, path, "invalid_field", "'%s' must have at most %s items", path, tmp);
        }
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            char ipath[128];
            snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
            struct field sf = {.name = f->name, .type = FIELD_STRING, .max_len = (size_t)f->max};
            if (check_value(item, &sf, ipath, depth, err) < 0)
                return -1;
        }
        return 0;
    }
    case FIELD_OBJECT:
        if (!json_is_object(v))
            break;
        return check_object(v, f->children, path, depth + 1, err);
    case FIELD_MAP: {
        if (!json_is_object(v))
            break;
        if (f->max_len && json_object_size(v) > f->max_len) {
            snprintf(tmp, sizeof(tmp), "%zu", f->max_len);
            return fail(err, path, "invalid_field", "'%s' must have at most %s members", path, tmp);
        }
        const char *k;
        json_t *item;
        json_object_foreach((json_t *)v, k, item)
        {
            /* The name is never echoed: it may be anything a client sent. */
            if (!field_map_key_ok(k))
                return fail(err, path, "invalid_field",
                            "'%s' has a member whose name is not a key (lower-case letters, "
                            "digits and _, starting with a letter)%s",
                            path, "");
            char ipath[128];
            snprintf(ipath, sizeof(ipath), "%s.%s", path, k);
            if (!json_is_object(item))
                return fail(err, ipath, "invalid_type", "'%s' must be an object%s", ipath, "");
            if (check_object(item, f->children, ipath, depth + 1, err) < 0)
                return -1;
        }
        return 0;
    }
    case FIELD_ARRAY: {
        if (!json_is_array(v))
            break;
        if (f->max_len && json_array_size(v) > f->max_len) {
            snprintf(tmp, sizeof(tmp), "%zu", f->max_len);
            return fail(err, path, "invalid_field", "'%s' must have at most %s items", path, tmp);
        }
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            char ipath[128];
            snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
            if (f->values) {
                struct field ef = {.name = f->name, .type = FIELD_ENUM, .values = f->values};
                if (check_value(item, &ef, ipath, depth, err) < 0)
                    return -1;
            } else {
                if (!json_is_object(item))
                    return fail(err, ipath, "invalid_field", "'%s' must be an object%s", ipath, "");
                if (check_object(item, f->children, ipath, depth + 1, err) < 0)
                    return -1;
            }
        }
        return 0;
    }
    }
    snprintf(tmp, sizeof(tmp), "%s", type_name(f->type));
    return fail(err, path, "invalid_type", "'%s' must be %s", path, tmp);
}

static int check_object(const json_t *obj, const struct field *fields, const char *prefix,
                        int depth, struct verror *err)
{
    char path[128];
    if (depth > MAX_DEPTH)
        return fail(err, prefix, "invalid_field", "'%s' is nested too deeply%s", prefix, "");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        const struct field *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        snprintf(path, sizeof(path), "%s%s%.80s", prefix, *prefix ? "." : "", key);
        if (!f->name)
            return fail(err, path, "unknown_field", "'%s' is not a field this request accepts%s",
                        path, "");
        if (check_value(v, f, path, depth, err) < 0)
            return -1;
    }
    for (const struct field *f = fields; f->name; f++) {
        if ((f->flags & FIELD_REQUIRED) && !json_object_get(obj, f->name)) {
            snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", f->name);
            return fail(err, path, "missing_field", "'%s' is required%s", path, "");
        }
    }
    return 0;
}

int validate_object(const json_t *obj, const struct field *fields, struct verror *err)
{
    if (!json_is_object(obj))
        return fail(err, "", "invalid_body", "the request body must be a JSON object%s%s", "", "");
    return check_object(obj, fields, "", 0, err);
}

int field_map_key_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > FIELD_MAP_KEY_MAX || name[0] < 'a' || name[0] > 'z')
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

const char *jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int jbool(const json_t *obj, const char *key, int dflt)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int jhas(const json_t *obj, const char *key)
{
    return json_object_get(obj, key) != NULL;
}
