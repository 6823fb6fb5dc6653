/*
 * csv.c — a strict RFC 4180 reader for hostile input (see csv.h).
 *
 * Written for Safeguard; each record is read in two passes over bounded
 * spans: the first finds a field's end (and counts its line breaks), the
 * second copies it into the arena, so no field is ever copied before its size
 * is known to be within CSV_MAX_FIELD.
 */
#include "core/csv.h"
#include "core/utf8.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void csv_init(struct csv_reader *r, const char *text, size_t len)
{
    assert(r && (text || len == 0));
    r->p = text ? text : "";
    r->end = r->p + len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->records = 0;
    r->line = 1;
}

/* Consumes one line break (CRLF, LF or CR) if one is next. */
static void eat_line_break(struct csv_reader *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        r->line++;
    } else if (r->p < r->end && *r->p == '\n') {
        r->p++;
        r->line++;
    }
}

/* After a refused record: carry on at the next line. */
static enum csv_status refuse(struct csv_reader *r, struct csv_record *rec, int field, char *err,
                              size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static enum csv_status refuse(struct csv_reader *r, struct csv_record *rec, int field, char *err,
                              size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    rec->bad_field = field;
    while (r->p < r->end && *r->p != '\n' && *r->p != '\r')
        r->p++;
    eat_line_break(r);
    return CSV_BAD;
}

/* A quoted field starting at r->p (the opening quote). Returns the decoded
 * field, or NULL with the reason in *why. */
static char *quoted_field(struct csv_reader *r, struct arena *a, size_t *len, const char **why)
{
    const char *q = r->p + 1;
    size_t out = 0;
    int breaks = 0;
    for (;;) {
        if (q >= r->end) {
            *why = "a quoted field is not closed before the end of the text";
            r->p = r->end;
            return NULL;
        }
        if (*q == '"') {
            if (q + 1 < r->end && q[1] == '"') {
                q += 2;
                out++;
                continue;
            }
            break;
        }
        if (*q == '\r' && q + 1 < r->end && q[1] == '\n') {
            q++; /* CRLF is one line break, read as one LF */
        }
        if (*q == '\r' || *q == '\n')
            breaks++;
        q++;
        out++;
    }
    /* q is the closing quote. */
    const char *s = r->p + 1;
    r->p = q + 1;
    r->line += breaks;
    if (out > CSV_MAX_FIELD) {
        _Static_assert(CSV_MAX_FIELD == 65536, "the message below names the limit");
        *why = "a field is longer than 65536 bytes";
        return NULL;
    }
    char *f = arena_alloc(a, out + 1), *o = f;
    while (s < q) {
        if (*s == '"') {
            *o++ = '"';
            s += 2;
        } else if (*s == '\r') {
            *o++ = '\n';
            s += s + 1 < q && s[1] == '\n' ? 2 : 1;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    *len = (size_t)(o - f);
    return f;
}

enum csv_status csv_next(struct csv_reader *r, struct arena *a, struct csv_record *rec, char *err,
                         size_t errlen)
{
    assert(r && a && rec && err && errlen);
    memset(rec, 0, sizeof(*rec));
    err[0] = '\0';
    if (r->p >= r->end)
        return CSV_END;
    rec->number = ++r->records;
    rec->line = r->line;
    char *fields[CSV_MAX_FIELDS];
    int n = 0, blank = 1;
    for (;;) {
        if (n == CSV_MAX_FIELDS)
            return refuse(r, rec, 0, err, errlen, "has more than %d fields", CSV_MAX_FIELDS);
        char *f;
        size_t len;
        if (r->p < r->end && *r->p == '"') {
            const char *why = NULL;
            f = quoted_field(r, a, &len, &why);
            if (!f)
                return refuse(r, rec, n + 1, err, errlen, "%s", why);
            if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
                return refuse(r, rec, n + 1, err, errlen,
                              "text follows the closing quote of a quoted field (a quote inside "
                              "a quoted field is written twice: \"\")");
        } else {
            const char *s = r->p;
            while (s < r->end && *s != ',' && *s != '\r' && *s != '\n') {
                if (*s == '"') {
                    r->p = s;
                    return refuse(r, rec, n + 1, err, errlen,
                                  "a quote in a field that does not start with one (put the "
                                  "whole field in quotes and write the quote twice: \"\")");
                }
                s++;
            }
            len = (size_t)(s - r->p);
            if (len > CSV_MAX_FIELD) {
                r->p = s;
                return refuse(r, rec, n + 1, err, errlen, "a field is longer than %d bytes",
                              CSV_MAX_FIELD);
            }
            f = arena_strndup(a, r->p, len);
            r->p = s;
        }
        if (!utf8_valid(f, len))
            return refuse(r, rec, n + 1, err, errlen,
                          "a field is not UTF-8 text or holds a NUL byte (save the file as "
                          "UTF-8)");
        if (len)
            blank = 0;
        fields[n++] = f;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        eat_line_break(r);
        break;
    }
    rec->nfields = n;
    rec->fields = arena_alloc(a, sizeof(char *) * (size_t)n);
    memcpy(rec->fields, fields, sizeof(char *) * (size_t)n);
    rec->blank = blank;
    return CSV_RECORD;
}
