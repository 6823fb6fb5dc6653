/*
 * pg_dialect.c — SQLite-flavoured SQL to PostgreSQL (see pg_dialect.h).
 *
 * A small scanner, not a parser: it knows literals, quoted identifiers,
 * comments, words and placeholders, which is all the rewriting needs. The
 * migrations use a narrow subset of DDL on purpose (docs/architecture.md).
 */
#include "store/pg_dialect.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A growing output buffer; on allocation failure `fail` is set and the
 * caller gives up at the end. */
struct out {
    char *p;
    size_t len, cap;
    int fail;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->fail)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (o->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(o->p, cap);
        if (!p) {
            o->fail = 1;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static char *finish(struct out *o, char *err, size_t errlen)
{
    if (o->fail || !o->p) {
        free(o->p);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    return o->p;
}

/* Length of the literal, quoted identifier or comment starting at p, or 0. */
static size_t skip_opaque(const char *p)
{
    if (*p == '\'' || *p == '"') {
        char q = *p;
        size_t i = 1;
        for (; p[i]; i++)
            if (p[i] == q) {
                if (p[i + 1] == q)
                    i++;
                else
                    return i + 1;
            }
        return i;
    }
    if (p[0] == '-' && p[1] == '-') {
        size_t i = 2;
        while (p[i] && p[i] != '\n')
            i++;
        return i;
    }
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? (size_t)(e + 2 - p) : strlen(p);
    }
    return 0;
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* 1 when the word w (case-insensitive) starts at p and ends there. */
static int word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(p, w, n) == 0 && !word_char(p[n]);
}

static const char *skip_space(const char *p)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*'))
            p += skip_opaque(p);
        else
            return p;
    }
}

/* After a placeholder: is it followed by IS NULL or IS NOT NULL? */
static int tested_for_null(const char *p)
{
    p = skip_space(p);
    if (!word_at(p, "IS"))
        return 0;
    p = skip_space(p + 2);
    if (word_at(p, "NOT"))
        p = skip_space(p + 3);
    return word_at(p, "NULL");
}

/* What the first pass learns, the second uses. */
struct ph_pass {
    struct out *o;                              /* NULL on the first pass */
    unsigned char plain[PG_DIALECT_MAX_PARAMS]; /* per number: used other than in a NULL test */
    struct pg_params *params;
    int next_copy; /* the number the next hidden copy takes */
};

/* One pass over sql: the first records where each parameter is used, the
 * second writes the rewritten text. Returns the highest number written in
 * sql, or -1 when one is out of range. */
static int scan_placeholders(const char *sql, struct ph_pass *ps)
{
    int highest = 0;
    const char *p = sql;
    while (*p) {
        size_t n = skip_opaque(p);
        if (!n && *p != '?') /* copy a whole word at once: no "x?" mid-name */
            for (n = 1; word_char(*p) && word_char(p[n]); n++)
                ;
        if (n) {
            if (ps->o)
                put(ps->o, p, n);
            p += n;
            continue;
        }
        p++;
        int num = highest + 1;
        if (isdigit((unsigned char)*p))
            num = (int)strtol(p, (char **)&p, 10);
        if (num < 1 || num > PG_DIALECT_MAX_PARAMS)
            return -1;
        if (num > highest)
            highest = num;
        int null_test = tested_for_null(p);
        if (!ps->o) {
            if (!null_test)
                ps->plain[num - 1] = 1;
            continue;
        }
        char buf[24];
        if (!null_test) {
            snprintf(buf, sizeof(buf), "$%d", num);
        } else if (!ps->plain[num - 1]) {
            snprintf(buf, sizeof(buf), "$%d::text", num);
        } else {
            /* PostgreSQL types a parameter at its first use and refuses an
             * IS NULL it cannot type before the comparison that would; a
             * hidden copy of the value, as text, answers the test instead. */
            int copy = ps->next_copy++;
            if (copy > PG_DIALECT_MAX_PARAMS)
                return -1;
            ps->params->copy_of[copy - 1] = (short)num;
            snprintf(buf, sizeof(buf), "$%d::text", copy);
        }
        puts_(ps->o, buf);
    }
    return highest;
}

char *pg_dialect_placeholders(const char *sql, struct pg_params *params, char *err, size_t errlen)
{
    memset(params, 0, sizeof(*params));
    struct ph_pass ps = {.params = params};
    int highest = scan_placeholders(sql, &ps);
    struct out o = {0};
    ps.o = &o;
    ps.next_copy = highest + 1;
    if (highest < 0 || scan_placeholders(sql, &ps) < 0) {
        free(o.p);
        snprintf(err, errlen, "placeholder number out of range in '%.60s'", sql);
        return NULL;
    }
    if (!o.p)
        puts_(&o, "");
    params->count = ps.next_copy - 1;
    return finish(&o, err, errlen);
}

/* Copies one word token from *pp into buf (empty if none) and advances. */
static const char *next_word(const char *p, char *buf, size_t len)
{
    p = skip_space(p);
    size_t n = 0;
    while (word_char(p[n]) && n + 1 < len) {
        buf[n] = p[n];
        n++;
    }
    buf[n] = '\0';
    return p + n;
}

/* Expects the punctuation c next; returns the position after it or NULL. */
static const char *expect(const char *p, char c)
{
    p = skip_space(p);
    return *p == c ? p + 1 : NULL;
}

/* Translates one "CREATE TRIGGER ... END;" starting at p (just after the
 * words CREATE TRIGGER); returns where it ends, or NULL when the trigger is
 * not the append-only form. */
static const char *trigger(const char *p, struct out *o)
{
    char name[128], when[16], event[16], on[8], table[128], begin[8], select[8], raise[8],
        abort_[8];
    p = next_word(p, name, sizeof(name));
    p = next_word(p, when, sizeof(when));
    p = next_word(p, event, sizeof(event));
    p = next_word(p, on, sizeof(on));
    p = next_word(p, table, sizeof(table));
    p = next_word(p, begin, sizeof(begin));
    p = next_word(p, select, sizeof(select));
    p = next_word(p, raise, sizeof(raise));
    if (!name[0] || strcasecmp(when, "BEFORE") != 0 ||
        (strcasecmp(event, "UPDATE") != 0 && strcasecmp(event, "DELETE") != 0) ||
        strcasecmp(on, "ON") != 0 || !table[0] || strcasecmp(begin, "BEGIN") != 0 ||
        strcasecmp(select, "SELECT") != 0 || strcasecmp(raise, "RAISE") != 0)
        return NULL;
    if (!(p = expect(p, '(')))
        return NULL;
    p = next_word(p, abort_, sizeof(abort_));
    if (strcasecmp(abort_, "ABORT") != 0 || !(p = expect(p, ',')))
        return NULL;
    p = skip_space(p);
    size_t mlen = *p == '\'' ? skip_opaque(p) : 0;
    if (!mlen)
        return NULL;
    const char *msg = p;
    p += mlen;
    char end[8];
    if (!(p = expect(p, ')')) || !(p = expect(p, ';')))
        return NULL;
    p = next_word(p, end, sizeof(end));
    if (strcasecmp(end, "END") != 0 || !(p = expect(p, ';')))
        return NULL;
    char head[400];
    snprintf(head, sizeof(head),
             "CREATE TRIGGER %s BEFORE %s ON %s FOR EACH ROW EXECUTE FUNCTION sg_raise_abort(",
             name, event, table);
    puts_(o, head);
    put(o, msg, mlen);
    puts_(o, ");");
    return p;
}

/* INTEGER PRIMARY KEY [AUTOINCREMENT] at p? Sets *len to what it covers. */
static int integer_primary_key(const char *p, size_t *len)
{
    const char *q = skip_space(p + 7);
    if (!word_at(q, "PRIMARY"))
        return 0;
    q = skip_space(q + 7);
    if (!word_at(q, "KEY"))
        return 0;
    q += 3;
    const char *r = skip_space(q);
    if (word_at(r, "AUTOINCREMENT"))
        q = r + 13;
    *len = (size_t)(q - p);
    return 1;
}

char *pg_dialect_ddl(const char *sql, char *err, size_t errlen)
{
    struct out o = {0};
    const char *p = sql;
    while (*p) {
        size_t n = skip_opaque(p);
        if (n) {
            put(&o, p, n);
            p += n;
            continue;
        }
        /* Words are taken whole, so *p here never starts mid-word. */
        if (!word_char(*p)) {
            put(&o, p, 1);
            p++;
            continue;
        }
        size_t w = 0;
        while (word_char(p[w]))
            w++;
        size_t cover;
        if (word_at(p, "CREATE") && word_at(skip_space(p + 6), "TRIGGER")) {
            const char *after = trigger(skip_space(p + 6) + 7, &o);
            if (!after) {
                free(o.p);
                snprintf(err, errlen, "trigger not in the append-only form at '%.60s'", p);
                return NULL;
            }
            p = after;
            continue;
        } else if (word_at(p, "INTEGER") && integer_primary_key(p, &cover)) {
            puts_(&o, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
            p += cover;
            continue;
        } else if (word_at(p, "INTEGER")) {
            puts_(&o, "BIGINT");
        } else if (word_at(p, "REAL")) {
            puts_(&o, "DOUBLE PRECISION");
        } else if (word_at(p, "BLOB")) {
            puts_(&o, "BYTEA");
        } else if (word_at(p, "AUTOINCREMENT") || word_at(p, "PRAGMA")) {
            free(o.p);
            snprintf(err, errlen, "SQLite-only %.*s at '%.60s'", (int)w, p, p);
            return NULL;
        } else {
            put(&o, p, w);
        }
        p += w;
    }
    if (!o.p)
        puts_(&o, "");
    return finish(&o, err, errlen);
}
