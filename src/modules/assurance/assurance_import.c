/*
 * assurance_import.c — an inspection from a JSON or CSV document: parse,
 * validate everything (collecting every fault with its location), check the
 * inspection is new, then insert it in the caller's transaction (see
 * assurance_import.h and docs/assurance-import.md). Also the inspections'
 * read side: one inspection as imported, and the list.
 *
 * Both formats go through the same checks (check_text, check_date,
 * check_number, check_timescale, check_label), so a rule and its message are
 * written once; only the locations differ.
 */
#include "modules/assurance/assurance_import.h"
#include "core/csv.h"
#include "core/utf8.h"
#include "modules/assurance/assurance.h"
#include "modules/assurance/assurance_sql.h"
#include "store/store.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest value quoted back in a message, in characters. */
#define QUOTE_MAX_CHARS 40

static const char *const action_statuses[] = {"not_started", "in_progress", "complete", "blocked",
                                              NULL};

struct ctx {
    struct arena *a;
    struct import_doc *doc;
    struct civil_date today;
    int dropped; /* errors past IMPORT_MAX_ERRORS, counted but not kept */
};

/* ---- errors ---------------------------------------------------------------- */

static void add_error(struct ctx *c, const char *code, const char *location, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Room for IMPORT_MAX_ERRORS, the note that more were left out, and the
 * duplicate-inspection error (which is always kept). */
#define ERRORS_CAPACITY (IMPORT_MAX_ERRORS + 2)

static void put_error(struct import_doc *d, const char *code, const char *location,
                      const char *what)
{
    assert(d->nerrors < ERRORS_CAPACITY);
    struct import_error *e = &d->errors[d->nerrors++];
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->location, sizeof(e->location), "%s", location);
    utf8_clip(e->location);
    snprintf(e->message, sizeof(e->message), "%s: %s", e->location, what);
    utf8_clip(e->message); /* a long quoted value may have been cut */
}

static void add_error(struct ctx *c, const char *code, const char *location, const char *fmt, ...)
{
    if (c->doc->nerrors >= IMPORT_MAX_ERRORS) {
        c->dropped++;
        return;
    }
    char what[sizeof(c->doc->errors[0].message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    put_error(c->doc, code, location, what);
}

/* How many faults were found so far, kept or not. */
static int errors_so_far(const struct ctx *c)
{
    return c->doc->nerrors + c->dropped;
}

/* The errors past the cap become one last entry saying how many. */
static void finish_errors(struct ctx *c)
{
    if (!c->dropped)
        return;
    char what[120];
    snprintf(what, sizeof(what), "%d more problems are not listed; correct these and import again",
             c->dropped);
    put_error(c->doc, "too_many_errors", "document", what);
}

/* A value as it may be quoted back in a message (arena): at most max_chars
 * characters, control characters and bytes that are not UTF-8 (jansson's
 * messages quote the input byte by byte) shown as '?', so a hostile value can
 * neither flood a message, nor drive a terminal, nor break the JSON answer. */
static const char *quote_n(struct ctx *c, const char *v, size_t max_chars)
{
    size_t n = strlen(v), chars = 0, i = 0;
    char *q = arena_alloc(c->a, n + 4), *o = q;
    while (i < n && chars++ < max_chars) {
        unsigned char b = (unsigned char)v[i];
        size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
        if (len > n - i || !utf8_valid(v + i, len)) {
            *o++ = '?'; /* not UTF-8 */
            i++;
        } else if (b < 0x20 || b == 0x7F || (b == 0xC2 && (unsigned char)v[i + 1] <= 0x9F)) {
            *o++ = '?'; /* a C0, DEL or C1 control character */
            i += len;
        } else {
            memcpy(o, v + i, len);
            o += len;
            i += len;
        }
    }
    if (i < n) {
        memcpy(o, "\xE2\x80\xA6", 3); /* … */
        o += 3;
    }
    *o = '\0';
    return q;
}

static const char *quote(struct ctx *c, const char *v)
{
    return quote_n(c, v, QUOTE_MAX_CHARS);
}

/* A location built in the arena: "recommendations[2].timescale", "row 4, text". */
static const char *where(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *where(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    return s;
}

/* ---- the checks both formats share ------------------------------------------ */

enum { TEXT_REQUIRED = 1, TEXT_LINES = 2 };

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static char *trimmed(struct ctx *c, const char *v)
{
    while (is_space(*v))
        v++;
    size_t n = strlen(v);
    while (n && is_space(v[n - 1]))
        n--;
    return arena_strndup(c->a, v, n);
}

/* Control characters other than line breaks and tabs (when lines are
 * allowed): C0, DEL and C1 (UTF-8 0xC2 0x80-0x9F). */
static int has_controls(const char *s, int lines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 && !(lines && (*p == '\n' || *p == '\t' || *p == '\r')))
            return 1;
        if (*p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return 1;
    }
    return 0;
}

/* v trimmed (arena), or NULL: when v is absent or blank (an error when
 * required), or holds control characters, or is longer than max characters. */
static const char *check_text(struct ctx *c, const char *loc, const char *v, size_t max,
                              unsigned flags)
{
    if (!v) {
        if (flags & TEXT_REQUIRED)
            add_error(c, "missing_field", loc, "is required");
        return NULL;
    }
    char *t = trimmed(c, v);
    if (!*t) {
        if (flags & TEXT_REQUIRED)
            add_error(c, "empty_field", loc, "must not be empty");
        return NULL;
    }
    if (has_controls(t, flags & TEXT_LINES)) {
        add_error(c, "invalid_text", loc, "must not contain control characters%s",
                  flags & TEXT_LINES ? "" : " or line breaks");
        return NULL;
    }
    size_t n = utf8_chars(t);
    if (n > max) {
        add_error(c, "too_long", loc, "is %zu characters long; at most %zu are allowed", n, max);
        return NULL;
    }
    return t;
}

/* A date written YYYY-MM-DD (arena copy), or NULL. With not_future, a date
 * after today is refused too. */
static const char *check_date(struct ctx *c, const char *loc, const char *v, unsigned flags,
                              int not_future, struct civil_date *out)
{
    const char *t = check_text(c, loc, v, 200, flags);
    if (!t)
        return NULL;
    struct civil_date d;
    if (date_parse(t, &d) < 0) {
        add_error(c, "invalid_date", loc,
                  "'%s' is not a real date written YYYY-MM-DD, such as 2023-03-01", quote(c, t));
        return NULL;
    }
    if (not_future && date_compare(&d, &c->today) > 0) {
        char today[DATE_TEXT_LEN];
        date_format(&c->today, today);
        add_error(c, "invalid_date", loc, "%s is after today (%s)", t, today);
        return NULL;
    }
    if (out)
        *out = d;
    return t;
}

/* A recommendation number in 1..IMPORT_MAX_NUMBER, or -1. */
static int number_in_range(struct ctx *c, const char *loc, long long n)
{
    if (n < 1) {
        add_error(c, "invalid_number", loc, "must be 1 or more, not %lld", n);
        return -1;
    }
    if (n > IMPORT_MAX_NUMBER) {
        add_error(c, "invalid_number", loc, "must be at most %d, not %lld", IMPORT_MAX_NUMBER, n);
        return -1;
    }
    return (int)n;
}

/* A recommendation number written as text (CSV), or -1. */
static int check_number(struct ctx *c, const char *loc, const char *v)
{
    const char *t = check_text(c, loc, v, 200, TEXT_REQUIRED);
    if (!t)
        return -1;
    const char *d = t + (*t == '-' || *t == '+');
    size_t digits = strspn(d, "0123456789");
    if (!digits || d[digits]) {
        add_error(c, "invalid_number", loc, "'%s' is not a whole number", quote(c, t));
        return -1;
    }
    if (digits > 9) {
        if (*t == '-')
            add_error(c, "invalid_number", loc, "must be 1 or more, not %s", quote(c, t));
        else
            add_error(c, "invalid_number", loc, "must be at most %d, not %s", IMPORT_MAX_NUMBER,
                      quote(c, t));
        return -1;
    }
    return number_in_range(c, loc, strtoll(t, NULL, 10));
}

/* "one" to "twelve": HMICFRS writes "within three months". */
static int number_word(const char *w, size_t n)
{
    static const char *const words[] = {"one",   "two",   "three", "four", "five",   "six",
                                        "seven", "eight", "nine",  "ten",  "eleven", "twelve"};
    for (int i = 0; i < 12; i++)
        if (strlen(words[i]) == n && strncmp(words[i], w, n) == 0)
            return i + 1;
    return 0;
}

/* "immediately" → 0; "within N months", "N months" (N from 1 to
 * IMPORT_MAX_MONTHS, in digits or a word from one to twelve; "month" too) →
 * N; otherwise -1. Case and runs of spaces do not matter. */
static int check_timescale(struct ctx *c, const char *loc, const char *v)
{
    const char *t = check_text(c, loc, v, 200, TEXT_REQUIRED);
    if (!t)
        return -1;
    /* Lower case, single spaces. */
    char norm[48], *o = norm;
    for (const char *p = t; *p && o < norm + sizeof(norm) - 1; p++) {
        if (is_space(*p)) {
            if (o > norm && o[-1] != ' ')
                *o++ = ' ';
        } else {
            *o++ = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        }
    }
    *o = '\0';
    if (strcmp(norm, "immediately") == 0)
        return 0;
    const char *p = norm;
    if (strncmp(p, "within ", 7) == 0)
        p += 7;
    size_t n = strcspn(p, " ");
    int months = 0;
    if (n && n <= 2 && strspn(p, "0123456789") == n)
        months = atoi(p);
    else
        months = number_word(p, n);
    const char *unit = p[n] == ' ' ? p + n + 1 : NULL;
    if (months >= 1 && months <= IMPORT_MAX_MONTHS && unit &&
        (strcmp(unit, "months") == 0 || strcmp(unit, "month") == 0))
        return months;
    add_error(c, "invalid_timescale", loc,
              "'%s' is not a timescale: write 'immediately' or 'within N months' with N from 1 "
              "to %d",
              quote(c, t), IMPORT_MAX_MONTHS);
    return -1;
}

/* A sub-point label: 1 to IMPORT_MAX_LABEL_CHARS letters or digits. */
static const char *check_label(struct ctx *c, const char *loc, const char *v)
{
    const char *t = check_text(c, loc, v, 64, TEXT_REQUIRED);
    if (!t)
        return NULL;
    size_t n = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    if (t[n] || n > IMPORT_MAX_LABEL_CHARS) {
        add_error(c, "invalid_label", loc,
                  "'%s' is not a sub-point label: use up to %d letters or digits, such as 'a' or "
                  "'iv'",
                  quote(c, t), IMPORT_MAX_LABEL_CHARS);
        return NULL;
    }
    return t;
}

static const char *check_status(struct ctx *c, const char *loc, const char *v)
{
    int before = errors_so_far(c);
    const char *t = check_text(c, loc, v, 200, 0);
    if (!t)
        return errors_so_far(c) > before ? NULL : "not_started"; /* absent or blank */
    for (const char *const *s = action_statuses; *s; s++)
        if (strcmp(*s, t) == 0)
            return *s;
    add_error(c, "invalid_status", loc,
              "'%s' is not an action status: use not_started, in_progress, complete or blocked",
              quote(c, t));
    return NULL;
}

/* A second recommendation with the same number: where is the first? */
static void check_unique_number(struct ctx *c, const char *loc, int number, const char **seen_at)
{
    for (int i = 0; i < c->doc->nrecs; i++) {
        if (c->doc->recs[i].number == number) {
            add_error(c, "duplicate_number", loc, "recommendation %d is also given at %s", number,
                      seen_at[i]);
            return;
        }
    }
}

/* The sub-point labels of one recommendation must differ. */
static void check_unique_label(struct ctx *c, const char *loc, const struct import_point *pts,
                               int n, const char *label)
{
    for (int i = 0; i < n; i++) {
        if (pts[i].label && strcmp(pts[i].label, label) == 0) {
            add_error(c, "duplicate_label", loc, "sub-point '%s' is given twice", label);
            return;
        }
    }
}

/* Adds a recommendation to the document (its fields may be NULL or -1 when
 * they were refused: the document then carries errors and is never
 * inserted), after checking its number is not already used. */
static struct import_recommendation *add_recommendation(struct ctx *c, const char *numloc,
                                                        int number, const char *at,
                                                        const char **seen_at)
{
    assert(c->doc->nrecs < IMPORT_MAX_RECOMMENDATIONS);
    if (number > 0)
        check_unique_number(c, numloc, number, seen_at);
    seen_at[c->doc->nrecs] = at; /* "row 3", "recommendations[1]" */
    struct import_recommendation *r = &c->doc->recs[c->doc->nrecs++];
    memset(r, 0, sizeof(*r));
    r->number = number;
    return r;
}

/* ---- JSON ---------------------------------------------------------------------- */

/* A key as it may appear in a location: at most 16 characters, no control
 * characters, and an empty key shown as "". */
static const char *key_name(struct ctx *c, const char *key)
{
    return *key ? quote_n(c, key, 16) : "\"\"";
}

/* Refuses members of obj not in allowed (NULL-terminated). */
static void json_unknown(struct ctx *c, json_t *obj, const char *prefix, const char *const *allowed,
                         const char *what)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        const char *const *k = allowed;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (*k)
            continue;
        const char *loc = where(c, "%s%s%s", prefix, *prefix ? "." : "", key_name(c, key));
        char list[160] = "";
        for (k = allowed; *k; k++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                     k == allowed ? ""
                     : k[1]       ? ", "
                                  : " and ",
                     *k);
        add_error(c, "unknown_field", loc, "is not a field of %s (those are %s)", what, list);
    }
}

/* The string member key of obj: its text, or NULL when absent or null.
 * *bad is set (and an error added) when it is present but not a string. */
static const char *json_text(struct ctx *c, json_t *obj, const char *key, const char *loc, int *bad)
{
    json_t *v = json_object_get(obj, key);
    *bad = 0;
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        add_error(c, "invalid_type", loc, "must be text");
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* check_text for a JSON member: a member of the wrong type is not also
 * reported as missing. */
static const char *jcheck_text(struct ctx *c, json_t *obj, const char *key, const char *loc,
                               size_t max, unsigned flags)
{
    int bad;
    const char *v = json_text(c, obj, key, loc, &bad);
    return bad ? NULL : check_text(c, loc, v, max, flags);
}

/* An array member: NULL when absent (or null), or not an array (an error). */
static json_t *json_list(struct ctx *c, json_t *obj, const char *key, const char *loc)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        add_error(c, "invalid_type", loc, "must be a list ([...])");
        return NULL;
    }
    return v;
}

static void json_points(struct ctx *c, json_t *list, const char *prefix,
                        struct import_recommendation *r)
{
    static const char *const fields[] = {"label", "text", NULL};
    size_t n = json_array_size(list);
    const char *loc;
    if (n > IMPORT_MAX_POINTS) {
        loc = where(c, "%s.points", prefix);
        add_error(c, "too_many_points", loc, "lists %zu sub-points; at most %d are allowed", n,
                  IMPORT_MAX_POINTS);
        n = IMPORT_MAX_POINTS;
    }
    r->points = arena_alloc(c->a, sizeof(*r->points) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(list, i);
        const char *at = where(c, "%s.points[%zu]", prefix, i);
        if (!json_is_object(p)) {
            add_error(c, "invalid_type", at, "must be an object ({\"label\", \"text\"})");
            continue;
        }
        json_unknown(c, p, at, fields, "a sub-point");
        int bad;
        loc = where(c, "%s.label", at);
        const char *label = json_text(c, p, "label", loc, &bad);
        label = bad ? NULL : check_label(c, loc, label);
        if (label)
            check_unique_label(c, loc, r->points, r->npoints, label);
        loc = where(c, "%s.text", at);
        const char *text =
            jcheck_text(c, p, "text", loc, IMPORT_MAX_POINT_CHARS, TEXT_REQUIRED | TEXT_LINES);
        r->points[r->npoints++] = (struct import_point){label, text};
    }
}

static void json_actions(struct ctx *c, json_t *list, const char *prefix,
                         struct import_recommendation *r)
{
    static const char *const fields[] = {"title", "owner", "due_on", "status", NULL};
    size_t n = json_array_size(list);
    const char *loc;
    if (n > IMPORT_MAX_ACTIONS) {
        loc = where(c, "%s.actions", prefix);
        add_error(c, "too_many_actions", loc, "lists %zu actions; at most %d are allowed", n,
                  IMPORT_MAX_ACTIONS);
        n = IMPORT_MAX_ACTIONS;
    }
    r->actions = arena_alloc(c->a, sizeof(*r->actions) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(list, i);
        const char *at = where(c, "%s.actions[%zu]", prefix, i);
        if (!json_is_object(a)) {
            add_error(c, "invalid_type", at, "must be an object ({\"title\", ...})");
            continue;
        }
        json_unknown(c, a, at, fields, "an action");
        struct import_action *x = &r->actions[r->nactions++];
        loc = where(c, "%s.title", at);
        x->title = jcheck_text(c, a, "title", loc, IMPORT_MAX_ACTION_CHARS, TEXT_REQUIRED);
        loc = where(c, "%s.owner", at);
        x->owner = jcheck_text(c, a, "owner", loc, IMPORT_MAX_OWNER_CHARS, 0);
        int bad;
        loc = where(c, "%s.due_on", at);
        const char *due = json_text(c, a, "due_on", loc, &bad);
        x->due_on = bad ? NULL : check_date(c, loc, due, 0, 0, NULL);
        loc = where(c, "%s.status", at);
        const char *status = json_text(c, a, "status", loc, &bad);
        x->status = bad ? NULL : check_status(c, loc, status);
    }
}

/* "measures": keys of the registry to show against the recommendation. */
static void json_measures(struct ctx *c, json_t *list, const char *prefix,
                          struct import_recommendation *r)
{
    size_t n = json_array_size(list);
    if (n > (size_t)assurance_measure_count) {
        add_error(c, "too_many_measures", where(c, "%s.measures", prefix),
                  "lists %zu measures; the registry has %d", n, assurance_measure_count);
        n = (size_t)assurance_measure_count;
    }
    r->measures = arena_alloc(c->a, sizeof(*r->measures) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(list, i);
        const char *loc = where(c, "%s.measures[%zu]", prefix, i);
        const char *key = json_string_value(v);
        if (!json_is_string(v)) {
            add_error(c, "invalid_type", loc, "must be a measure's key, such as 'r3_rhi_on_time'");
            continue;
        }
        if (!assurance_measure_find(key)) {
            add_error(c, "unknown_measure", loc,
                      "'%s' is not a measure in the registry (docs/assurance.md lists them)",
                      quote(c, key));
            continue;
        }
        bool dup = false;
        for (int k = 0; k < r->nmeasures; k++)
            dup = dup || strcmp(r->measures[k], key) == 0;
        if (dup)
            add_error(c, "duplicate_measure", loc, "'%s' is listed twice", key);
        else
            r->measures[r->nmeasures++] = arena_strdup(c->a, key);
    }
}

static void json_recommendation(struct ctx *c, json_t *o, size_t i, const char **seen_at)
{
    static const char *const fields[] = {"number", "text",    "timescale", "owner",
                                         "points", "actions", "measures",  NULL};
    const char *loc;
    const char *at = where(c, "recommendations[%zu]", i);
    if (!json_is_object(o)) {
        add_error(c, "invalid_type", at, "must be an object ({\"number\", \"text\", ...})");
        return;
    }
    json_unknown(c, o, at, fields, "a recommendation");
    loc = where(c, "%s.number", at);
    json_t *num = json_object_get(o, "number");
    int number = -1;
    if (!num || json_is_null(num))
        add_error(c, "missing_field", loc, "is required");
    else if (!json_is_integer(num))
        add_error(c, "invalid_type", loc, "must be a whole number, such as 3");
    else
        number = number_in_range(c, loc, json_integer_value(num));
    struct import_recommendation *r =
        add_recommendation(c, loc, number, arena_strdup(c->a, at), seen_at);
    loc = where(c, "%s.text", at);
    r->text = jcheck_text(c, o, "text", loc, IMPORT_MAX_TEXT_CHARS, TEXT_REQUIRED | TEXT_LINES);
    loc = where(c, "%s.timescale", at);
    json_t *ts = json_object_get(o, "timescale");
    if (ts && !json_is_null(ts) && !json_is_string(ts)) {
        add_error(c, "invalid_type", loc, "must be text: 'immediately' or 'within N months'");
        r->months = -1;
    } else {
        r->months = check_timescale(c, loc, json_string_value(ts));
    }
    loc = where(c, "%s.owner", at);
    r->owner = jcheck_text(c, o, "owner", loc, IMPORT_MAX_OWNER_CHARS, 0);
    loc = where(c, "%s.points", at);
    json_t *points = json_list(c, o, "points", loc);
    if (points)
        json_points(c, points, at, r);
    loc = where(c, "%s.actions", at);
    json_t *actions = json_list(c, o, "actions", loc);
    if (actions)
        json_actions(c, actions, at, r);
    loc = where(c, "%s.measures", at);
    json_t *measures = json_list(c, o, "measures", loc);
    if (measures)
        json_measures(c, measures, at, r);
}

static void parse_json(struct ctx *c, const char *text, size_t len)
{
    static const char *const fields[] = {"body",         "title",           "force",
                                         "published_on", "recommendations", NULL};
    struct import_doc *d = c->doc;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        const char *loc = where(c, "line %d, column %d", je.line, je.column);
        /* jansson names its own flag for a \u0000; say it plainly. */
        const char *why = strstr(je.text, "\\u0000") ? "text must not contain \\u0000 (NUL)"
                                                     : quote_n(c, je.text, sizeof(je.text));
        add_error(c, "invalid_json", loc, "is not valid JSON: %s", why);
        return;
    }
    if (!json_is_object(root)) {
        add_error(c, "invalid_type", "document",
                  "must be a JSON object: {\"body\": ..., \"recommendations\": [...]}");
        json_decref(root);
        return;
    }
    json_unknown(c, root, "", fields, "an inspection document");
    d->body = jcheck_text(c, root, "body", "body", IMPORT_MAX_BODY_CHARS, TEXT_REQUIRED);
    d->title = jcheck_text(c, root, "title", "title", IMPORT_MAX_TITLE_CHARS, TEXT_REQUIRED);
    d->force = jcheck_text(c, root, "force", "force", IMPORT_MAX_FORCE_CHARS, TEXT_REQUIRED);
    int bad;
    const char *pub = json_text(c, root, "published_on", "published_on", &bad);
    struct civil_date published;
    d->published_on = bad ? NULL : check_date(c, "published_on", pub, TEXT_REQUIRED, 1, &published);

    json_t *recs = json_object_get(root, "recommendations");
    if (!recs || json_is_null(recs)) {
        add_error(c, "missing_field", "recommendations", "is required");
    } else if (!json_is_array(recs)) {
        add_error(c, "invalid_type", "recommendations", "must be a list ([...])");
    } else if (json_array_size(recs) == 0) {
        add_error(c, "no_recommendations", "recommendations",
                  "is empty: an inspection needs at least one recommendation");
    } else {
        size_t n = json_array_size(recs);
        if (n > IMPORT_MAX_RECOMMENDATIONS) {
            add_error(c, "too_many_recommendations", "recommendations",
                      "lists %zu recommendations; at most %d are allowed in one document", n,
                      IMPORT_MAX_RECOMMENDATIONS);
            n = IMPORT_MAX_RECOMMENDATIONS;
        }
        const char **seen_at = arena_alloc(c->a, sizeof(char *) * n);
        for (size_t i = 0; i < n; i++)
            json_recommendation(c, json_array_get(recs, i), i, seen_at);
    }
    json_decref(root);
}

/* ---- CSV ------------------------------------------------------------------------ */

enum csv_col {
    COL_BODY,
    COL_TITLE,
    COL_FORCE,
    COL_PUBLISHED,
    COL_NUMBER,
    COL_TEXT,
    COL_TIMESCALE,
    COL_OWNER,
    COL_POINTS,
    COL__COUNT
};

static const struct {
    const char *name;
    bool required;
} csv_cols[COL__COUNT] = {
    {"body", true}, {"title", true},     {"force", true},  {"published_on", true}, {"number", true},
    {"text", true}, {"timescale", true}, {"owner", false}, {"points", false},
};

/* The header row: which column each field is (-1: unknown). Returns -1 when
 * the header cannot be used at all. */
static int csv_header(struct ctx *c, const struct csv_record *h, int *col_of, int *field_of)
{
    for (int k = 0; k < COL__COUNT; k++)
        field_of[k] = -1;
    if (h->blank) {
        add_error(c, "missing_header", "row 1",
                  "is empty: the first row must name the columns (body, title, force, "
                  "published_on, number, text, timescale, owner, points)");
        return -1;
    }
    for (int i = 0; i < h->nfields; i++) {
        char *name = trimmed(c, h->fields[i]);
        for (char *p = name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        col_of[i] = -1;
        int k = 0;
        while (k < COL__COUNT && strcmp(csv_cols[k].name, name) != 0)
            k++;
        if (!*name) {
            add_error(c, "unknown_column", "row 1", "column %d has no name", i + 1);
        } else if (k == COL__COUNT) {
            add_error(c, "unknown_column", "row 1",
                      "'%s' is not a column: the columns are body, title, force, published_on, "
                      "number, text, timescale, owner and points",
                      quote(c, name));
        } else if (field_of[k] >= 0) {
            add_error(c, "duplicate_column", "row 1", "the column '%s' is given twice", name);
        } else {
            col_of[i] = k;
            field_of[k] = i;
        }
    }
    for (int k = 0; k < COL__COUNT; k++)
        if (csv_cols[k].required && field_of[k] < 0)
            add_error(c, "missing_column", "row 1", "the column '%s' is missing", csv_cols[k].name);
    return 0;
}

/* The points cell: "a) text | b) text", a label ("a", or "(a)") and ')'
 * before each text, sub-points separated by '|'. */
static void csv_points(struct ctx *c, const char *loc, const char *cell,
                       struct import_recommendation *r)
{
    size_t n = 1;
    for (const char *p = cell; *p; p++)
        n += *p == '|';
    if (n > IMPORT_MAX_POINTS) {
        add_error(c, "too_many_points", loc, "has %zu sub-points; at most %d are allowed", n,
                  IMPORT_MAX_POINTS);
        return;
    }
    r->points = arena_alloc(c->a, sizeof(*r->points) * n);
    const char *p = cell;
    for (size_t i = 1; i <= n; i++) {
        size_t len = strcspn(p, "|");
        char *seg = trimmed(c, arena_strndup(c->a, p, len));
        p += len + (p[len] == '|');
        if (!*seg) {
            add_error(c, "invalid_points", loc,
                      "sub-point %zu is empty (sub-points are separated by '|')", i);
            continue;
        }
        char *s = seg + (*seg == '(');
        size_t l = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        if (!l || s[l] != ')') {
            add_error(c, "invalid_points", loc,
                      "sub-point %zu does not start with its label and ')', such as "
                      "'a) Improve supervision'",
                      i);
            continue;
        }
        s[l] = '\0';
        const char *label = check_label(c, loc, s);
        if (label)
            check_unique_label(c, loc, r->points, r->npoints, label);
        const char *text =
            check_text(c, loc, s + l + 1, IMPORT_MAX_POINT_CHARS, TEXT_REQUIRED | TEXT_LINES);
        r->points[r->npoints++] = (struct import_point){label, text};
    }
}

/* The inspection's fields, on every row: checked on the first data row, and
 * on every later row they must be the same. */
static void csv_inspection(struct ctx *c, const struct csv_record *row, const int *field_of,
                           int *first_row, const char **first)
{
    static const enum csv_col cols[] = {COL_BODY, COL_TITLE, COL_FORCE, COL_PUBLISHED};
    struct import_doc *d = c->doc;
    for (size_t i = 0; i < 4; i++) {
        enum csv_col k = cols[i];
        if (field_of[k] < 0)
            continue;
        const char *loc = where(c, "row %d, %s", row->number, csv_cols[k].name);
        const char *v = row->fields[field_of[k]];
        if (*first_row) {
            char *t = trimmed(c, v);
            if (strcmp(t, first[i]) != 0)
                add_error(c, "different_inspection", loc,
                          "'%s' differs from row %d ('%s'): every row must describe the same "
                          "inspection",
                          quote(c, t), *first_row, quote(c, first[i]));
            continue;
        }
        first[i] = trimmed(c, v);
        static const size_t max[] = {IMPORT_MAX_BODY_CHARS, IMPORT_MAX_TITLE_CHARS,
                                     IMPORT_MAX_FORCE_CHARS, 0};
        const char *t = k == COL_PUBLISHED ? check_date(c, loc, v, TEXT_REQUIRED, 1, NULL)
                                           : check_text(c, loc, v, max[i], TEXT_REQUIRED);
        if (k == COL_BODY)
            d->body = t;
        else if (k == COL_TITLE)
            d->title = t;
        else if (k == COL_FORCE)
            d->force = t;
        else
            d->published_on = t;
    }
    if (!*first_row)
        *first_row = row->number;
}

static void csv_recommendation(struct ctx *c, const struct csv_record *row, const int *field_of,
                               const char **seen_at)
{
#define CELL(k) (field_of[k] >= 0 ? row->fields[field_of[k]] : NULL)
#define LOC(k)  where(c, "row %d, %s", row->number, csv_cols[k].name)
    int number =
        field_of[COL_NUMBER] >= 0 ? check_number(c, LOC(COL_NUMBER), CELL(COL_NUMBER)) : -1;
    struct import_recommendation *r = add_recommendation(
        c, LOC(COL_NUMBER), number, arena_printf(c->a, "row %d", row->number), seen_at);
    if (field_of[COL_TEXT] >= 0)
        r->text = check_text(c, LOC(COL_TEXT), CELL(COL_TEXT), IMPORT_MAX_TEXT_CHARS,
                             TEXT_REQUIRED | TEXT_LINES);
    r->months = field_of[COL_TIMESCALE] >= 0
                    ? check_timescale(c, LOC(COL_TIMESCALE), CELL(COL_TIMESCALE))
                    : -1;
    if (field_of[COL_OWNER] >= 0)
        r->owner = check_text(c, LOC(COL_OWNER), CELL(COL_OWNER), IMPORT_MAX_OWNER_CHARS, 0);
    if (field_of[COL_POINTS] >= 0 && *trimmed(c, CELL(COL_POINTS)))
        csv_points(c, LOC(COL_POINTS), CELL(COL_POINTS), r);
#undef CELL
#undef LOC
}

/* Records are read into a scratch arena, renewed every SCRATCH_RECORDS
 * records: what a row yields is copied into the document's arena, so a
 * document of many tiny or blank records cannot make memory grow many times
 * its own size. */
#define SCRATCH_RECORDS 256

static void parse_csv(struct ctx *c, const char *text, size_t len)
{
    struct csv_reader rd;
    struct csv_record rec;
    char why[200];
    csv_init(&rd, text, len);
    enum csv_status st = csv_next(&rd, c->a, &rec, why, sizeof(why));
    if (st == CSV_BAD) {
        add_error(c, "malformed_csv", "row 1", "%s", why);
        return;
    }
    int col_of[CSV_MAX_FIELDS], field_of[COL__COUNT];
    if (st == CSV_END || csv_header(c, &rec, col_of, field_of) < 0)
        return;
    int nheader = rec.nfields;
    int first_row = 0, rows = 0, read = 0;
    const char *first[4] = {NULL, NULL, NULL, NULL};
    const char **seen_at = arena_alloc(c->a, sizeof(char *) * IMPORT_MAX_RECOMMENDATIONS);
    struct arena *scratch = arena_new();
    for (;;) {
        if (++read % SCRATCH_RECORDS == 0) {
            arena_free(scratch);
            scratch = arena_new();
        }
        struct arena *ra = scratch ? scratch : c->a;
        if ((st = csv_next(&rd, ra, &rec, why, sizeof(why))) == CSV_END)
            break;
        if (st == CSV_BAD) {
            int k = rec.bad_field > 0 && rec.bad_field <= nheader ? col_of[rec.bad_field - 1] : -1;
            const char *loc = k >= 0 ? arena_printf(ra, "row %d, %s", rec.number, csv_cols[k].name)
                                     : arena_printf(ra, "row %d", rec.number);
            add_error(c, "malformed_csv", loc, "%s", why);
            continue;
        }
        if (rec.blank)
            continue;
        const char *loc = arena_printf(ra, "row %d", rec.number);
        if (rec.nfields != nheader) {
            add_error(c, "wrong_column_count", loc, "has %d fields but the header has %d",
                      rec.nfields, nheader);
            continue;
        }
        if (++rows > IMPORT_MAX_RECOMMENDATIONS) {
            add_error(c, "too_many_recommendations", loc,
                      "is recommendation %d: at most %d are allowed in one document", rows,
                      IMPORT_MAX_RECOMMENDATIONS);
            break;
        }
        csv_inspection(c, &rec, field_of, &first_row, first);
        csv_recommendation(c, &rec, field_of, seen_at);
    }
    arena_free(scratch);
    if (rows == 0)
        add_error(c, "no_recommendations", "row 2",
                  "there are no recommendation rows: give one row per recommendation below the "
                  "header");
}

/* ---- parse, then insert ----------------------------------------------------------- */

int assurance_import_format(const char *name, enum import_format *out)
{
    if (name && strcasecmp(name, "json") == 0)
        *out = IMPORT_JSON;
    else if (name && strcasecmp(name, "csv") == 0)
        *out = IMPORT_CSV;
    else
        return -1;
    return 0;
}

static int blank_text(const char *text, size_t len)
{
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && is_space(text[i]))
        i++;
    return i == len;
}

int assurance_import_parse(struct arena *a, enum import_format fmt, const char *text, size_t len,
                           int64_t now, struct import_doc *doc)
{
    assert(a && doc && (text || len == 0));
    memset(doc, 0, sizeof(*doc));
    doc->format = fmt;
    doc->errors = arena_alloc(a, sizeof(*doc->errors) * ERRORS_CAPACITY);
    doc->recs = arena_alloc(a, sizeof(*doc->recs) * IMPORT_MAX_RECOMMENDATIONS);
    struct ctx c = {.a = a, .doc = doc, .today = date_of_ts(now)};
    if (len > IMPORT_MAX_BYTES)
        add_error(&c, "too_large", "document", "is %zu bytes long; at most %d are allowed", len,
                  IMPORT_MAX_BYTES);
    else if (!text || blank_text(text, len))
        add_error(&c, "empty_document", "document", "is empty");
    else if (fmt == IMPORT_JSON)
        parse_json(&c, text, len);
    else
        parse_csv(&c, text, len);
    finish_errors(&c);
    return doc->nerrors ? -1 : 0;
}

/* The id of an inspection already recorded with the document's body, force,
 * title and publication date; 0 when none, or a negative store code. */
static int64_t find_existing(struct store *s, const struct import_doc *doc)
{
    struct stmt *st = store_prepare(s, SQL_A_INSPECTION_FIND);
    if (!st)
        return STORE_ERROR;
    stmt_bind_text(st, 1, doc->body);
    stmt_bind_text(st, 2, doc->force);
    stmt_bind_text(st, 3, doc->title);
    stmt_bind_text(st, 4, doc->published_on);
    int rc = stmt_step(st);
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : rc < 0 ? rc : 0;
    stmt_reset(st);
    return id;
}

static int insert_recommendation(struct store *s, int64_t inspection, struct civil_date published,
                                 const struct import_recommendation *r, const char *at)
{
    char due[DATE_TEXT_LEN];
    struct civil_date d = assurance_due_on(published, r->months);
    date_format(&d, due);
    struct stmt *st = store_prepare(s, SQL_A_IMPORT_RECOMMENDATION_INSERT);
    if (!st)
        return STORE_ERROR;
    stmt_bind_int(st, 1, inspection);
    stmt_bind_int(st, 2, r->number);
    stmt_bind_text(st, 3, r->text);
    stmt_bind_text(st, 4, r->months ? "months" : "immediately");
    if (r->months)
        stmt_bind_int(st, 5, r->months);
    else
        stmt_bind_null(st, 5);
    stmt_bind_text(st, 6, due);
    stmt_bind_text(st, 7, r->owner);
    int64_t rec;
    int rc = stmt_returning_id(st, &rec);
    for (int i = 0; rc == STORE_OK && i < r->npoints; i++) {
        st = store_prepare(s, SQL_A_POINT_INSERT);
        if (!st)
            return STORE_ERROR;
        stmt_bind_int(st, 1, rec);
        stmt_bind_text(st, 2, r->points[i].label);
        stmt_bind_text(st, 3, r->points[i].text);
        rc = store_exec_stmt(st);
    }
    for (int i = 0; rc == STORE_OK && i < r->nactions; i++) {
        const struct import_action *x = &r->actions[i];
        st = store_prepare(s, SQL_A_ACTION_INSERT);
        if (!st)
            return STORE_ERROR;
        stmt_bind_int(st, 1, rec);
        stmt_bind_text(st, 2, x->title);
        stmt_bind_text(st, 3, x->owner);
        stmt_bind_text(st, 4, x->due_on);
        stmt_bind_text(st, 5, x->status);
        stmt_bind_text(st, 6, NULL); /* no evidence yet */
        stmt_bind_text(st, 7, at);
        rc = store_exec_stmt(st);
    }
    for (int i = 0; rc == STORE_OK && i < r->nmeasures; i++) {
        st = store_prepare(s, SQL_A_REC_MEASURE_INSERT);
        if (!st)
            return STORE_ERROR;
        stmt_bind_int(st, 1, rec);
        stmt_bind_text(st, 2, r->measures[i]);
        rc = store_exec_stmt(st);
    }
    return rc < 0 ? rc : STORE_OK;
}

int64_t assurance_import(struct store *s, struct arena *a, enum import_format fmt, const char *text,
                         size_t len, int64_t now, struct import_doc *doc, struct domain_error *err)
{
    assert(s && a && doc && err);
    assurance_import_parse(a, fmt, text, len, now, doc);
    /* A duplicate is worth reporting beside any other fault, whenever the
     * inspection's own fields could be read. */
    if (doc->body && doc->title && doc->force && doc->published_on) {
        int64_t existing = find_existing(s, doc);
        if (existing < 0) {
            doc->nerrors = 0;
            return domain_store_fail(err, s, (int)existing);
        }
        if (existing > 0) {
            struct ctx c = {.a = a, .doc = doc};
            char what[sizeof(doc->errors[0].message)];
            snprintf(what, sizeof(what),
                     "this inspection (%s, '%s', %s, published %s) is already recorded as "
                     "inspection %lld",
                     quote(&c, doc->body), quote(&c, doc->title), quote(&c, doc->force),
                     doc->published_on, (long long)existing);
            put_error(doc, "inspection_exists", "document", what);
        }
    }
    if (doc->nerrors) {
        const struct import_error *first = &doc->errors[0];
        return domain_fail(err, 422, first->code, "content", "%s", first->message);
    }
    struct civil_date published;
    if (date_parse(doc->published_on, &published) < 0)
        return domain_fail(err, 500, "internal_error", NULL, "a validated date did not parse");
    char at[TS_TEXT_LEN];
    ts_format(now, at);
    struct stmt *st = store_prepare(s, SQL_A_IMPORT_INSPECTION_INSERT);
    if (!st)
        return domain_store_fail(err, s, STORE_ERROR);
    stmt_bind_text(st, 1, doc->body);
    stmt_bind_text(st, 2, doc->title);
    stmt_bind_text(st, 3, doc->force);
    stmt_bind_text(st, 4, doc->published_on);
    int64_t id;
    int rc = stmt_returning_id(st, &id);
    for (int i = 0; rc == STORE_OK && i < doc->nrecs; i++)
        rc = insert_recommendation(s, id, published, &doc->recs[i], at);
    if (rc != STORE_OK)
        return domain_store_fail(err, s, rc);
    return id;
}

json_t *assurance_import_errors_json(const struct import_doc *doc)
{
    json_t *arr = json_array();
    for (int i = 0; i < doc->nerrors; i++) {
        const struct import_error *e = &doc->errors[i];
        json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:s, s:s}", "status", 422, "code",
                                             e->code, "field", "content", "location", e->location,
                                             "message", e->message));
    }
    return arr;
}

/* ---- the read side ------------------------------------------------------------------ */

static json_t *points_json(struct store *s, int64_t rec)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_A_IMPORT_POINTS);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, rec);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:s, s:s}", "label", stmt_text(st, 0), "text", stmt_text(st, 1)));
    stmt_reset(st);
    return arr;
}

static json_t *actions_json(struct store *s, int64_t rec)
{
    json_t *arr = json_array();
    struct stmt *st = store_prepare(s, SQL_A_IMPORT_ACTIONS);
    if (!st)
        return arr;
    stmt_bind_int(st, 1, rec);
    while (stmt_step(st) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:o, s:s}", "id",
                                             (json_int_t)stmt_int(st, 0), "title", stmt_text(st, 1),
                                             "owner", stmt_json_text(st, 2), "due_on",
                                             stmt_json_text(st, 3), "status", stmt_text(st, 4)));
    stmt_reset(st);
    return arr;
}

json_t *assurance_inspection_json(struct store *s, int64_t id)
{
    assert(s);
    struct stmt *st = store_prepare(s, SQL_A_INSPECTION_GET);
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, id);
    if (stmt_step(st) != STORE_ROW) {
        stmt_reset(st);
        return NULL;
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "body",
                          stmt_text(st, 1), "title", stmt_text(st, 2), "force", stmt_text(st, 3),
                          "published_on", stmt_text(st, 4));
    stmt_reset(st);
    json_t *recs = json_array();
    st = store_prepare(s, SQL_A_INSPECTION_RECOMMENDATIONS);
    if (!st) {
        json_decref(o);
        json_decref(recs);
        return NULL;
    }
    stmt_bind_int(st, 1, id);
    while (stmt_step(st) == STORE_ROW) {
        int64_t rec = stmt_int(st, 0);
        json_array_append_new(
            recs, json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)rec,
                            "number", (json_int_t)stmt_int(st, 1), "text", stmt_text(st, 2),
                            "timescale", stmt_text(st, 3), "timescale_months", stmt_json_int(st, 4),
                            "due_on", stmt_text(st, 5), "owner", stmt_json_text(st, 6), "points",
                            points_json(s, rec), "actions", actions_json(s, rec)));
    }
    stmt_reset(st);
    json_object_set_new(o, "recommendations", recs);
    return o;
}

json_t *assurance_inspection_list(struct store *s)
{
    assert(s);
    struct stmt *st = store_prepare(s, SQL_A_INSPECTIONS);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id",
                                             (json_int_t)stmt_int(st, 0), "body", stmt_text(st, 1),
                                             "title", stmt_text(st, 2), "force", stmt_text(st, 3),
                                             "published_on", stmt_text(st, 4), "recommendations",
                                             (json_int_t)stmt_int(st, 5)));
    stmt_reset(st);
    if (rc < 0) {
        json_decref(arr);
        return NULL;
    }
    return json_pack("{s:o}", "inspections", arr);
}
